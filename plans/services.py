"""Changes to plans and their answers. Views, admin, loaders and tasks call these verbs."""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from consortia.dates import long_date, long_moment
from consortia.models import Consortium, PersonRole
from consortia.permissions import Perm, allowed

from . import diffs, finance, history, selectors, structured
from .errors import AnswerInvalid, StaleAnswer
from .events import event_record
from .kinds.base import (
    LABELS_PARAMETER,
    MONEY_PARAMETER,
    PERCENT_PARAMETER,
    WHOLE_PARAMETER,
    KindContext,
    stored,
)
from .models import (
    Answer,
    Plan,
    PlanEvent,
    PlanningRound,
    PlanSnapshot,
    PlanTemplate,
    Prefill,
    QuestionKind,
    TemplateQuestion,
)
from .plan_years import plan_year_refused
from .sanitise import MAX_ANSWER_CHARACTERS, answer_too_long, clean_html
from .table_import import TableImportRefused, rows_from_csv
from .workflow import frozen_refusal, may_edit_answer

# Autosaves by one person within this window become one revision (see docs/decisions).
AUTOSAVE_COALESCE_WINDOW = timedelta(minutes=10)
AUTOSAVE = "autosave"
SAVE = "save"


def _prefill_rows(question: TemplateQuestion, consortium: Consortium) -> list[dict]:
    column_keys = [column["key"] for column in question.columns]
    if question.prefill == Prefill.PRACTICES:
        rows = [
            {"name": p.name, "code": p.code, "list_size": p.list_size or ""}
            for p in consortium.practices.all()
        ]
    elif question.prefill == Prefill.PCT_SUPPORT_TEAM:
        roles = PersonRole.objects.filter(
            person__commissioner=consortium.commissioner_id, kind=PersonRole.Kind.PCT_SUPPORT
        ).select_related("person")
        rows = [{"name": role.person.name, "role": role.detail} for role in roles]
    else:
        kinds = {
            Prefill.DIRECTORS: [PersonRole.Kind.DIRECTOR],
            Prefill.EXECUTIVE_COMMITTEE: [
                PersonRole.Kind.EXECUTIVE_MEMBER,
                PersonRole.Kind.EXECUTIVE_CHAIR,
            ],
            Prefill.CLINICAL_LEADS: [PersonRole.Kind.CLINICAL_LEAD],
            Prefill.MANAGERIAL_LEADS: [PersonRole.Kind.MANAGERIAL_LEAD],
        }[question.prefill]
        roles = (
            PersonRole.objects.filter(person__consortium=consortium, kind__in=kinds)
            .select_related("person")
            .order_by("person_id", "position")
        )
        by_person: dict[int, dict] = {}
        for role in roles:
            row = by_person.setdefault(role.person_id, {"name": role.person.name})
            detail = "Chair" if role.kind == PersonRole.Kind.EXECUTIVE_CHAIR else role.detail
            for key in ("discipline", "area", "role"):
                if detail and not row.get(key):
                    row[key] = detail
        rows = list(by_person.values())
    return [{key: str(row.get(key, "")) for key in column_keys} for row in rows]


@transaction.atomic
def plan_create(
    *,
    consortium: Consortium,
    template: PlanTemplate,
    period: str,
    title: str,
    user=None,
    planning_round: PlanningRound | None = None,
) -> Plan:
    """A new draft plan with one empty answer per question and its tables pre-filled. A year
    the consortium's PCT runs a planning round for has its plan started in the round
    (``plans.rounds.round_plan_start``, which passes ``planning_round``), never beside it."""
    if template.status != PlanTemplate.Status.PUBLISHED:
        raise AnswerInvalid("Plans can only start from a published template.")
    if problem := plan_year_refused(period):
        raise AnswerInvalid(problem, field="period")
    if planning_round is None and consortium.planning_rounds.filter(period=period).exists():
        raise AnswerInvalid(
            f"{period} has a planning round: start the {period} plan from your home page.",
            field="period",
        )
    questions = list(template.questions.exclude(kind=QuestionKind.SIGNOFF))
    prefilled = {
        question.pk: _prefill_rows(question, consortium)
        for question in questions
        if question.prefill
    }
    plan = Plan.objects.create(
        consortium=consortium,
        template=template,
        period=period,
        title=title,
        created_by=user,
        planning_round=planning_round,
    )
    # One insert for the answers and one for their first revisions, however long the form.
    # The consortium's records are not a person's answer: done once someone saves it.
    bulk_create_with_history(
        [
            Answer(
                plan=plan,
                question=question,
                rows=prefilled.get(question.pk, []),
                prefilled=bool(prefilled.get(question.pk)),
            )
            for question in questions
        ],
        Answer,
    )
    return plan


