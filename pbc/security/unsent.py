"""A form posted by someone no longer signed in, or not yet past the second step, is kept in their
browser's session, so that once signed in they can send it again, without a script and without
copying it back out of the page (docs/decisions/0507).

Only the last such post is kept, one per browser. A post is not kept where sending it again
could not work or keeping it would store what must not be stored: files, and any password or
code. The person decides: the kept post is shown with its words, and is sent again only when
they press the button, with a fresh token of their new sign-in.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from consortia.plain_forms import UNSTORABLE

SESSION_KEY = "pbc_unsent"
# A field named so carries a secret: a password (Django's forms number a repeated one) or the
# code from an authenticator (the code steps and the signing form name it so).
SECRET_NAME = re.compile(r"password\d*$|^code$", re.IGNORECASE)
# Django's own: sending again gives the token of the new sign-in.
CSRF_FIELD = "csrfmiddlewaretoken"
# Offered for as long as signing in again takes the person who was sent to do it; later, the
# next to sign in on the browser is more likely someone else (a shared computer).
OFFERED_FOR = timedelta(hours=1)


@dataclass(frozen=True)
class Unsent:
    #: where it was sent, with its query (the page of a long list it was on)
    address: str
    fields: tuple[tuple[str, str], ...]
    sent_at: datetime
    #: the page the form was on, as the browser named it (its Referer) where that is on this
    #: site; "" where it did not say
    sent_from: str = ""

    @property
    def shown(self) -> tuple[tuple[str, str], ...]:
        """The fields with something in them, as the page lists them for the person to read."""
        return tuple((name, value) for name, value in self.fields if value.strip())


def keep(request) -> bool:
    """Keeps ``request``'s post for sending again; False where it is not kept (see above)."""
    if request.method != "POST" or request.FILES:
        return False
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name != CSRF_FIELD
        for value in values
    ]
    # Nothing to send again (a body that is not a form's), or what must not be stored.
    if not fields or any(SECRET_NAME.search(name) for name, _value in fields):
        return False
    address = request.get_full_path()
    # Sent again to this site only: a path a browser would read as another host's ("//host")
    # is never a form's action here.
    if not url_has_allowed_host_and_scheme(address, allowed_hosts=None):
        return False
    request.unsent_kept = True
    request.session[SESSION_KEY] = {
        "address": address,
        "fields": fields,
        "sent_at": timezone.now().isoformat(),
        "sent_from": _page_of_the_form(request),
    }
    return True


def _page_of_the_form(request) -> str:
    """The path and query of the page that sent the post, where the browser says and it is on
    this site: many posts go to an address that shows nothing to go back to (a comment's)."""
    page = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(page)
    path = f"{parts.path}?{parts.query}" if parts.query else parts.path
    # Offered as a link: never one a browser would read as another host's ("//host/..."), nor
    # one holding what no page can carry.
    if UNSTORABLE.search(path) or not url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return ""
    return path


def kept(request) -> Unsent | None:
    """The post kept in this browser's session, while it is still offered (``OFFERED_FOR``)."""
    stored = request.session.get(SESSION_KEY)
    if stored is None:
        return None
    sent_at = datetime.fromisoformat(stored["sent_at"])
    if timezone.now() - sent_at > OFFERED_FOR:
        forget(request)
        return None
    return Unsent(
        address=stored["address"],
        fields=tuple((name, value) for name, value in stored["fields"]),
        sent_at=sent_at,
        sent_from=stored.get("sent_from", ""),
    )


def forget(request) -> None:
    request.session.pop(SESSION_KEY, None)


def forget_if_sent_again(request) -> None:
    """A signed-in post the page to which the kept post was sent has taken is that post sent
    again (or the person's newer work on the page): either way, the kept one has had its turn."""
    if getattr(request, "unsent_kept", False):
        return  # kept by this very post (stopped at the second step): its turn is to come
    stored = request.session.get(SESSION_KEY)
    if stored is not None and urlsplit(stored["address"]).path == request.path:
        forget(request)
