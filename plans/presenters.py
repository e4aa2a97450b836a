"""What the plan pages show, worked out here so templates only lay it out."""

import re
from dataclasses import dataclass, field

from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.text import Truncator, capfirst

from consortia.dates import long_moment
from consortia.tables import Cell, Heading, Table, Tag

from . import content, structured
from .kinds.base import DATE_PARTS, Kind, KindContext, cell_key
from .kinds.rows import RowSpec
from .models import Answer, Plan, PlanTemplate, TemplatePart, TemplateQuestion
from .round_selectors import FigureRow
from .workflow import FROZEN, Decision, owner_label

NOT_STARTED = "Not started"
IN_PROGRESS = "In progress"
COMPLETED = "Completed"
# A frozen plan's answers stand as they were approved: written or not, nothing is pending
# (docs/decisions/0472).
ANSWERED = "Answered"
NOT_ANSWERED = "Not answered"
STATE_TAG_CLASSES = {
    NOT_STARTED: "nhsuk-tag--grey",
    IN_PROGRESS: "nhsuk-tag--blue",
    COMPLETED: "",
    ANSWERED: "",
    NOT_ANSWERED: "nhsuk-tag--grey",
}


def completed_by_label(question: TemplateQuestion, plan: Plan) -> str:
    """Who completes a question, as the form says it (workflow.owner_label)."""
    return owner_label(question, plan)


def answer_state(answer: Answer | None, *, frozen: bool = False) -> str:
    """Completed only when done (``Answer.is_done``, counted as on the dashboards and the
    round page): a written answer only typed or carried forward unchecked is in progress. In a
    ``frozen`` plan (approved and later) no answer can change, so it is answered or not."""
    written = answer is not None and not answer.is_empty
    if frozen:
        return ANSWERED if written else NOT_ANSWERED
    if not written:
        return NOT_STARTED
    return COMPLETED if answer.is_done else IN_PROGRESS


def last_changed(answer: Answer | None) -> str:
    if answer is None or answer.updated_at is None:
        return ""
    who = answer.updated_by.full_name if answer.updated_by else "Someone"
    when = long_moment(answer.updated_at)
    return f"Last changed by {who} on {when}"


@dataclass
class QuestionRow:
    question: TemplateQuestion
    answer: Answer | None
    completed_by: str
    state: str
    tag_class: str
    last_changed: str
    edit: Decision | None = None
    form: object = None
    table_rows: list = field(default_factory=list)
    structured_template: str = ""
    structured: dict = field(default_factory=dict)
    #: the cache key of its block (plans.fragments); "" renders it afresh
    fragment_key: str = ""
    #: its block as read from the cache under ``fragment_key``, or None to render it
    fragment_html: str | None = None
    #: what is inconsistent in the saved answer (kept as a draft; stops submission)
    warnings: list = field(default_factory=list)
    #: the assignment of the question to a person, if any (plans.assignments)
    holder: object = None
    #: carried forward from last year and not yet checked, in a plan that can still change
    to_check: bool = False

    @property
    def unanswered(self) -> bool:
        """Nothing written, whether the plan can still change or not."""
        return self.state in (NOT_STARTED, NOT_ANSWERED)


@dataclass
class PartRow:
    part: TemplatePart
    questions: list[QuestionRow] = field(default_factory=list)
    #: the assignment of the whole part to a person, if any
    holder: object = None

    @property
    def assignable(self) -> bool:
        """Whether the part can be given to a person of the consortium: it holds a question
        they answer (not guidance only, the PCT's own questions or sign-off)."""
        return any(row.question.consortium_answers for row in self.questions)


@dataclass(frozen=True)
class AnswerTag:
    """What an answer's tags say (plans/_answer_tag.html): its state, and whether it is
    last year's, carried forward, still to check."""

    state: str
    tag_class: str
    to_check: bool


def answer_tag(answer: Answer | None, plan: Plan) -> AnswerTag:
    frozen = plan.status in FROZEN
    state = answer_state(answer, frozen=frozen)
    return AnswerTag(
        state=state,
        tag_class=STATE_TAG_CLASSES[state],
        to_check=answer is not None and answer.carried_forward and not frozen,
    )


def task_row(question, answer, plan) -> QuestionRow:
    """One question as the task list shows it: its state and who completes it, without the
    figures, tables and warnings the part page works out (issue 16: the task list presented
    every answer in full to show a tag)."""
    tag = answer_tag(answer, plan)
    return QuestionRow(
        question=question,
        answer=answer,
        completed_by=completed_by_label(question, plan),
        state=tag.state,
        tag_class=tag.tag_class,
        last_changed="",
        to_check=tag.to_check,
    )