def answer_save(
    *,
    answer: Answer,
    user,
    base_version: int,
    text: str | None = None,
    rows: list | None = None,
    data: dict | None = None,
    autosave: bool = False,
    reason: str = SAVE,
    context: KindContext | None = None,
) -> Answer:
    """Save an editor's answer if nobody has saved since they loaded ``base_version``; the
    revision is told in the history by ``reason`` (an autosave's is always AUTOSAVE). The
    figures are cleaned in ``context`` when the caller has read it for the same request, else
    in one read here: the lock guards this answer only, so a context read a moment earlier
    knows the rest of the plan as well as one read under it.

    Raises PermissionDenied (with the reason), AnswerInvalid, or StaleAnswer carrying the
    current answer, so the editor can compare and keep their own text.
    """
    with transaction.atomic():
        current = _answer_locked(answer)
        decision = may_edit_answer(user, current.plan, current.question)
        if not decision:
            raise PermissionDenied(decision.reason)
        if current.version != base_version:
            raise StaleAnswer(current)
        _answer_write(
            current, user, text=text, rows=rows, data=data, autosave=autosave, reason=reason,
            context=context,
        )  # fmt: skip
    return current


def answer_correct(*, answer: Answer, user, text: str, rows: list, data: dict) -> Answer:
    """The site administrator's change in the admin, or a revision put back there: a save like
    an editor's (cleaned, a new version and revision, listed in the plan's activity) whoever
    the question belongs to, but never once the plan's content is frozen for signature
    (docs/decisions/0477). Raises PermissionDenied (with the reason) or AnswerInvalid."""
    with transaction.atomic():
        current = _answer_locked(answer)
        if frozen := frozen_refusal(current.plan):
            raise PermissionDenied(frozen)
        _answer_write(current, user, text=text, rows=rows, data=data, autosave=False)
    return current


def answer_content_clean(
    answer: Answer,
    *,
    text: str | None,
    rows: list | None,
    data: dict | None,
    context: KindContext | None = None,
) -> dict:
    """The text, table and figures as a save stores them: only those the answer's question
    holds, the text sanitised, the rest cleaned by the question's kind (AnswerInvalid) in
    ``context``, read from the plan when not given."""
    if text is not None and len(text) > MAX_ANSWER_CHARACTERS:
        raise AnswerInvalid(answer_too_long(text))
    question, cleaned = answer.question, {}
    if text is not None and question.has_text:
        cleaned["text"] = clean_html(text)
    if rows is not None and question.kind == QuestionKind.TABLE:
        cleaned["rows"] = structured.kind_for(question).clean(
            rows, context=context or selectors.kind_context(answer.plan)
        )
    if data is not None and question.kind in structured.KINDS:
        cleaned["data"] = structured.kind_for(question).clean(
            data, context=context or selectors.kind_context(answer.plan)
        )
    return cleaned


def answer_unchanged(
    *,
    answer: Answer,
    text: str | None = None,
    rows: list | None = None,
    data: dict | None = None,
    context: KindContext | None = None,
) -> bool:
    """Whether saving these values would leave ``answer`` holding what it holds now, compared
    as the plan's history compares versions. Values a save would refuse are a change. A caller
    comparing many answers of one plan passes its ``context``, read once."""
    try:
        changes = answer_content_clean(answer, text=text, rows=rows, data=data, context=context)
    except AnswerInvalid:
        return False
    now = diffs.Content.of(answer)
    after = {"text": now.text, "rows": now.rows, "data": now.data, **changes}
    return now.same_as(diffs.Content.of(after))


