from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from monitoring.api import api, no_such_endpoint

from . import account, forms, oidc, rounds, two_factor, views

handler400 = "pbc.views.bad_request"
handler403 = "pbc.views.permission_denied"
handler404 = "pbc.views.page_not_found"
handler500 = "pbc.views.server_error"

security_urls = [
    path("", two_factor.account_security, name="account_security"),
    path("authenticator/", two_factor.two_factor_set_up, name="two_factor_set_up"),
    path("recovery-codes/", two_factor.two_factor_recovery_codes, name="two_factor_recovery_codes"),
    path("passkeys/", include("django_otp_webauthn.urls")),
    path("password/", account.password_change, name="password_change"),
    path("sign-out-elsewhere/", account.sessions_end_others, name="sessions_end_others"),
]

password_reset_urls = [
    path(
        "",
        auth_views.PasswordResetView.as_view(form_class=forms.PasswordResetRequestForm),
        name="password_reset",
    ),
    path("sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=forms.NewPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "complete/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
]

round_urls = [
    path("", rounds.round_list, name="round_list"),
    path("new/", rounds.round_open, name="round_open"),
    path("<int:round_id>/", rounds.round_detail, name="round_detail"),
    path("<int:round_id>/start/", rounds.round_start, name="round_start"),
]

# The plan's pages show plans and review side by side, so they are composed here.
plan_urls = [
    path("", views.plan_detail, name="plan_detail"),
    path("parts/<slug:part_key>/", views.part_detail, name="part_detail"),
    path("carried-forward/", rounds.plan_carried, name="plan_carried"),
    path("compare-years/", rounds.plan_compare_years, name="plan_compare_years"),
    path(
        "carried-forward/<slug:question_key>/confirm/",
        rounds.answer_confirm_carried,
        name="answer_confirm_carried",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("unsent/", views.unsent_post, name="unsent"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            authentication_form=forms.SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-in/code/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("sign-in/single-sign-on/", oidc.sign_in, name="oidc_authentication_init"),
    path("sign-in/single-sign-on/callback/", oidc.callback, name="oidc_authentication_callback"),
    path("unlock/<str:token>/", two_factor.account_unlock, name="account_unlock"),
    path("account/security/", include(security_urls)),
    path("password-reset/", include(password_reset_urls)),
    path("rounds/", include(round_urls)),
    path("plans/<int:plan_id>/", include(plan_urls)),
    path("", include("consortia.urls")),
    path("", include("plans.urls")),
    path("", include("signoff.urls")),
    path("", include("monitoring.urls")),
    # django-ninja's own root view raises a bare 404, which would be the site's HTML page, so
    # the API's root and every address under /api/ that names no endpoint answer the API's 404.
    path("api/v1/", no_such_endpoint),
    path("api/v1/", api.urls),
    re_path(r"^api(/|$)", no_such_endpoint),
    path("admin/", admin.site.urls),
]
