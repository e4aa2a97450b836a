from django.urls import include, path

from . import views

document_urls = [
    path("", views.document_detail, name="document_detail"),
    path("status.json", views.document_status, name="document_status"),
    path("download/", views.document_download, name="document_download"),
    path("retry/", views.document_retry, name="document_retry"),
]

plan_urls = [
    path("review/<slug:action>/", views.plan_action, name="plan_action"),
    path("sign/", views.plan_sign, name="plan_sign"),
    path("activity/", views.plan_activity, name="plan_activity"),
    path("draft-pdf/", views.plan_draft_pdf, name="plan_draft_pdf"),
    path("plan.docx", views.plan_word_export, name="plan_word_export"),
    path("documents/<int:document_id>/", include(document_urls)),
    path("comments/", views.comment_add, name="comment_add"),
]

# Review comments, by their thread
comment_urls = [
    path("reply/", views.comment_reply, name="comment_reply"),
    path("resolve/", views.comment_resolve, name="comment_resolve"),
    path("reopen/", views.comment_reopen, name="comment_reopen"),
]

urlpatterns = [
    path("plans/<int:plan_id>/", include(plan_urls)),
    path("account/notifications/", views.notification_settings, name="notification_settings"),
    path("comments/<int:thread_id>/", include(comment_urls)),
    # Anyone may check a signed plan's PDF, signed in or not.
    path("verify/", views.verify, name="verify"),
]