def _answer_write(
    current: Answer,
    user,
    *,
    text,
    rows,
    data,
    autosave: bool,
    reason: str = SAVE,
    context: KindContext | None = None,
) -> None:
    """Store a save on the locked answer: its content cleaned, a new version, a revision."""
    # The version about to be replaced, as stored, while the lock holds it (kept below when
    # its revision is overwritten).
    before = diffs.Content.of(current)
    cleaned = answer_content_clean(current, text=text, rows=rows, data=data, context=context)
    for name, value in cleaned.items():
        setattr(current, name, value)
    current.version += 1
    current.autosaved = autosave
    current.carried_forward = False  # edited: no longer last year's words unchecked
    current.prefilled = False  # saved by a person: no longer only the consortium's records
    current.updated_at = timezone.now()
    current.updated_by = user
    if autosave and _coalesced_into_latest_autosave(current, user):
        # The revision already holds this save: the answer's row is all that is left. The
        # version it held is kept aside, once the save is committed, for an editor who
        # started from it and now clashes (docs/decisions/0499).
        transaction.on_commit(lambda: history.base_keep(current.pk, before), robust=True)
        Answer.objects.filter(pk=current.pk).update(
            **{name: getattr(current, name) for name in _SAVED_FIELDS},
            carried_forward=False,
            prefilled=False,
        )
    else:
        current._change_reason = AUTOSAVE if autosave else reason
        current._history_user = user
        current.save()


# What a save changes on the answer, and so on the revision an autosave is coalesced into.
_SAVED_FIELDS = (
    "text", "rows", "data", "autosaved", "version", "updated_at", "updated_by_id",
)  # fmt: skip


def _answer_locked(answer: Answer) -> Answer:
    """The answer as stored, locked until the transaction ends, with its plan's state.

    One statement locks the answer's row for update (saves of one answer take turns, so the
    version check and the write are one step) and the plan's row for share: a change of the
    plan's state, which locks it for update (signoff/services/review.py), waits for the saves in
    flight and they for it, while saves of a plan's different answers never wait for each other.
    The plan, its consortium and the question come from ``answer`` as the caller loaded them;
    only the plan's state is read afresh, and the question again if a move to a newer form gave
    the answer another.
    """
    locks = " FOR UPDATE OF a FOR SHARE OF p" if connection.features.has_select_for_update else ""
    current = next(
        iter(
            Answer.objects.raw(
                f"SELECT a.*, p.status AS plan_status FROM {Answer._meta.db_table} a "  # noqa: S608 (table names only)
                f"JOIN {Plan._meta.db_table} p ON p.id = a.plan_id WHERE a.id = %s{locks}",
                [answer.pk],
            )
        ),
        None,
    )
    if current is None:
        raise Answer.DoesNotExist(f"Answer {answer.pk} no longer exists.")
    current.plan = answer.plan
    current.plan.status = current.plan_status
    if current.question_id == answer.question_id:
        current.question = answer.question
    return current


def _coalesced_into_latest_autosave(current: Answer, user) -> bool:
    """Whether the answer's newest revision was this person's autosave, less than the window
    ago, and now holds this save too (one statement: the revision is found and changed where
    it is; the answer's lock keeps any other save of it out meanwhile).

    Written as SQL: built by the ORM, this one statement cost an autosave more CPU time than
    every other statement of its transaction together. The values are prepared by the fields
    themselves, as the ORM would (JSON, times, booleans on either database)."""
    table, quote = history.HistoricalAnswer._meta, connection.ops.quote_name
    fields = [table.get_field(name) for name in (*_SAVED_FIELDS, "history_date")]
    values = [getattr(current, name) for name in _SAVED_FIELDS] + [current.updated_at]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(table.db_table)} SET {assignments} WHERE history_id = ("  # noqa: S608 (column names only)
            f"SELECT history_id FROM {quote(table.db_table)} WHERE id = %s"
            " ORDER BY history_date DESC, history_id DESC LIMIT 1"
            ") AND history_change_reason = %s AND history_user_id = %s AND history_date > %s",
            [
                *(f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)),
                current.pk,
                AUTOSAVE,
                user.pk,
                table.get_field("history_date").get_db_prep_value(
                    current.updated_at - AUTOSAVE_COALESCE_WINDOW, connection
                ),
            ],
        )
        return cursor.rowcount == 1


