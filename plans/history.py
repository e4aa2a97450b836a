"""Reads of the answers' history: revisions, an answer as it stood at a time, named drafts,
and what changed since a reviewer last looked.

Every read here costs a fixed number of queries whatever the length of the history: lists are
paginated querysets with their joins done by ``select_related``, and "as it stood then" is one
query with a correlated subquery, not one query per answer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncDate

from consortia.dates import long_moment

from . import diffs, merge
from .models import Answer, Plan, PlanSnapshot, TemplatePart, TemplateQuestion

HistoricalAnswer = Answer.history.model
PER_PAGE = 50
NEWEST_FIRST = ("-history_date", "-history_id")

logger = logging.getLogger(__name__)


def _revisions() -> QuerySet:
    return HistoricalAnswer.objects.select_related("history_user").order_by(*NEWEST_FIRST)


def answer_revisions(answer: Answer) -> QuerySet:
    """Every recorded version of one answer, newest first, with who saved it."""
    return _revisions().filter(id=answer.pk)


def plan_revisions(plan: Plan) -> QuerySet:
    """Every recorded version of every answer of the plan, newest first, with the question it
    answered then (answers keep their history when a plan moves to a newer form)."""
    return _revisions().filter(plan_id=plan.pk).select_related("question", "question__part")


#: the history's reason for a table's rows saved from a CSV file (plans.services.
#: table_rows_import): a person's save, told as the import it was
CSV_IMPORT = "imported from a CSV file"
WORD_IMPORT = "imported from a Word document"
#: the history's reasons for a person's own saves (plans.services.answer_save); restores,
#: moves to a newer form and the demo's transcription are told elsewhere or not at all
SAVE_REASONS = ("save", "autosave", CSV_IMPORT, WORD_IMPORT)
#: what ``saves_by_day`` groups by, in the order its rows hold them
SAVES_BY_DAY_GROUPS = (
    "line_day",
    "line_user",
    "line_name",
    "line_email",
    "line_role",
    "line_question",
    "line_number",
    "line_title",
    "line_key",
)


def saves_by_day(plan: Plan) -> QuerySet:
    """Who changed which answer of the plan on which day: one row per person, question and
    (local) day, however many times they saved it, as ``values()`` rows with

    ``line_at`` (their last save that day), ``line_id`` (its history id), ``line_times`` (how
    many revisions they left that day; autosaves within minutes are one already, 0004),
    ``line_user``, ``line_name``, ``line_email``, ``line_role`` (who, None for the service),
    ``line_question``, ``line_number``, ``line_title`` and ``line_key`` (the question then).

    A values query, so a feed can put it beside its own rows with ``union`` and page the two
    together in one query."""
    return (
        HistoricalAnswer.objects.filter(plan_id=plan.pk, history_change_reason__in=SAVE_REASONS)
        .annotate(
            line_day=TruncDate("history_date"),
            line_user=F("history_user_id"),
            line_name=F("history_user__full_name"),
            line_email=F("history_user__email"),
            line_role=F("history_user__role"),
            line_question=F("question_id"),
            line_number=F("question__number"),
            line_title=F("question__title"),
            line_key=F("question__key"),
        )
        .values(*SAVES_BY_DAY_GROUPS)
        .annotate(
            line_at=Max("history_date"),
            line_id=Max("history_id"),
            line_times=Count("history_id"),
        )
    )


def page_of(queryset: QuerySet, number, *, per_page: int = PER_PAGE) -> Page:
    """One page of a list: a COUNT and one query for the rows, however long the list."""
    return Paginator(queryset, per_page).get_page(number)


def revision_of(answer: Answer, history_id) -> HistoricalAnswer | None:
    """One revision of this answer (None when the id is not one of this answer's)."""
    try:
        history_id = int(history_id)
    except (TypeError, ValueError):
        return None
    return answer_revisions(answer).filter(history_id=history_id).first()


def revisions_of(answer: Answer, *history_ids) -> dict[int, HistoricalAnswer]:
    """Several revisions of this answer in one query, by history id; unknown ids left out."""
    ids = []
    for value in history_ids:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    return {row.history_id: row for row in answer_revisions(answer).filter(history_id__in=ids)}


def revision_at_version(answer: Answer, version: int) -> HistoricalAnswer | None:
    """The answer as it was saved at ``version``: the version an editor started from, read
    for a merge. None when no revision holds it (an autosave coalesced into the next save
    holds only the later version, docs/decisions/0004; ``base_at_version`` also reads the copy
    kept then)."""
    return answer_revisions(answer).filter(version=version).first()


#: How long a version an autosave overwrote is kept for a merge (docs/decisions/0499): a tab
#: left open over a working day and saved at its end still gets "Use both changes"; after
#: that the clash without a merge, which loses nothing, is fair. Each kept copy is one
#: version of one answer, no larger than the answer limits allow.
KEPT_BASE_TIMEOUT = timedelta(hours=12)


def _kept_base_key(answer_id: int, version: int) -> str:
    return f"plans:answer-base:{answer_id}:{version}"


def base_keep(answer_id: int, content: diffs.Content) -> None:
    """Keep one version of an answer for a merge: called as an autosave is coalesced into the
    revision that held this version (plans.services), so an editor who started from it can
    still have both changes put together. In the cache, so best-effort: when it has gone, the
    clash offers no merge (docs/decisions/0499)."""
    cache.set(
        _kept_base_key(answer_id, content.version),
        {"text": content.text, "rows": content.rows, "data": content.data,
         "version": content.version},
        timeout=KEPT_BASE_TIMEOUT.total_seconds(),
    )  # fmt: skip


def base_at_version(answer: Answer, version: int) -> diffs.Content | None:
    """The answer as it was saved at ``version``, for a merge: its revision, or the copy kept
    when an autosave overwrote that revision (``base_keep``); None when neither holds it."""
    revision = revision_at_version(answer, version)
    if revision is not None:
        return diffs.Content.of(revision)
    try:
        kept = cache.get(_kept_base_key(answer.pk, version))
    except Exception:  # the cache is best-effort: unreachable, the clash offers no merge
        logger.warning("Kept base of answer %s unreadable", answer.pk, exc_info=True)
        return None
    return None if kept is None else diffs.Content.of(kept)


def merged_with(answer: Answer, *, started_from: int, yours: diffs.Content) -> merge.AnswerMerge:
    """``yours``, begun from version ``started_from`` of the answer, merged with the answer as
    saved since (plans/merge.py)."""
    base = base_at_version(answer, started_from)
    if base is None:
        return merge.AnswerMerge(
            not_merged="The version you started from is no longer in this answer's history, so "
            "your changes and theirs cannot be put together automatically."
        )
    return merge.merge_answers(
        base=base,
        yours=yours,
        theirs=diffs.Content.of(answer),
        columns=answer.question.columns,
    )


def previous_revision(revision: HistoricalAnswer) -> HistoricalAnswer | None:
    """The revision of the same answer just before this one."""
    return (
        _revisions()
        .filter(id=revision.id, history_date__lte=revision.history_date)
        .exclude(history_id=revision.history_id)
        .exclude(history_date=revision.history_date, history_id__gt=revision.history_id)
        .first()
    )


def answer_as_of(answer: Answer, when: datetime) -> HistoricalAnswer | None:
    """The answer as it stood at ``when`` (None if it did not exist yet)."""
    return answer_revisions(answer).filter(history_date__lte=when).first()


def _latest_at(when: datetime) -> Subquery:
    return Subquery(
        HistoricalAnswer.objects.filter(id=OuterRef("id"), history_date__lte=when)
        .order_by(*NEWEST_FIRST)
        .values("history_id")[:1]
    )


def _as_of(answer_ids, when: datetime) -> dict[int, HistoricalAnswer]:
    """For each answer, its latest revision at or before ``when``: one query for them all."""
    rows = HistoricalAnswer.objects.filter(
        id__in=list(answer_ids), history_date__lte=when, history_id=_latest_at(when)
    )
    return {row.id: row for row in rows}


def answers_as_of(plan: Plan, when: datetime) -> dict[int, HistoricalAnswer]:
    """Every answer of the plan as it stood at ``when``, by answer id: one query."""
    rows = HistoricalAnswer.objects.filter(
        plan_id=plan.pk, history_date__lte=when, history_id=_latest_at(when)
    )
    return {row.id: row for row in rows}


# --- Changed since a time ----------------------------------------------------------------


@dataclass
class Change:
    """One answer that changed since a time: what it was then, what it is now."""

    answer: Answer
    before: diffs.Content
    diff: diffs.AnswerDiff


def changes_since(
    plan: Plan,
    since: datetime,
    *,
    answers: dict[int, Answer] | None = None,
    questions: dict[int, TemplateQuestion] | None = None,
    part=None,
) -> dict[int, Change]:
    """Answers changed after ``since``, by question id, each with its diff from then to now.

    A page that already holds the ``answers`` (by question id) and their ``questions`` (by
    id) spends one query in all: the answers as they stood at ``since``. Answers saved since
    but back to what they were are left out.
    """
    if answers is None:
        queryset = plan.answers.select_related("question", "updated_by")
        if part is not None:
            queryset = queryset.filter(question__part=part)
        answers = {answer.question_id: answer for answer in queryset}
    if questions is None:
        questions = {answer.question_id: answer.question for answer in answers.values()}
    changed = [
        answer
        for answer in answers.values()
        if answer.updated_at is not None and answer.updated_at > since
    ]
    if not changed:
        return {}
    then = _as_of((answer.pk for answer in changed), since)
    result: dict[int, Change] = {}
    for answer in changed:
        before = diffs.Content.of(then.get(answer.pk))
        now = diffs.Content.of(answer)
        if before.same_as(now):
            continue
        result[answer.question_id] = Change(
            answer=answer,
            before=before,
            diff=diffs.question_diff(
                before,
                now,
                question=questions[answer.question_id],
                source=f"Plan {plan.pk}, table {questions[answer.question_id].key}",
            ),
        )
    return result


# --- Named drafts ------------------------------------------------------------------------


def snapshots(plan: Plan) -> QuerySet[PlanSnapshot]:
    """The plan's named drafts, newest first, without their (large) copies of the answers."""
    return (
        plan.snapshots.select_related("created_by").defer("answers").order_by("-created_at", "-pk")
    )


def current_content(plan: Plan) -> dict[str, dict]:
    """The plan's answers now, in the shape a named draft stores: {key: {text, rows, ...}}."""
    return {
        key: {"text": text, "rows": rows, "data": data, "version": version}
        for key, text, rows, data, version in plan.answers.values_list(
            "question__key", "text", "rows", "data", "version"
        )
    }


@dataclass
class QuestionDiff:
    key: str
    number: str
    title: str
    part: TemplatePart | None
    diff: diffs.AnswerDiff


def compare_contents(plan: Plan, old: dict[str, dict], new: dict[str, dict]) -> list[QuestionDiff]:
    """Questions whose answers differ between two versions of the whole plan, in form order.

    Answers whose question is no longer on the plan's form come last, named by their key.
    """
    questions = list(
        TemplateQuestion.objects.filter(template_id=plan.template_id)
        .select_related("part")
        .order_by("position")
    )
    by_key = {question.key: question for question in questions}
    keys = [question.key for question in questions if question.answerable]
    keys += sorted((set(old) | set(new)) - set(by_key))
    result = []
    for key in keys:
        before, after = diffs.Content.of(old.get(key)), diffs.Content.of(new.get(key))
        if before.same_as(after):
            continue
        question = by_key.get(key)
        result.append(
            QuestionDiff(
                key=key,
                number=question.number if question else "",
                title=question.title if question else f"No longer on the form: {key}",
                part=question.part if question else None,
                diff=diffs.question_diff(
                    before, after, question=question, source=f"Plan {plan.pk}, table {key}"
                ),
            )
        )
    return result


# --- What the history pages show ---------------------------------------------------------


def revision_who(revision) -> str:
    """Who made a revision, as a sentence names them ("… by Ann Smith"); a revision with no
    person behind it was made by the service itself (the demo's transcription, a migration)."""
    user = revision.history_user
    return (user.full_name or user.email) if user is not None else "the service"


def revision_when(revision) -> str:
    return long_moment(revision.history_date)


def revision_what(revision) -> str:
    """What the revision was, in plain words."""
    reason = revision.history_change_reason or ""
    if reason == "save":
        return "Saved"
    if reason == "autosave":
        return "Saved automatically (a draft)"
    if reason.startswith("restored revision from "):
        return "Restored the version from " + reason.removeprefix("restored revision from ")
    if reason.startswith("moved to "):
        return "Carried to the form version " + reason.removeprefix("moved to ")
    if reason:
        return reason[:1].upper() + reason[1:]
    return {"+": "Started with the plan", "-": "Deleted"}.get(revision.history_type, "Changed")


@dataclass
class RevisionRow:
    revision: HistoricalAnswer
    who: str
    when: str
    what: str

    @property
    def history_id(self) -> int:
        return self.revision.history_id

    @property
    def version(self) -> int:
        return self.revision.version


def revision_rows(revisions) -> list[RevisionRow]:
    return [
        RevisionRow(
            revision, revision_who(revision), revision_when(revision), revision_what(revision)
        )
        for revision in revisions
    ]


@dataclass
class Comparison:
    """Two revisions of one answer, older first, and what changed between them."""

    old: RevisionRow | None
    new: RevisionRow
    diff: diffs.AnswerDiff


def compare_revisions(answer: Answer, from_id, to_id) -> Comparison | None:
    """``from_id`` to ``to_id`` (either order); with no ``from_id``, the revision before
    ``to_id``. None when an id is not one of this answer's revisions."""
    found = revisions_of(answer, from_id, to_id)
    try:
        new = found[int(to_id)]
    except (KeyError, TypeError, ValueError):
        return None
    if from_id in (None, ""):
        old = previous_revision(new)
    else:
        try:
            old = found[int(from_id)]
        except (KeyError, TypeError, ValueError):
            return None
    if old is not None and (old.history_date, old.history_id) > (new.history_date, new.history_id):
        old, new = new, old
    diff = diffs.question_diff(
        diffs.Content.of(old),
        diffs.Content.of(new),
        question=answer.question,
        source=f"Plan {answer.plan_id}, table {answer.question.key}",
    )
    return Comparison(
        old=revision_rows([old])[0] if old is not None else None,
        new=revision_rows([new])[0],
        diff=diff,
    )
