from django.urls import include, path, register_converter

from . import views


class FormatConverter:
    """The download formats: CSV and Excel."""

    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "fmt")

app_name = "monitoring"
plan_urls = [
    path("", views.plan_monitoring, name="plan"),
    path("delivery.<fmt:fmt>", views.plan_figures, name="plan_figures"),
]

urlpatterns = [
    path("account/api-tokens/", views.api_tokens, name="api_tokens"),
    path(
        "account/api-tokens/<int:token_id>/revoke/",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("monitoring/", views.to_do, name="to_do"),
    path("monitoring/delivery.<fmt:fmt>", views.round_figures, name="round_figures"),
    path("monitoring/returns/<int:return_id>/", views.return_detail, name="return"),
    path("plans/<int:plan_id>/monitoring/", include(plan_urls)),
]