def table_rows_import(
    *, answer: Answer, user, base_version: int, data: bytes
) -> tuple[Answer, tuple[str, ...]]:
    """Replace a table question's rows with those of the CSV file ``data`` (plans/
    table_import.py), saved as the editor's save is and told in the history as an import;
    returns the answer and the file's headings
    that were ignored. Raises TableImportRefused listing every bad cell, and nothing is saved;
    PermissionDenied or StaleAnswer as ``answer_save`` does."""
    decision = may_edit_answer(user, answer.plan, answer.question)
    if not decision:
        raise PermissionDenied(decision.reason)
    if answer.question.kind != QuestionKind.TABLE:
        raise TableImportRefused(["Only a table's rows can be imported from a CSV file."])
    context = selectors.kind_context(answer.plan)
    imported = rows_from_csv(answer.question, data, context=context)
    saved = answer_save(
        answer=answer,
        user=user,
        base_version=base_version,
        rows=imported.rows,
        reason=history.CSV_IMPORT,
        context=context,
    )
    return saved, imported.ignored


#: The figures a template may set (docs/decisions/0400), as a move compares them.
FIGURE_PARAMETERS = (MONEY_PARAMETER, PERCENT_PARAMETER, WHOLE_PARAMETER)
#: Table columns whose entries are figures, for the preview's wording.
FIGURE_COLUMNS = ("money", "percent", "whole", "number")


def _shown_figure(kind: str, value: Decimal) -> str:
    if kind == MONEY_PARAMETER:
        return finance.format_money(value, pence=value != value.to_integral_value())
    if kind == PERCENT_PARAMETER:
        return finance.format_percentage(value, places=2).replace(".00%", "%")
    return f"{value:,f}"


def _figure(value) -> Decimal | None:
    """A parameter or a stored figure as a Decimal; None when not given or unreadable."""
    if value in (None, "", [], {}):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@dataclass(frozen=True)
class DroppedColumn:
    """A column of a table the newer version does not have, and the plan's entries in it
    (row number, the row's first cell, the entry), which the move does not keep."""

    question: TemplateQuestion
    label: str
    target_label: str
    figures: bool
    entries: tuple[tuple[int, str, str], ...]

    @property
    def sentence(self) -> str:
        count = len(self.entries)
        noun = "figure" if self.figures else "entry"
        held = (
            f"{count} row holds {'a' if self.figures else 'an'} {noun} in it"
            if count == 1
            else f"{count} rows hold {noun.replace('y', 'ie')}s in it"
            if count
            else f"no row holds {'a' if self.figures else 'an'} {noun} in it"
        )
        return f"{self.question}: the column {self.label} is not in {self.target_label}; {held}"


@dataclass(frozen=True)
class ChangedParameter:
    """A figure (a rate, a share) or a setting the template sets that the newer version sets
    differently: ``old`` and ``new`` as each version shows it ("" where it leaves it to the
    plan), ``held`` the plan's own figure where the answer gives one, and what the move stores
    in the answer in its place (``replaced``: the key and the value, or a key to remove)."""

    question: TemplateQuestion
    what: str
    old: str
    new: str
    held: str
    source_label: str
    target_label: str
    key: str
    replaced: object = None
    removed: bool = False
    #: whether the plan's answer holds figures the change bears on
    answered: bool = False

    @property
    def changes_the_answer(self) -> bool:
        return self.removed or self.replaced is not None

    @property
    def sentence(self) -> str:
        where = str(self.question)  # its number and title, or the title alone
        if self.old and self.new:
            said = (
                f"{where}: {self.what} is {self.new} in {self.target_label}, {self.old} in "
                f"{self.source_label}"
            )
            if self.changes_the_answer:
                said += f"; the plan's figures will be worked out at {self.new}"
            return said
        if self.new:
            said = f"{where}: {self.target_label} sets {self.what} at {self.new}"
            if self.held:
                said += f"; the plan's own figure, {self.held}, is replaced by it"
            return said
        if self.old:
            return (
                f"{where}: {self.target_label} no longer sets {self.what}; the plan keeps "
                f"{self.old} ({self.source_label}'s figure) and you can change it"
            )
        return f"{where}: the form's {self.what} change in {self.target_label}"