def question_row(
    question,
    answer,
    plan,
    *,
    context: KindContext,
    data: dict | None = None,
    page: int | None = None,
) -> QuestionRow:
    """One question as a page shows it; ``data`` is figures the editor posted but not saved,
    ``context`` what its kind may know of the plan (plans.selectors.kind_context), ``page``
    the page of a long list a web page shows (None: all of it, as the PDF does)."""
    row = task_row(question, answer, plan)
    row.last_changed = last_changed(answer)
    present_answer(row, plan, context=context, data=data, page=page)
    return row


def present_answer(
    row: QuestionRow,
    plan: Plan,
    *,
    context: KindContext,
    data: dict | None = None,
    page: int | None = None,
) -> None:
    """Fills in ``row``'s tables, figures and warnings: the costly part of a question's block,
    which the part page works out only when the block is not already in the cache."""
    question, answer = row.question, row.answer
    kind = structured.figured_kind(question)
    if kind is not None:
        figures = data if data is not None else kind.value_of(answer)
        shown = kind.on_page(page) if page is not None else kind
        row.structured_template = kind.template_name
        row.structured = shown.present(figures, context=context)
        if question.kind in structured.KINDS and answer is not None and answer.data:
            row.warnings = kind.warnings(answer.data, context=context)
    row.table_rows = content.table_rows(
        question, answer.rows if answer is not None else [], plan_id=plan.pk
    )


@dataclass(frozen=True)
class Progress:
    """How far a plan's required questions are, in the one sentence every page gives it: the
    plan page from its task list, the home pages and the round page from the database
    (``signoff.presenters.dashboards.with_progress``), so a plan reads the same wherever it is
    shown (docs/decisions/0486). ``completed`` counts the answers done (``Answer.is_done``);
    ``started`` those written, done or not (typed, carried forward and not yet checked). In a
    ``frozen`` plan ``completed`` counts those written, as it was approved."""

    required: int
    completed: int
    started: int
    frozen: bool = False

    @property
    def percent(self) -> int:
        return self.completed * 100 // self.required if self.required else 100

    @property
    def sentence(self) -> str:
        if not self.required:
            return "No question is required."
        of = f"{self.completed} of {self.required} required question{pluralize(self.required)}"
        if self.frozen:
            return f"{of} answered."
        also = f", {self.started} started" if self.started != self.completed else ""
        return f"{of} completed{also}."


@dataclass
class TaskList:
    parts: list[PartRow]
    #: the plan is approved or later: its answers stand as they are (docs/decisions/0472)
    frozen: bool = False

    @property
    def answerable(self) -> list[QuestionRow]:
        return [row for part in self.parts for row in part.questions if row.question.answerable]

    @property
    def carried_count(self) -> int:
        """Answers copied from last year's plan and not yet edited or confirmed."""
        return sum(1 for row in self.answerable if row.to_check)

    @property
    def progress(self) -> Progress:
        """The plan's required questions: how many are completed and started while it can
        change; once frozen, how many were answered."""
        required = [row for row in self.answerable if row.question.required]
        return Progress(
            required=len(required),
            completed=sum(1 for row in required if row.state in (COMPLETED, ANSWERED)),
            started=sum(1 for row in required if not row.unanswered),
            frozen=self.frozen,
        )


def task_list(
    plan: Plan, parts: list[TemplatePart], answers: dict[int, Answer], holders: dict | None = None
) -> TaskList:
    """The plan's parts and questions with their state; ``holders`` is who holds each section
    ({("part" or "question", id): assignment}, plans.assignments.holders)."""
    holders = holders or {}
    task_list = TaskList(parts=[], frozen=plan.status in FROZEN)
    for part in parts:
        row = PartRow(part=part, holder=holders.get(("part", part.pk)))
        for question in part.questions.all():
            question_row = task_row(question, answers.get(question.pk), plan)
            question_row.holder = holders.get(("question", question.pk))
            row.questions.append(question_row)
        task_list.parts.append(row)
    return task_list


# --- Tables of plans, drafts, revisions and questions (consortia.tables) ---------------------


def _question_label(question: TemplateQuestion, length: int) -> str:
    """The question's number, if it has one, and its title cut to ``length`` characters."""
    title = Truncator(question.title).chars(length)
    return f"{question.number} {title}" if question.number else title


def plans_table(plans) -> Table:
    return Table(
        caption="Plans you can see",
        caption_hidden=True,
        responsive=True,
        headings=[Heading("Plan"), Heading("Consortium"), Heading("Year"), Heading("Status")],
        rows=[
            [
                Cell(
                    plan.title,
                    href=reverse("plan_detail", args=[plan.pk]),
                    note=f"{plan.template.name} [{plan.template.version_label}]",
                ),
                Cell(plan.consortium.name),
                Cell(str(plan.period)),
                Cell("", tags=(Tag(plan.get_status_display()),)),
            ]
            for plan in plans
        ],
        empty="There are no plans yet.",
    )


