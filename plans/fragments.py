"""A question's block on the part page, rendered once and kept in the cache
(docs/decisions/0420-question-blocks-cached-by-what-they-show.md).

The key is a digest of everything the block shows and nothing else, so a changed thing is a
new key and the old entry is never read again (no invalidation to forget):

- the question's every field (a draft form edited in the admin shows at once),
- the answer's id, version, text, rows, data, state and who changed it when,
- the plan's id and consortium's name ("For completion by ..."),
- what the kinds know of the plan (``KindContext``: sibling answers, practices, population),
- whether the reader may edit it and, if not, why (the only thing of the reader in it),
- the templates' own source (a deploy that changes markup starts afresh).

What belongs to one reader never enters the cache: the CSRF token is left as a hole and filled
per response (``plans_tags.csrf_field``), and a reviewer's "changed since your last review" and
the comment threads sit outside the cached block. A row with a bound form or posted figures
(an answer refused with its errors) has no key and is rendered afresh. In production the cache
is Redis, shared by every web process (pbc/settings/production.py), so a save through one
process is seen at once through any other.
"""

import dataclasses
import hashlib
import json
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.forms.models import model_to_dict

from .kinds.base import KindContext

#: Raised by hand when presenters change what a block shows without a template changing.
FRAGMENT_VERSION = "1"
FRAGMENT_SECONDS = 24 * 60 * 60
CSRF_HOLE = "<!--pbc:csrf-token-->"
MARKUP_FOLDERS = ("plans", "signoff", "nhsuk")


def _digest(value) -> str:
    encoded = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(encoded.encode(), digest_size=16).hexdigest()


@cache
def _markup_digest() -> str:
    """The source of every template a cached block may include."""
    digest = hashlib.blake2b(FRAGMENT_VERSION.encode(), digest_size=16)
    for folder in MARKUP_FOLDERS:
        for path in sorted((settings.BASE_DIR / "templates" / folder).rglob("*.html")):
            digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fragment_key(name: str, shown) -> str:
    """The cache key of a block named ``name`` showing exactly ``shown`` (JSON-able)."""
    return f"fragment:{name}:{_markup_digest()}:{_digest(shown)}"


def context_digest(context: KindContext) -> str:
    """Once per page: the figures a structured block presents depend on it."""
    return _digest(dataclasses.asdict(context))


def question_key(row, plan, *, context: str) -> str:
    """The cache key of ``row``'s block (plans.presenters.QuestionRow), or "" when it must be
    rendered afresh. It needs only the stored answer and the reader's right to edit it, so a
    page works out the block's figures and form only when the key is missing."""
    if getattr(row.form, "is_bound", False):
        return ""
    answer = row.answer
    shown = {
        "question": model_to_dict(row.question),
        "answer": None
        if answer is None
        else [
            answer.pk,
            answer.version,
            answer.text,
            answer.rows,
            answer.data,
            answer.autosaved,
            answer.updated_at,
        ],
        "plan": plan.pk,
        "completed_by": row.completed_by,
        "last_changed": row.last_changed,
        "context": context,
        "edit": None if row.edit is None else [bool(row.edit), row.edit.reason],
        # Its answer form, offered when there is an answer the reader may edit.
        "form": answer is not None and bool(row.edit),
    }
    return fragment_key("question", shown)


def cached_blocks(keys) -> dict[str, str]:
    """The blocks already in the cache under ``keys`` (one round trip to Redis for a page)."""
    return caches["default"].get_many([key for key in keys if key])