@dataclass
class MigrationPreview:
    target: PlanTemplate
    source_label: str = ""
    mapped: list[tuple[TemplateQuestion, TemplateQuestion]] = field(default_factory=list)
    unmapped: list[Answer] = field(default_factory=list)
    new_questions: list[TemplateQuestion] = field(default_factory=list)
    #: table columns the newer version drops, with what the plan holds in them
    dropped_columns: list[DroppedColumn] = field(default_factory=list)
    #: rates, shares and settings the newer version sets differently
    changed_parameters: list[ChangedParameter] = field(default_factory=list)

    @property
    def carried(self) -> list[str]:
        """Each answer that carries across, as the preview lists it: the question's number
        (and its new one where the newer version renumbers it), then its title, once: "4.2
        becomes 4.3: Risks", or "Risks" for a question with no number in either version."""
        lines = []
        for old, new in self.mapped:
            if old.number == new.number:
                number = old.number
            else:
                number = f"{old.number or 'Unnumbered'} becomes {new.number or 'unnumbered'}"
            lines.append(f"{number}: {new.title}" if number else new.title)
        return lines

    @property
    def columns_with_entries(self) -> list[DroppedColumn]:
        return [column for column in self.dropped_columns if column.entries]

    @property
    def fingerprint(self) -> str:
        """What the editor is asked to confirm, in short: a move checks it is still that."""
        losses = (
            [answer.pk for answer in self.unmapped],
            [(column.sentence, column.entries) for column in self.columns_with_entries],
            [change.sentence for change in self.changed_parameters if change.answered],
        )
        return hashlib.sha256(repr(losses).encode()).hexdigest()[:16]

    @property
    def record(self) -> str:
        """What the move leaves behind, in full, for the plan's activity: the form's pages
        draw only the new version's columns, so this is where a dropped entry can be read."""
        lines = [f"Moved from {self.source_label} to {self.target.version_label}."]
        for column in self.columns_with_entries:
            lines.append(f"{column.sentence}:")
            lines += [
                f"- row {number}{f' ({name})' if name else ''}: {value}"
                for number, name, value in column.entries
            ]
        lines += [
            f"{answer.question}: no matching question in "
            f"{self.target.version_label}; the answer is kept with the plan's history."
            for answer in self.unmapped
        ]
        lines += [f"{change.sentence}." for change in self.changed_parameters if change.answered]
        return "\n".join(lines)

    @property
    def needs_confirmation(self) -> bool:
        """Whether the move loses or changes anything the plan holds: the editor must say
        they understand first."""
        return bool(
            self.unmapped
            or self.columns_with_entries
            or any(change.answered for change in self.changed_parameters)
        )


def _dropped_columns(
    answer: Answer, old: TemplateQuestion, new: TemplateQuestion, target_label: str
) -> list[DroppedColumn]:
    if old.kind != QuestionKind.TABLE:
        return []
    kept = {column["key"] for column in new.columns or []}
    first = (old.columns or [{}])[0].get("key")
    dropped = []
    for column in old.columns or []:
        if column["key"] in kept or column.get("formula"):
            continue  # a worked-out column holds nothing typed
        entries = tuple(
            (number, str(row.get(first, "") or ""), str(row[column["key"]]))
            for number, row in enumerate(answer.rows or [], start=1)
            if str(row.get(column["key"], "") or "").strip()
        )
        dropped.append(
            DroppedColumn(
                question=old,
                label=column.get("label") or column["key"],
                target_label=target_label,
                figures=column.get("type") in FIGURE_COLUMNS,
                entries=entries,
            )
        )
    return dropped


def _changed_parameters(
    answer: Answer, old: TemplateQuestion, new: TemplateQuestion, *, source_label, target_label
) -> list[ChangedParameter]:
    if new.kind not in structured.KINDS:
        return []
    kind = structured.kind_for(new)
    was, now = old.parameters or {}, new.parameters or {}
    data = answer.data or {}
    changes = []
    for name, parameter in kind.PARAMETERS.items():
        if parameter.type == LABELS_PARAMETER:
            continue  # a label changes what a line is called, never a figure
        what = parameter.description.split(",")[0]
        common = {
            "question": new,
            "what": what,
            "source_label": source_label,
            "target_label": target_label,
            "key": name,
            "answered": bool(data),
        }
        if parameter.type in FIGURE_PARAMETERS:
            before, after, held = _figure(was.get(name)), _figure(now.get(name)), None
            if before == after:
                continue
            held = _figure(data.get(name))
            replaced = None
            if after is not None and held is not None and held != after:
                # The newer form refuses any other figure: the move stores its own.
                replaced = int(after) if parameter.type == WHOLE_PARAMETER else stored(after)
            changes.append(
                ChangedParameter(
                    **common,
                    old=_shown_figure(parameter.type, before) if before is not None else "",
                    new=_shown_figure(parameter.type, after) if after is not None else "",
                    held=_shown_figure(parameter.type, held) if replaced and before is None else "",
                    replaced=replaced,
                )
            )
        elif was.get(name) != now.get(name):
            # A scale or a list the newer form sets replaces the plan's own.
            removed = now.get(name) not in (None, "", [], {}) and data.get(name) not in (
                None, "", [], {},
            )  # fmt: skip
            changes.append(
                ChangedParameter(
                    **common,
                    old="",
                    new="",
                    held="",
                    removed=removed,
                )
            )
    return changes