def drafts_table(plan: Plan, drafts) -> Table:
    compare = reverse("drafts_compare", args=[plan.pk])
    return Table(
        caption=f"{len(drafts)} named draft{pluralize(len(drafts))}",
        caption_size="m",
        headings=[Heading("Name"), Heading("Named by"), Heading("When"), Heading("Changes")],
        rows=[
            [
                Cell(draft.name),
                Cell((draft.created_by.full_name if draft.created_by else "") or "Not recorded"),
                Cell(long_moment(draft.created_at)),
                Cell(
                    "Compare with the plan now",
                    href=f"{compare}?from={draft.pk}&to=current",
                    hidden_suffix=f": {draft.name}",
                ),
            ]
            for draft in drafts
        ],
        empty="The plan has no named drafts yet.",
        scroll_id="drafts-caption",
    )


def history_table(plan: Plan, page, rows) -> Table:
    """A page of the plan's revisions (plans.history.revision_rows), newest first."""
    count = page.paginator.count
    of_pages = f" (page {page.number} of {page.paginator.num_pages})"
    table_rows = []
    for row in rows:
        question = row.revision.question
        url = reverse("question_history", args=[plan.pk, question.key])
        short = question.number or Truncator(question.title).chars(40)
        table_rows.append(
            [
                Cell(row.when),
                Cell(capfirst(row.who)),
                Cell(_question_label(question, 80), href=url),
                Cell(f"{row.what} (version {row.version})"),
                Cell(
                    "Show changes",
                    href=f"{url}?to={row.history_id}#changes",
                    hidden_suffix=f" to {short}, version {row.version}",
                ),
            ]
        )
    return Table(
        caption=f"{count} change{pluralize(count)}{of_pages if page.has_other_pages() else ''}",
        caption_size="m",
        css="app-history-table",
        responsive=True,
        headings=[
            Heading("When"),
            Heading("Who"),
            Heading("Question"),
            Heading("What happened"),
            Heading("Changes"),
        ],
        rows=table_rows,
        empty="Nothing has been recorded for this plan yet.",
    )


def _question_cell(plan: Plan, question: TemplateQuestion) -> Cell:
    url = reverse("part_detail", args=[plan.pk, question.part.key])
    return Cell(_question_label(question, 100), href=f"{url}#question-{question.key}")


def unresolved_table(plan: Plan, unresolved) -> Table:
    """Saved answers that do not add up (selectors.unresolved_answers)."""
    return Table(
        caption="Answers to fix before submitting",
        caption_hidden=True,
        headings=[Heading("Question"), Heading("What to fix"), Heading("Completed by")],
        rows=[
            [_question_cell(plan, question), Cell(warning), Cell(owner)]
            for question, warning, owner in unresolved
        ],
    )


def questions_table(plan: Plan, questions, *, caption: str) -> Table:
    """Questions to see to, each with who completes it: required ones still empty
    (selectors.missing_required), answers in progress or carried forward not yet checked."""
    return Table(
        caption=caption,
        caption_hidden=True,
        headings=[Heading("Question"), Heading("Completed by")],
        rows=[[_question_cell(plan, question), Cell(owner)] for question, owner in questions],
    )


#: a figure one year of the two does not have
NOT_GIVEN = "Not given"


def figures_table(plan: Plan, source: Plan, figures: list[FigureRow]) -> Table:
    """Last year's figures beside this year's (round_selectors.figures_by_year): each question
    named on its first figure only, a figure that changed in bold, one a year does not have
    "Not given"."""
    rows = []
    for before, row in zip([None, *figures], figures, strict=False):
        named = before is None or before.question != row.question
        question = Truncator(row.question).words(8, truncate=" …") if named else ""
        rows.append(
            [
                Cell(question),
                Cell(row.label),
                Cell(row.last_year or NOT_GIVEN, numeric=True),
                Cell(row.this_year or NOT_GIVEN, numeric=True, strong=row.changed),
            ]
        )
    return Table(
        caption=f"The figures: {source.period} against {plan.period}",
        headings=[
            Heading("Question"),
            Heading("Figure"),
            Heading(source.period, numeric=True),
            Heading(plan.period, numeric=True),
        ],
        rows=rows,
        responsive=True,
    )


# --- A PCT's plan forms and a definition file's check (plans/template_views.py) ------------------


def versions_loaded(commissioner, counts: dict[str, int]) -> str:
    """How many versions of the PCT's forms are loaded, in each status
    (selectors.form_versions_by_status)."""
    total = sum(counts.values())
    if not total:
        return f"{commissioner.name} has no plan forms yet."
    by_status = ", ".join(
        f"{counts[status]} {label.lower()}"
        for status, label in PlanTemplate.Status.choices
        if counts.get(status)
    )
    return f"{total} version{pluralize(total)} loaded: {by_status}."


