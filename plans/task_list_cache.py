"""The plan's task list, rendered once and kept in the cache (docs/decisions/0425).

The rule: **no one is ever shown another reader's view or a stale version.** Its cache key is
a digest of everything the task list shows, read afresh on every request, so a change to any of
it is a new key and an old entry is simply never read again (nothing to invalidate, nothing to
forget):

- the form's parts and questions as shown (number, title, key, whether required, kind, who
  completes it, order, the settings its template gives them), read with one lean query (an
  edit of the form shows at once),
- each answer's id, version, last change, autosaved, carried-forward and prefilled flags:
  every change to an answer's words, rows or figures is a save that raises its version
  (plans.services.answer_save, the carry-forward in plans.rounds, the admin's change and
  restore); the one field changed without a save, ``carried_forward``, is itself in the key,
- who holds each part and question, and when it is due,
- the plan's id, state, form, consortium name, the form's parties and the PCT's word,
- what the reader is shown differently (``reader_sees``: may they assign, the open comments
  they can see), and the active language,
- the templates' and the apps' source (``fragments.fragment_key``), so a deploy that changes
  what the task list shows starts afresh.

Two readers share an entry only when everything the task list shows them is the same, so no
one can be shown what another reader sees differently. On a hit nothing of the task list is
built: ``tasks`` is worked out (plans.presenters.task_list, with its parts, answers and
holders) only when a fragment is missing, and then it is read with its key from one snapshot
(plans.consistent_reads, pbc.views.plan_detail), so what is kept under a key is what the key
describes. In production the cache is Redis, shared by every
web process (pbc/settings/production.py), so a change made through one is seen through all.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from . import assignments, fragments, presenters, selectors
from .kinds.des_funding import asks_participation
from .models import Assignment, Plan, QuestionKind, TemplatePart


def lazy_task_list(plan: Plan) -> presenters.TaskList:
    """The task list, worked out only if a page renders a fragment that is not cached."""
    return SimpleLazyObject(
        lambda: presenters.task_list(
            plan,
            selectors.parts_with_questions(plan.template),
            selectors.answers_by_question(plan),
            assignments.holders(plan),
        )
    )


# The key's reads of the form and the holders, their SQL compiled once a process.
_FORM = fragments.CompiledQuery(
    lambda template: (
        TemplatePart.objects.filter(template_id=template)
        .values_list(
            "pk",
            "key",
            "number",
            "title",
            "questions__pk",
            "questions__position",
            "questions__key",
            "questions__number",
            "questions__title",
            "questions__required",
            "questions__kind",
            "questions__party",
            "questions__completed_by",
            "questions__parameters",
        )
        .order_by("position", "pk", "questions__position", "questions__pk")
    )
)
_HOLDERS = fragments.CompiledQuery(
    lambda plan: (
        Assignment.objects.filter(plan_id=plan)
        .order_by("pk")
        .values_list("pk", "part_id", "question_id", "assignee__full_name", "due_on")
    )
)


def shown(plan: Plan, *, reader_sees: dict) -> dict:
    """Everything the task list shows, as plain values: three queries whatever its size."""
    form = _FORM.rows(template=plan.template_id)
    answers = fragments.ANSWERS_AS_KEYED.rows(plan=plan.pk)
    holders = _HOLDERS.rows(plan=plan.pk)
    return {
        "plan": [
            plan.pk,
            plan.status,
            plan.template_id,
            plan.consortium.name,
            plan.template.parties,
            settings.COMMISSIONER_WORD,
        ],
        "form": form,
        "answers": answers,
        "holders": holders,
        "reader": reader_sees,
        "language": translation.get_language(),
    }


@dataclass
class CachedTaskList:
    """The task list's two cached fragments (its progress and its table) as a page reads them:
    ``*_html`` is None when missing, and then the template renders it from ``tasks``."""

    progress_key: str
    table_key: str
    progress_html: str | None
    table_html: str | None
    #: the form asks its practices to confirm participation (docs/decisions/0329), read from
    #: the key's rows of the form, so the page links its practices at no cost of a query
    asks_participation: bool

    @property
    def found(self) -> bool:
        """Both fragments were in the cache: the page renders neither."""
        return self.progress_html is not None and self.table_html is not None


def cached_task_list(plan: Plan, *, reader_sees: dict) -> CachedTaskList:
    """The keys of the task list's fragments and what the cache holds under them (one round
    trip); ``reader_sees`` is all the page shows this reader differently inside them."""
    what = shown(plan, reader_sees=reader_sees)
    progress_key = fragments.fragment_key("task-progress", what)
    table_key = fragments.fragment_key("task-table", what)
    found = fragments.cached_blocks([progress_key, table_key])
    return CachedTaskList(
        progress_key=progress_key,
        table_key=table_key,
        progress_html=found.get(progress_key),
        table_html=found.get(table_key),
        asks_participation=any(
            # The compiled query's rows hold the settings as the database's JSON text.
            kind == QuestionKind.DES_FUNDING and asks_participation(json.loads(parameters))
            for *_shown, kind, _party, _completed_by, parameters in what["form"]
        ),
    )
