"""Deployment checks of this service's own settings, run by `manage.py check --deploy`."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.http.request import validate_host


@register(Tags.security, deploy=True)
def site_url_is_this_service(app_configs, **kwargs):
    """The links in emails (notifications, digests, reminders) are built from PBC_SITE_URL:
    one that names a host the service does not answer to sends every reader elsewhere."""
    site = urlsplit(settings.SITE_URL)
    if site.scheme == "https" and validate_host(site.hostname or "", settings.ALLOWED_HOSTS):
        return []
    return [
        Warning(
            f"PBC_SITE_URL is {settings.SITE_URL!r}: the links in emails need the service's own "
            "https address, on a host in DJANGO_ALLOWED_HOSTS.",
            hint="Set PBC_SITE_URL, e.g. https://plans.example.org.",
            id="pbc.W001",
        )
    ]
