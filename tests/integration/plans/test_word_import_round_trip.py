"""A plan exported to Word by this service and imported into an empty plan of the same form:
every answer's text lands on its own question, and no text or table is lost or dropped unseen.
Imported back into the plan it came from, unchanged, it changes nothing."""

import io
import re

import docx
import pytest

from plans import word_import
from plans.models import Answer, Plan, QuestionKind
from plans.sanitise import html_to_text
from plans.workflow import may_edit_answer
from signoff.word_export import plan_docx
from tests import demo_data
from tests.factories import UserFactory
from tests.word_documents import exported_into_an_empty_plan

pytestmark = pytest.mark.django_db

DEMO_PLANS = {
    "daccom": {"consortium__slug": "daccom", "template__slug": "daccom-locality-plan-2006"},
    "banes": {"consortium__slug": "banes", "template__slug": "banes-plan"},
}


def words(markup: str) -> str:
    return " ".join(html_to_text(re.sub(r"<[^>]+>", " ", markup or "")).split())


def cells(rows) -> list[dict]:
    return [{k: v for k, v in row.items() if v} for row in rows or [] if any(row.values())]


@pytest.fixture(params=sorted(DEMO_PLANS))
def exported(request):
    """A demo plan, its Word export and the preview of that file imported into an empty plan of
    the same form."""
    demo_data.load_organisations_and_plans()
    demo = Plan.objects.get(**DEMO_PLANS[request.param])
    return demo, *exported_into_an_empty_plan(demo)


def test_every_answer_of_the_export_lands_on_its_own_question(exported):
    demo, empty, _data, preview = exported
    found = {p.question.key: p for p in word_import.proposals(empty, preview)}
    answered = {
        a.question.key: a for a in demo.answers.select_related("question") if not a.is_empty
    }
    wrong = {}
    for key, answer in answered.items():
        proposal = found.get(key)
        if proposal is None:
            wrong[key] = "missing"
            continue
        if answer.question.has_text and words(proposal.text) != words(answer.text):
            wrong[key] = words(proposal.text)[:120]
        if answer.question.kind == "table" and cells(proposal.rows) != cells(answer.rows):
            wrong[key] = proposal.rows
    assert wrong == {}
    assert set(found) == set(answered)


def test_the_exports_own_sure_matches_are_all_its_answers_and_nothing_else(exported):
    _demo, empty, _data, preview = exported
    questions = {q.key: q for q in empty.template.questions.all()}
    for piece in preview.pieces:
        if piece.key:
            assert piece.confidence == word_import.HIGH, (piece.key, piece.heading)
            assert piece.heading.startswith(questions[piece.key].title) or piece.heading.endswith(
                questions[piece.key].title
            ), (piece.key, piece.heading)


def test_every_table_of_the_export_is_imported_or_listed_saying_why(exported):
    _demo, _empty, data, preview = exported
    document = docx.Document(io.BytesIO(data))
    signoff = {"Signed", "Name", "Position", "Date"}
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows]
        for table in document.tables
        if {row.cells[0].text for row in table.rows} != signoff
    ]
    listed = [piece for piece in preview.pieces if piece.table]
    assert [piece.table[0] for piece in listed] == [table[0] for table in tables]
    for piece in listed:
        if not piece.key:
            assert "not imported" in piece.reason, piece.heading
    # Nothing else is left over: all the text found is an answer's.
    assert [p.heading for p in preview.pieces if not p.key and not p.table] == []


def test_a_printed_table_not_imported_says_the_reason_true_for_its_question(exported):
    demo, _empty, _data, preview = exported
    questions = list(demo.template.questions.all())
    printed = [
        (piece, next(q for q in questions if piece.heading.endswith(q.title)))
        for piece in preview.pieces
        if piece.table and not piece.key
    ]
    for piece, question in printed:
        if question.kind == QuestionKind.MILESTONES:
            assert piece.reason == (
                f"This table under “{piece.heading}” is not imported: a Word file cannot change "
                "the deliverables and milestones, so change them on the question's page. The "
                "plan keeps the ones it has."
            )
        else:
            assert "its figures are worked out from the answer's entries" in piece.reason
    assert {question.kind for _piece, question in printed} == {
        "daccom": {QuestionKind.DES_FUNDING, QuestionKind.HOURS, QuestionKind.MILESTONES},
        "banes": {QuestionKind.OUTCOME_FRAMEWORK, QuestionKind.FREED_UP_RESOURCES},
    }[demo.consortium.slug]