def plan_migration_preview(*, plan: Plan, target: PlanTemplate) -> MigrationPreview:
    """What moving the plan to ``target`` would do, answer by answer, before anything changes:
    the answers that carry across and those that cannot, the table columns (and the entries
    in them) that go, and the rates and settings the newer version sets differently."""
    if target.family != plan.template.family:
        raise AnswerInvalid("A plan can only move to another version of its own form.")
    targets = {question.key: question for question in target.questions.all()}
    preview = MigrationPreview(target=target, source_label=plan.template.version_label)
    labels = {"source_label": plan.template.version_label, "target_label": target.version_label}
    answered_keys = set()
    for answer in plan.answers.select_related("question"):
        answered_keys.add(answer.question.key)
        new_question = targets.get(answer.question.key)
        if new_question is not None and new_question.kind == answer.question.kind:
            preview.mapped.append((answer.question, new_question))
            preview.dropped_columns += _dropped_columns(
                answer, answer.question, new_question, target.version_label
            )
            preview.changed_parameters += _changed_parameters(
                answer, answer.question, new_question, **labels
            )
        elif not answer.is_empty:
            preview.unmapped.append(answer)
    preview.new_questions = [
        question
        for key, question in targets.items()
        if key not in answered_keys and question.answerable
    ]
    return preview


def _moved_content(answer: Answer, new_question: TemplateQuestion, preview: MigrationPreview):
    """The answer's rows and figures as the newer version keeps them: the columns it drops
    left out, the figures it sets put in (so nothing is refused or rewritten on a later save)."""
    rows = answer.rows
    if new_question.kind == QuestionKind.TABLE and answer.rows:
        kept = {column["key"] for column in new_question.columns or []}
        rows = [{key: value for key, value in row.items() if key in kept} for row in answer.rows]
    data = dict(answer.data or {})
    for change in preview.changed_parameters:
        if change.question.pk != new_question.pk:
            continue
        if change.removed:
            data.pop(change.key, None)
        elif change.replaced is not None:
            data[change.key] = change.replaced
    return rows, data


@transaction.atomic
def plan_migrate(
    *, plan: Plan, target: PlanTemplate, user, confirmed: bool = False, seen: str | None = None
) -> MigrationPreview:
    """Move a draft plan to a newer version of its form, carrying answers by stable key.

    Answers with no counterpart are kept on their old question, in their history and listed
    in the preview. A table column the newer version drops is left out of the moved rows, and
    a rate it sets differently is stored in the answer; the revision before the move keeps
    the answer as it was. When the move loses or changes anything (``needs_confirmation``),
    the editor must have ``confirmed`` it, or nothing changes; ``seen``, the preview's
    ``fingerprint`` they confirmed, must still be the plan's.
    """
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in (Plan.Status.DRAFT, Plan.Status.CHANGES_REQUESTED):
        raise AnswerInvalid("Only a plan being written can move to a newer form.")
    preview = plan_migration_preview(plan=plan, target=target)
    if preview.needs_confirmation and not confirmed:
        raise AnswerInvalid(
            "Confirm that you understand what the new version will not keep before moving."
        )
    if preview.needs_confirmation and seen is not None and seen != preview.fingerprint:
        raise AnswerInvalid(
            "The plan changed after the list of what will not be kept was shown: check the "
            "list again before moving."
        )
    new_by_old = {old.pk: new for old, new in preview.mapped}
    reason = f"moved to {target.version_label}"
    for answer in plan.answers.select_related("question"):
        new_question = new_by_old.get(answer.question_id)
        if new_question is None:
            # Kept on its old question, so nothing typed is ever lost; the preview lists it.
            continue
        rows, data = _moved_content(answer, new_question, preview)
        if (rows, data) != (answer.rows, answer.data):
            if not history.answer_revisions(answer).exists():
                # The answer as it was, kept as a revision before the move changes it.
                answer._change_reason = "before moving to a newer form"
                answer._history_user = user
                answer.save()
            answer.rows, answer.data = rows, data
            answer.version += 1  # an editor's page opened before the move is out of date
        answer.question = new_question
        answer._change_reason = reason
        answer._history_user = user
        answer.save()
    for question in preview.new_questions:
        Answer.objects.create(plan=plan, question=question)
    plan.template = target
    plan._change_reason = reason
    plan.save()
    event_record(plan=plan, kind=PlanEvent.Kind.MOVE, actor=user, comment=preview.record)
    return preview


