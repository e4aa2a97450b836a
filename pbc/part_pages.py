"""A part page's body, kept whole in the cache (docs/decisions/0423).

The rule: **no reader is ever served another reader's view of the page, nor a version older
than what is stored now.** It holds because the key is not a name to invalidate but a digest
of every input of the body (``plans.pages.part_page_shown``,
``signoff.presenters.comments.part_comments_shown``, the templates and the apps' code):

- the form's version, the plan's row, its consortium and PCT, every answer's version and who
  saved it when, the practices' standings, the part's holder, and every comment and reply on
  the part with its authors;
- what the reader may do on the page (edit the consortium's or the PCT's questions, comment,
  see PCT-only comments) and, for a reviewer, who they are and when they last reviewed.

Two readers with the same rights on the plan see the same body; any right that differs is a
different key. A change to any input is a new key, so the next page is rendered afresh and an
old entry is never read again (entries expire after a day). The key and the body are read in
one snapshot of the database (``plans.consistent_reads``, pbc.views.part_detail), so a body
stored under a key shows exactly what the key names, even when a save lands while the page is
being built.

What is one reader's own is never in the body: the CSRF tokens are holes filled per response
(``{% csrf_field %}``), and the header, menu and messages are rendered around it (base.html).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation

from plans import fragments
from plans import pages as plan_pages
from plans.models import Plan, TemplatePart
from signoff.presenters.comments import part_comments_shown


@dataclass(frozen=True)
class CachedBody:
    #: the cache key of the page's body
    key: str
    #: the body read from the cache, or None to build and render it
    html: str | None


def cached_body(user, plan: Plan, part: TemplatePart) -> CachedBody:
    """The key of ``part``'s body as ``user`` sees it, and the body if it is in the cache."""
    key = fragments.fragment_key(
        "part-page",
        [
            plan_pages.part_page_shown(user, plan, part),
            part_comments_shown(plan, user, part),
            settings.COMMISSIONER_WORD,
            timezone.get_current_timezone_name(),
            translation.get_language(),
        ],
    )
    return CachedBody(key=key, html=fragments.cached_blocks([key]).get(key))
