"""A page's script told, in words, that its person is signed out or its page out of date.

Without this a script's save made after the session ended (eight hours, a password changed on
another device, a leaver deactivated) followed the redirect to the sign-in page, read a page
that is not JSON as an answer and told the person their text was saved. Both replies keep the
page as it is: the script says what to do, and the text stays where it was typed.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render, resolve_url

SIGNED_OUT = (
    "you are signed out. Your text is still here: sign in again in a new tab, keeping this "
    "one open, then come back to this tab and save."
)
STALE_PAGE = (
    "this page no longer matches your sign-in. This happens when you sign in again in another "
    "tab, or when your browser blocks this site's cookies. Your text is still here: copy it "
    "somewhere safe, then reload this page."
)


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


class SignedOutJsonMiddleware:
    """A request asking for JSON that would be sent to the sign-in page is answered 401 in
    JSON, with the words to show and where to sign in, instead of the sign-in page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 302 or not wants_json(request):
            return response
        if request.user.is_authenticated:
            return response
        if urlsplit(response["Location"]).path != resolve_url(settings.LOGIN_URL):
            return response
        sign_in = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.path})}"
        return JsonResponse({"signed_out": SIGNED_OUT, "sign_in": sign_in}, status=401)


def csrf_failure(request, reason: str = ""):
    """The refusal of a post whose page no longer matches the browser's sign-in (the token
    changes at every sign-in): a script is told so in JSON and asks for a fresh page's token;
    a person gets a page in words, not Django's technical one."""
    if wants_json(request):
        return JsonResponse({"stale_page": STALE_PAGE}, status=403)
    return render(request, "403_csrf.html", status=403)