# --- History: restore a revision, name a draft --------------------------------------------

SNAPSHOT_NAME_MAX = 200


def answer_restore(*, answer: Answer, user, history_id: int, base_version: int) -> Answer:
    """Put an earlier revision's text, table and figures back, recorded as a new revision.

    The rules of any save apply: who may edit the question in the plan's state, and the
    version the person started from (StaleAnswer if someone saved since).
    """
    revision = history.revision_of(answer, history_id)
    if revision is None:
        raise AnswerInvalid("That revision is not one of this answer's: reload the history.")
    when = long_moment(revision.history_date)
    saved_by = history.revision_who(revision)
    reason = f"restored revision from {when}"
    # The history names who saved the version put back, as far as the column holds.
    room = history.HistoricalAnswer._meta.get_field("history_change_reason").max_length
    room -= len(reason) + len(", saved by ")
    if room > 0:
        name = saved_by if len(saved_by) <= room else saved_by[: room - 1] + "…"
        reason = f"{reason}, saved by {name}"
    with transaction.atomic():
        saved = answer_save(
            answer=answer,
            user=user,
            base_version=base_version,
            text=revision.text,
            rows=revision.rows,
            data=revision.data,
            reason=reason,
        )
        event_record(
            plan=saved.plan,
            kind=PlanEvent.Kind.RESTORE,
            actor=user,
            question=saved.question,
            comment=f"Put back the version from {when}, saved by {saved_by}.",
        )
    return saved


def default_snapshot_name(taken: set[str]) -> str:
    """The next free "Draft version N (22 June 2007)"; ``taken`` holds lower-cased names."""
    today = long_date(timezone.localdate())
    number = len(taken) + 1
    while (name := f"Draft version {number} ({today})").lower() in taken:
        number += 1
    return name


def snapshot_create(*, plan: Plan, user, name: str = "") -> PlanSnapshot:
    """Name the plan as it stands now ("Draft version 1 (22 June 2007)"), keeping a copy of
    every answer, so it can be compared with any later version (docs/decisions/0104)."""
    if not allowed(user, Perm.EDIT_CONSORTIUM_SECTIONS, plan):
        raise PermissionDenied("Only the consortium's editors and chair can name a draft.")
    name = " ".join((name or "").split())
    if len(name) > SNAPSHOT_NAME_MAX:
        raise AnswerInvalid(
            f"A name can be at most {SNAPSHOT_NAME_MAX} characters long.", field="name"
        )
    with transaction.atomic():
        # One naming at a time per plan, so two people cannot take the same default name.
        Plan.objects.select_for_update(of=("self",)).only("pk").get(pk=plan.pk)
        taken = {taken.lower() for taken in plan.snapshots.values_list("name", flat=True)}
        if not name:
            name = default_snapshot_name(taken)
        elif name.lower() in taken:
            raise AnswerInvalid(
                f"This plan already has a named draft called “{name}”. Choose another name.",
                field="name",
            )
        try:
            with transaction.atomic():
                snapshot = PlanSnapshot.objects.create(
                    plan=plan, name=name, answers=history.current_content(plan), created_by=user
                )
        except IntegrityError as clash:
            raise AnswerInvalid(
                f"This plan already has a named draft called “{name}”. Choose another name.",
                field="name",
            ) from clash
        event_record(plan=plan, kind=PlanEvent.Kind.SNAPSHOT, actor=user, comment=name)
    return snapshot