def pct_forms_table(commissioner, forms) -> Table:
    """The PCT's forms, each version with its plans and its definition file to download."""
    return Table(
        caption=f"Plan forms of {commissioner.name}",
        caption_hidden=True,
        responsive=True,
        empty_as_row=True,
        empty=f"{commissioner.name} has no plan forms yet.",
        headings=[
            Heading("Form"),
            Heading("Version"),
            Heading("Status"),
            Heading("Plans", numeric=True),
            Heading("Definition file"),
        ],
        rows=[
            [
                Cell(template.name, header=True),
                Cell(template.version_label),
                Cell(template.get_status_display()),
                Cell(str(template.plan_count), numeric=True),
                Cell(
                    "Download",
                    href=reverse(
                        "pct_form_download",
                        kwargs={"slug": commissioner.slug, "template_slug": template.slug},
                    ),
                    hidden_suffix=f" {template.name} {template.version_label}",
                ),
            ]
            for template in forms
        ],
    )


def definition_check_tables(previewed) -> list[Table]:
    """What a checked definition file holds, table by table (an ImportPreview), those it has
    rows for: on a phone each row stands as a card, so a setting's long name wraps rather than
    widen the page."""
    listed = {
        "Parts": (
            [Heading("Number"), Heading("Title"), Heading("Questions", numeric=True)],
            [
                [
                    Cell(part["number"] or "Not numbered"),
                    Cell(part["title"]),
                    Cell(str(part["questions"]), numeric=True),
                ]
                for part in previewed.parts
            ],
        ),
        "Kinds of question used": (
            [Heading("Kind"), Heading("Questions", numeric=True)],
            [
                [Cell(label, header=True), Cell(str(count), numeric=True)]
                for label, count in previewed.kinds
            ],
        ),
        "Rates and settings the form sets": (
            [Heading("Question"), Heading("Settings")],
            [
                [Cell(item["question"], header=True), Cell(item["settings"])]
                for item in previewed.settings
            ],
        ),
        "Parties that complete questions": (
            [Heading("Party"), Heading("Edited by")],
            [
                [Cell(f"{party['label']} ({party['key']})", header=True), Cell(party["edited_by"])]
                for party in previewed.definition["parties"]
            ],
        ),
    }
    return [
        Table(caption=caption, caption_size="m", responsive=True, headings=headings, rows=rows)
        for caption, (headings, rows) in listed.items()
        if rows
    ]


# "projects[0].targets[1].planned_saving": each list the input sits in, and the row in it (a
# number of more digits than any list has rows is no row: Python would not read it).
ROW_IN_LIST = re.compile(r"(\w+)\[(\d{1,9})\]")


def answer_post_shown(question: TemplateQuestion, fields) -> list[tuple[str, str]]:
    """What a post to ``question``'s page carried that the person typed or chose, each value
    under the label its input has on the page ("Planned saving in pounds, target 2 of project
    1"), for them to read before sending it again. Empty inputs and the form's own hidden
    fields (the version it started from, how many rows a list has, a milestone's key) are left
    out: they are sent again as they came."""
    kind = structured.kind_for(question)
    prefix = f"q-{question.key}-"
    posted = dict(fields)
    shown = []
    for name, value in fields:
        if name.startswith(prefix) and value.strip():
            called = _input_called(kind, name.removeprefix(prefix), posted=posted, prefix=prefix)
            if called:
                shown.append((called, value))
    return shown


def _input_called(kind: Kind, name: str, *, posted: dict, prefix: str) -> str:
    """The label of the input ``name`` and the row it is in; "" for a field the page hides."""
    if name == "text":
        return "Answer"
    spec = kind.row_spec()
    label = kind.input_label(name)
    if not label or cell_key(name) in _undrawn_cells(spec):
        return ""
    box = name.rpartition("-")[2]
    if box in DATE_PARTS:
        label = f"{label} ({box})"
    where = within = ""
    for list_name, index in ROW_IN_LIST.findall(name):
        within = f"{within}.{list_name}[{index}]" if within else f"{list_name}[{index}]"
        if spec is not None and spec.name == list_name:
            numbered_by = {spec.numbered_by: posted.get(f"{prefix}{within}.{spec.numbered_by}")}
            row = spec.which(numbered_by, int(index))
            spec = spec.children
        else:
            row, spec = f"row {int(index) + 1}", None
        where = f"{row} of {where}" if where else row
    return f"{label}, {where}" if where else label


def _undrawn_cells(spec: RowSpec | None) -> set[str]:
    """The cells a list keeps in hidden inputs of its own (a milestone's key)."""
    undrawn = set()
    while spec is not None:
        undrawn |= {column.key for column in spec.columns if not column.drawn}
        spec = spec.children
    return undrawn