@pytest.fixture(params=sorted(DEMO_PLANS))
def exported_back(request):
    """A demo plan, one of its consortium's editors and the preview of the plan's Word export,
    unchanged, imported back into it."""
    demo_data.load_organisations_and_plans()
    demo = Plan.objects.get(**DEMO_PLANS[request.param])
    editor = UserFactory(consortium=demo.consortium)
    data = plan_docx(plan=demo, user=editor)
    preview = word_import.word_import_preview(
        plan=demo, user=editor, filename="export.docx", data=data
    )
    return demo, editor, preview


# BANES's form has no success criteria, so only DacCom's plan has links to keep.
@pytest.mark.parametrize("exported_back", ["daccom"], indirect=True)
def test_success_criteria_imported_back_keep_the_milestones_linked_to_them(exported_back):
    demo, _editor, preview = exported_back
    stored = {
        a.question.key: a.data
        for a in demo.answers.filter(question__kind=QuestionKind.SUCCESS_CRITERIA)
    }
    assert stored
    found = {
        p.question.key: p
        for p in word_import.proposals(demo, preview)
        if p.question.kind == QuestionKind.SUCCESS_CRITERIA
    }
    assert {key: found[key].data for key in found} == {key: stored[key] for key in found}
    assert all(found[key].notes == [] for key in found)


def stored(plan) -> dict:
    return {
        a.question.key: (a.version, a.text, a.rows, a.data)
        for a in plan.answers.select_related("question")
    }


def test_the_export_imported_back_unchanged_changes_no_answer_and_adds_no_revision(exported_back):
    demo, editor, preview = exported_back
    before = stored(demo)
    revisions = Answer.history.filter(plan_id=demo.pk).count()
    drafts = demo.snapshots.count()
    choices = word_import.default_choices(demo, preview, editor)
    rows = word_import.preview_rows(demo, preview, choices, editor)
    shown = [row for row in rows if row.proposal is not None]
    assert shown and [r.question.key for r in shown if not r.unchanged] == []

    result = word_import.word_import_apply(plan=demo, user=editor, preview=preview, choices=choices)

    # Every answer the editor may write was chosen, and left as it is.
    answered = {
        a.question.key
        for a in demo.answers.select_related("question")
        if not a.is_empty and may_edit_answer(editor, demo, a.question)
    }
    assert {q.key for q in result.unchanged} == answered
    assert (result.saved, result.conflicts, result.refused, result.snapshot_name) == (
        [],
        [],
        [],
        "",
    )
    assert stored(demo) == before
    assert Answer.history.filter(plan_id=demo.pk).count() == revisions
    assert demo.snapshots.count() == drafts


FORMATTED = (
    "<p>Agreed <u>with the PCT</u> in March.</p>"
    "<blockquote><p>Every practice will report monthly.</p><p>Quarterly to the board.</p>"
    "</blockquote><p>Reviewed quarterly</p>"
)


@pytest.mark.parametrize(
    ("plan", "key"), [("daccom", "referral-management"), ("banes", "plan-introduction")]
)
def test_underlining_and_a_quotation_come_back_from_the_export_as_they_were(plan, key):
    # Word's reader dropped underlining and read a quotation as plain paragraphs: the answer
    # came back changed, and importing it would have saved it without them.
    demo_data.load_organisations_and_plans()
    demo = Plan.objects.get(**DEMO_PLANS[plan])
    demo.answers.filter(question__key=key).update(text=FORMATTED)
    editor = UserFactory(consortium=demo.consortium)
    data = plan_docx(plan=demo, user=editor)

    preview = word_import.word_import_preview(
        plan=demo, user=editor, filename="export.docx", data=data
    )

    assert next(p for p in preview.pieces if p.key == key).html == FORMATTED
    choices = word_import.default_choices(demo, preview, editor)
    rows = word_import.preview_rows(demo, preview, choices, editor)
    assert [r.question.key for r in rows if r.proposal is not None and not r.unchanged] == []


def test_an_answer_changed_in_the_document_is_saved_and_the_rest_are_left_as_they_are(
    exported_back,
):
    demo, editor, preview = exported_back
    piece = next(p for p in preview.pieces if p.key and not p.table and p.html.count("<p>") > 1)
    piece.html = piece.html.replace("<p>", "<p>Changed in Word. ", 1)
    before = stored(demo)

    result = word_import.word_import_apply(
        plan=demo,
        user=editor,
        preview=preview,
        choices=word_import.default_choices(demo, preview, editor),
    )

    assert [q.key for q in result.saved] == [piece.key]
    assert piece.key not in {q.key for q in result.unchanged}
    assert result.snapshot_name
    after = stored(demo)
    assert after[piece.key][0] == before[piece.key][0] + 1
    assert {k: v for k, v in after.items() if k != piece.key} == {
        k: v for k, v in before.items() if k != piece.key
    }
