"""A signed-out person, or a page older than their sign-in, told what became of what they sent.

Without this a script's save made after the session ended (eight hours, a password changed on
another device, a leaver deactivated) followed the redirect to the sign-in page, read a page
that is not JSON as an answer and told the person their text was saved. The script's replies
keep the page as it is: the script says what to do, and the text stays where it was typed.
"""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import JsonResponse
from django.shortcuts import render, resolve_url
from django.urls import reverse

from consortia.negotiation import wants_json

from . import unsent

SIGNED_OUT = (
    "you are signed out. Your text is still here: sign in again in a new tab, keeping this "
    "one open, then come back to this tab and save."
)
# The sign-in page's query parameter saying that the post which led there was not saved, and
# its value when the post is kept to be sent again once signed in (pbc/security/unsent.py).
UNSAVED = "unsaved"
KEPT = "kept"
STALE_PAGE = (
    "this page no longer matches your sign-in. This happens when you sign in again in another "
    "tab, or when your browser blocks this site's cookies. Your text is still here: copy it "
    "somewhere safe, then reload this page."
)


def sign_in_needed(words: str, address: str) -> JsonResponse:
    """The reply to a script whose request needs the person to sign in (again, or to finish):
    the words it shows after "Not saved:" and the page it links to, opened in a new tab."""
    return JsonResponse({"signed_out": words, "sign_in": address}, status=401)


@dataclass(frozen=True)
class UnsavedPost:
    """What the sign-in and second-step pages say of the post that sent the person there."""

    #: kept to be sent again once signed in (pbc/security/unsent.py), else lost
    kept: bool


def unsaved_post(request) -> UnsavedPost | None:
    """The post that led to this page and was not saved, as its address says; None if none."""
    said = request.GET.get(UNSAVED)
    return UnsavedPost(kept=said == KEPT) if said else None


class SignedOutMiddleware:
    """A request that would be sent to the sign-in page told what became of it: one asking for
    JSON is answered 401 with the words to show and where to sign in; a form's post is kept and
    sent there to come back to it (``unsaved=kept``), or, where it cannot be kept, sent there
    with ``unsaved=1``; the page says that what was sent was not saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            # A post the page took (saved, or shown again with its refusal or clash) was the
            # kept one's turn; one refused unread (a stale page's token) was not.
            if request.method == "POST" and response.status_code != 403:
                unsent.forget_if_sent_again(request)
            return response
        if response.status_code != 302:
            return response
        sign_in = resolve_url(settings.LOGIN_URL)
        location = urlsplit(response["Location"])
        # Sent there to sign in before coming back (login_required), not after signing out.
        if location.path != sign_in or REDIRECT_FIELD_NAME not in parse_qs(location.query):
            return response
        if wants_json(request):
            # Not kept: the script keeps the text in its tab and saves it only for the person
            # who typed it (docs/decisions/0504).
            address = f"{sign_in}?{urlencode({REDIRECT_FIELD_NAME: request.path})}"
            return sign_in_needed(SIGNED_OUT, address)
        if unsent.keep(request):
            query = urlencode({REDIRECT_FIELD_NAME: reverse("unsent"), UNSAVED: KEPT})
            response["Location"] = f"{sign_in}?{query}"
        elif request.method == "POST":
            query = f"{location.query}&{UNSAVED}=1" if location.query else f"{UNSAVED}=1"
            response["Location"] = location._replace(query=query).geturl()
        return response


def csrf_failure(request, reason: str = ""):
    """The refusal of a post whose page no longer matches the browser's sign-in (the token
    changes at every sign-in): a script is told so in JSON and asks for a fresh page's token;
    a person gets a page in words, not Django's technical one."""
    if wants_json(request):
        return JsonResponse({"stale_page": STALE_PAGE}, status=403)
    return render(request, "403_csrf.html", status=403)
