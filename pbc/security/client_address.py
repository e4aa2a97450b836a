"""The client's own address, read from the header the trusted proxies in front of us add.

Each proxy appends the address it was reached from to ``X-Forwarded-For``, so with N trusted
proxies the client is the Nth entry from the right; anything further left was written by the
client and may be forged. With no trusted proxy (the default) the header is ignored.
"""

import ipaddress

from django.conf import settings


def _header_key() -> str:
    return "HTTP_" + settings.PBC_TRUSTED_PROXY_HEADER.upper().replace("-", "_")


def client_address(request) -> str | None:
    """The address the request came from, as the outermost trusted proxy saw it."""
    direct = request.META.get("REMOTE_ADDR") or None
    trusted = settings.PBC_TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return direct
    hops = [hop.strip() for hop in request.META.get(_header_key(), "").split(",") if hop.strip()]
    if len(hops) < trusted:
        return direct
    try:
        return str(ipaddress.ip_address(hops[-trusted]))
    except ValueError:
        return direct


class TrustedProxyMiddleware:
    """Puts the client's address in ``REMOTE_ADDR``, where Django, django-axes, the rate limits
    and the signature record read it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = client_address(request)
        if address:
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
