"""A question's block on the part page, rendered once and kept in the cache
(docs/decisions/0420-question-blocks-cached-by-what-they-show.md).

The key is a digest of everything the block shows and nothing else, so a changed thing is a
new key and the old entry is never read again (no invalidation to forget):

- the question's every field (a draft form edited in the admin shows at once),
- the answer's id, version, text, rows, data, state and who changed it when,
- the plan's id and consortium's name ("For completion by ..."),
- what the kinds know of the plan (``KindContext``: sibling answers, practices, population),
- whether the reader may edit it and, if not, why (the only thing of the reader in it),
- the templates' own source and the apps' code (a deploy that changes what a page shows
  starts afresh).

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
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import QuerySet
from django.forms.models import model_to_dict

from .kinds.base import KindContext
from .models import Answer

#: Raised by hand when presenters change what a block shows without a template changing.
FRAGMENT_VERSION = "1"
FRAGMENT_SECONDS = 24 * 60 * 60
CSRF_HOLE = "<!--pbc:csrf-token-->"
#: What Django's {% csrf_token %} writes as the token's value inside a block being cached.
CSRF_TOKEN_HOLE = "pbc-csrf-token-hole"  # noqa: S105 - a placeholder, not a secret
MARKUP_FOLDERS = ("plans", "signoff", "nhsuk", "pbc")
#: The apps whose code works out what a cached block or page shows.
CODE_FOLDERS = ("plans", "signoff", "consortia", "pbc")


def _digest(value) -> str:
    encoded = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(encoded.encode(), digest_size=16).hexdigest()


@cache
def _markup_digest() -> str:
    """The source of every template a cached block may include, and of the code that works
    out what it shows."""
    digest = hashlib.blake2b(FRAGMENT_VERSION.encode(), digest_size=16)
    paths = [
        *(sorted((settings.BASE_DIR / "templates" / f).rglob("*.html")) for f in MARKUP_FOLDERS),
        *(sorted((settings.BASE_DIR / f).rglob("*.py")) for f in CODE_FOLDERS),
    ]
    for path in (path for folder in paths for path in folder):
        digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fragment_key(name: str, shown) -> str:
    """The cache key of a block named ``name`` showing exactly ``shown`` (JSON-able)."""
    return f"fragment:{name}:{_markup_digest()}:{_digest(shown)}"


class CompiledQuery:
    """A read that every page's key makes, its SQL compiled once per process: building and
    compiling a queryset costs Django about ten times what running it costs (0.9 ms against
    0.04 ms for a part's comments on SQLite), and a cached page is little more than its key.

    ``build`` takes each parameter by name and returns the queryset; it is called once with
    stand-ins, whose places in the compiled query's parameters are then filled per call.
    """

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: dict[tuple, tuple[str, list]] = {}

    def _compile(self, names: tuple[str, ...]) -> tuple[str, list]:
        stand_ins = {name: -(2**40) - number for number, name in enumerate(names)}
        by_value = {value: name for name, value in stand_ins.items()}
        sql, params = self.build(**stand_ins).query.sql_with_params()
        places = [by_value.get(param, _Fixed(param)) for param in params]
        if set(names) - {place for place in places if isinstance(place, str)}:
            raise ValueError("every parameter must reach the query's parameters")
        return sql, places

    def rows(self, **params) -> list[tuple]:
        names = tuple(sorted(params))
        compiled_key = (connection.vendor, names)
        if compiled_key not in self._compiled:
            self._compiled[compiled_key] = self._compile(names)
        sql, places = self._compiled[compiled_key]
        values = [place.value if isinstance(place, _Fixed) else params[place] for place in places]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            return cursor.fetchall()


@dataclasses.dataclass(frozen=True)
class _Fixed:
    """A parameter of a compiled query that is the same on every call."""

    value: object


#: A plan's answers as the pages' keys name them: by version (every write of an answer's words,
#: rows or figures raises it), with the flags that change without one and who saved it when.
ANSWERS_AS_KEYED = CompiledQuery(
    lambda plan: (
        Answer.objects.filter(plan_id=plan)
        .order_by("pk")
        .values_list(
            "pk",
            "question_id",
            "version",
            "autosaved",
            "carried_forward",
            # done once saved (a save raises the version), but marked by a migration without one
            "prefilled",
            "updated_at",
            "updated_by_id",
            "updated_by__full_name",
        )
    )
)


def fields_of(instance) -> list:
    """A row's every stored field, as its object holds it (no query)."""
    return [getattr(instance, field.attname) for field in instance._meta.concrete_fields]


def context_digest(context: KindContext) -> str:
    """Once per page: the figures a structured block presents depend on it. The same digest as
    of ``dataclasses.asdict(context)``, without its deep copy of every sibling answer (a
    plan's 5,000 targets)."""
    shown = {field.name: getattr(context, field.name) for field in dataclasses.fields(context)}
    shown["siblings"] = dict(context.siblings) if context.siblings is not None else None
    shown["participation"] = [dataclasses.asdict(standing) for standing in context.participation]
    return _digest(shown)


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
        # what it says of the answer's state, which the plan's state decides as well
        "state": [row.state, row.to_check],
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
