"""How often the pages worth guessing at, or flooding, may be used (docs/decisions/0342).

Counted in the cache per client address (per signed-in user for comments) in fixed windows,
with django-ratelimit; over the rate, the page answers 429 and nothing is done. Only posts
count: reading a page is never limited.
"""

from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


@dataclass(frozen=True)
class Limit:
    group: str  # the PBC_RATE_LIMITS entry, shared by the pages that count together
    key: str  # "ip" or "user"
    what: str  # named on the 429 page


SIGN_IN = Limit("sign_in", "ip", "Signing in")
LIMITS = {
    "login": SIGN_IN,
    "two_factor_verify": SIGN_IN,
    "two_factor_set_up": SIGN_IN,
    "account_unlock": SIGN_IN,
    "password_reset": Limit("password_reset", "ip", "Resetting a password"),
    "password_reset_confirm": Limit("password_reset", "ip", "Resetting a password"),
    "verify": Limit("verify", "ip", "Checking a PDF"),
    "comment_add": Limit("comment", "user", "Commenting"),
    "comment_reply": Limit("comment", "user", "Commenting"),
}


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = LIMITS.get(request.resolver_match.view_name)
        if limit is None or request.method != "POST":
            return None
        if limit.key == "user" and not request.user.is_authenticated:
            return None
        if is_ratelimited(
            request,
            group=limit.group,
            key=limit.key,
            rate=settings.PBC_RATE_LIMITS[limit.group],
            method="POST",
            increment=True,
        ):
            return render(request, "429.html", {"what": limit.what}, status=429)
        return None
