"""Importing a filled form from Word: the DacCom 2006/07 plan (seed 004) into a fresh plan."""

import io
import json
import re
from decimal import Decimal

import docx
import pytest

from plans import history, services, word_import
from plans.demo import read_demo_plan
from plans.kinds.savings_target import savings_figures, share_summary
from plans.models import Answer, Plan, PlanSnapshot
from plans.sanitise import html_to_text
from tests.factories import UserFactory
from tests.plan_factories import demo_daccom_plan, demo_template
from tests.word_documents import COMMENTS_004, DASH, daccom_2006_07_docx, simple_docx

pytestmark = pytest.mark.django_db


def words(markup: str) -> str:
    """The answer's words, whitespace normalised (a tag counts as a space)."""
    return " ".join(html_to_text(re.sub(r"<[^>]+>", " ", markup or "")).split())


def rows_of(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if v} for row in rows]


@pytest.fixture
def fresh_plan():
    demo = demo_daccom_plan()
    editor = UserFactory(consortium=demo.consortium)
    plan = services.plan_create(
        consortium=demo.consortium, template=demo.template, period="2007/08", title="Imported"
    )
    return plan, editor


def _preview(plan, editor):
    data = daccom_2006_07_docx(plan.template)
    return word_import.word_import_preview(
        plan=plan, user=editor, filename="DacCom plan 2006-07.docx", data=data
    )


def test_daccom_2006_07_lands_on_the_right_questions_with_the_right_text(fresh_plan):
    plan, editor = fresh_plan
    preview = _preview(plan, editor)
    proposals = {p.question.key: p for p in word_import.proposals(plan, preview)}
    demo = read_demo_plan("daccom-2006-07.yaml")["answers"]
    right, wrong = [], []
    for key, expected in demo.items():
        proposal = proposals.get(key)
        if proposal is None:
            wrong.append((key, "missing"))
        elif "rows" in expected:
            ok = rows_of(proposal.rows or []) == rows_of(expected["rows"])
            (right if ok else wrong).append((key, proposal.rows))
        else:
            ok = words(proposal.text or "") == words(expected["text"])
            (right if ok else wrong).append((key, words(proposal.text or "")[:300]))
    assert len(right) / len(demo) >= 0.95, wrong


def test_the_4_2_projects_become_projects_with_their_savings_totalling_2_68m(fresh_plan):
    plan, editor = fresh_plan
    proposals = {p.question.key: p for p in word_import.proposals(plan, _preview(plan, editor))}
    projects = proposals["services-to-be-commissioned"].data["projects"]
    savings = {t["code"]: t["planned_saving"] for p in projects for t in p["targets"]}
    assert savings == {
        "1.1": "153000", "1.3": "335000", "1.5": "68000", "1.7": "625000", "1.8": "91000",
        "1.9": "15000", "2.1": "499000", "2.3": "34000", "8.1": "856000",
    }  # fmt: skip
    assert [p["title"] for p in projects][:2] == [
        "Improving Outpatient Efficiency",
        "Reducing A&E Attendances",
    ]
    assert proposals["financial-targets"].data == {"total_identified_savings": "6106000"}
    criteria = proposals["measuring-quality-of-care"].data["criteria"]
    assert [c["letter"] for c in criteria] == ["a", "b", "c", "d"]
    assert criteria[3]["text"] == "An agreed business plan is in place for 2007/8 and beyond."
    totals = savings_figures(proposals["services-to-be-commissioned"].data, Decimal("6106000"))
    assert share_summary(totals) == "£2.68m (44%) of £6.106m"


def test_nothing_is_written_until_the_preview_is_applied(fresh_plan):
    plan, editor = fresh_plan
    before = list(Answer.objects.filter(plan=plan).values_list("pk", "version", "text", "rows"))
    history_before = Answer.history.filter(plan=plan).count()
    preview = _preview(plan, editor)
    word_import.proposals(plan, preview)
    assert (
        list(Answer.objects.filter(plan=plan).values_list("pk", "version", "text", "rows"))
        == before
    )
    assert Answer.history.filter(plan=plan).count() == history_before
    assert not PlanSnapshot.objects.filter(plan=plan).exists()


def test_applying_names_a_draft_first_then_saves_each_answer_as_the_editors_import(fresh_plan):
    plan, editor = fresh_plan
    services.answer_save(
        answer=plan.answers.get(question__key="risks"),
        user=editor,
        base_version=0,
        text="<p>Risks typed before the import.</p>",
    )
    preview = _preview(plan, editor)
    choices = {piece.id: piece.key for piece in preview.pieces}
    result = word_import.word_import_apply(plan=plan, user=editor, preview=preview, choices=choices)
    snapshot = PlanSnapshot.objects.get(plan=plan)
    assert snapshot.name == result.snapshot_name
    assert snapshot.name.startswith("Before importing DacCom plan 2006-07.docx")
    assert "Risks typed before the import." in snapshot.answers["risks"]["text"]
    risks = plan.answers.get(question__key="risks")
    assert risks.version == 2
    assert "difficult for DacCom in isolation" in risks.text
    assert risks.history.first().history_change_reason == history.WORD_IMPORT
    assert risks.history.first().history_user == editor
    projects = plan.answers.get(question__key="services-to-be-commissioned")
    assert len(projects.data["projects"]) == 5
    # The PCT's own questions are not the consortium's to write: listed, not written.
    refused = {question.key for question, _reason in result.refused}
    assert refused == {"pct-support-team", "fair-shares-weighting"}
    assert plan.answers.get(question__key="fair-shares-weighting").text == ""
    assert len(result.saved) + len(result.unchanged) == (
        len({p.key for p in preview.pieces if p.key}) - 2
    )
    # The tables the new plan was prefilled with hold the document's rows already: not saved.
    assert [q.key for q in result.unchanged] == [
        "practices",
        "directors",
        "executive-committee",
        "clinical-leads",
    ]
    assert plan.answers.get(question__key="directors").version == 0


def test_an_answer_saved_after_the_preview_is_kept_and_listed_as_a_conflict(fresh_plan):
    plan, editor = fresh_plan
    preview = _preview(plan, editor)
    colleague = UserFactory(consortium=plan.consortium)
    services.answer_save(
        answer=plan.answers.get(question__key="risks"),
        user=colleague,
        base_version=0,
        text="<p>A colleague's risks.</p>",
    )
    result = word_import.word_import_apply(
        plan=plan,
        user=editor,
        preview=preview,
        choices={piece.id: piece.key for piece in preview.pieces},
    )
    assert [q.key for q in result.conflicts] == ["risks"]
    assert plan.answers.get(question__key="risks").text == "<p>A colleague's risks.</p>"


def test_a_piece_can_be_sent_to_another_question_or_left_out(fresh_plan):
    plan, editor = fresh_plan
    preview = _preview(plan, editor)
    risks = next(p for p in preview.pieces if p.key == "risks")
    choices = {risks.id: "locally-agreed-initiatives"}
    word_import.word_import_apply(plan=plan, user=editor, preview=preview, choices=choices)
    assert "difficult for DacCom in isolation" in (
        plan.answers.get(question__key="locally-agreed-initiatives").text
    )
    assert plan.answers.get(question__key="risks").text == ""
    assert plan.answers.get(question__key="training-needs").text == ""


def test_text_that_matches_no_question_is_listed_not_dropped(fresh_plan):
    plan, editor = fresh_plan
    preview = _preview(plan, editor)
    unmatched = " ".join(piece.text for piece in preview.pieces if not piece.key)
    for comment in COMMENTS_004:
        assert comment in unmatched
    # The form's own words (guidance, prompts, sign-off block) are recognised, not answers.
    assert preview.form_text_count > 20
    assert "Purpose of this document" not in " ".join(p.text for p in preview.pieces)


def test_a_preview_survives_a_trip_through_json(fresh_plan):
    plan, editor = fresh_plan
    preview = _preview(plan, editor)
    again = word_import.Preview.from_json(json.loads(json.dumps(preview.as_json())))
    assert again.as_json() == preview.as_json()


def test_the_later_plan_imported_onto_the_older_form_matches_renumbered_questions_by_title():
    demo = demo_daccom_plan()
    older = demo_template("daccom-locality-plan-v2")
    editor = UserFactory(consortium=demo.consortium)
    plan = services.plan_create(
        consortium=demo.consortium, template=older, period="2006/07", title="On Version 2.0"
    )
    preview = word_import.word_import_preview(
        plan=plan, user=editor, filename="004.docx", data=daccom_2006_07_docx(demo.template)
    )
    found = {p.question.key: p for p in word_import.proposals(plan, preview)}
    answers = read_demo_plan("daccom-2006-07.yaml")["answers"]
    # 004's 7.2 is Version 2.0's 7.1, and so on down to 7.9 / 7.8.
    for key in ("quality-of-patient-care", "management-structure", "workforce-skills"):
        assert words(found[key].text) == words(answers[key]["text"]), key
    numbers = {p.key: p for p in preview.pieces}
    assert numbers["quality-of-patient-care"].heading.startswith("7.2 ")
    # 004's new 7.1 has no place on the older form: its number alone points at Version 2.0's
    # 7.1, so it is shown as unsure and not ticked, and never added to 6.2 above it.
    governance = [p for p in preview.pieces if "Governance Framework" in p.text]
    assert [p.confidence for p in governance] == [word_import.LOW]
    assert word_import.default_choices(plan, preview, editor)[governance[0].id] == ""
    assert "Governance Framework" not in found["contract-monitoring"].text


def test_a_table_under_a_text_answer_is_listed_with_why_and_never_run_into_the_text(fresh_plan):
    plan, editor = fresh_plan
    document = docx.Document()
    document.add_heading("7.8 What are the risks associated with the proposed changes?", 2)
    document.add_paragraph("Losing a practice manager.")
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(table._cells, ["Month", "Cost", "April", "£1,000"], strict=True):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    preview = word_import.word_import_preview(
        plan=plan, user=editor, filename="risks.docx", data=buffer.getvalue()
    )
    text, found_table = preview.pieces
    assert (text.key, text.confidence) == ("risks", "high")
    assert (found_table.key, found_table.confidence) == ("", "")
    assert found_table.table == [["Month", "Cost"], ["April", "£1,000"]]
    assert found_table.reason.startswith("This table is under “7.8 What are the risks")
    assert found_table.reason.endswith(
        "an answer that cannot hold a table, so it is not imported. Copy what it says into the "
        "answer if it is needed."
    )
    # Sent to the text answer anyway (a forged choice): the answer keeps only its text.
    chosen = {text.id: "risks", found_table.id: "risks"}
    (risks,) = word_import.proposals(plan, preview, chosen)
    assert risks.text == "<p>Losing a practice manager.</p>"
    rows = word_import.preview_rows(plan, preview, chosen, editor)
    offered = {
        piece.piece.id: {q.kind for q in piece.targets} for row in rows for piece in row.pieces
    }
    assert offered[found_table.id] == {"table", "projects"}
    assert "rich_text" in offered[text.id]


# Which lines start a question: a table's header cell does not; a numbered heading line does,
# however much space is between its number and title.


def _pieces(plan, editor, *lines):
    preview = word_import.word_import_preview(
        plan=plan, user=editor, filename="flattened.docx", data=simple_docx(*lines)
    )
    return preview.pieces


def test_a_flattened_tables_header_name_is_not_the_question_name(fresh_plan):
    plan, editor = fresh_plan
    pieces = _pieces(
        plan,
        editor,
        "Name",
        "DacCom PbC Limited",
        "2.1\t  Directors",
        "Name",
        "Discipline",
        "Mr Mark Jones",
        "Company Secretary",
    )
    named = [p for p in pieces if p.key == "consortium-name"]
    assert [p.text for p in named] == ["DacCom PbC Limited"]
    directors = [p for p in pieces if p.key == "directors"]
    assert len(directors) == 1
    assert "Mr Mark Jones" in directors[0].text
    assert directors[0].heading.startswith("2.1")


def test_a_probable_match_is_shown_but_left_for_the_person_to_tick(fresh_plan):
    plan, editor = fresh_plan
    preview = word_import.Preview(
        filename="guess.docx",
        pieces=[
            word_import.Piece(id=1, key="consortium-name", confidence=word_import.HIGH),
            word_import.Piece(id=2, key="number-of-practices", confidence=word_import.MEDIUM),
        ],
        form_text_count=0,
        versions={},
    )
    assert word_import.CONFIDENCE_LABELS[word_import.MEDIUM] == "Probably"
    assert word_import.default_choices(plan, preview, editor) == {1: "consortium-name", 2: ""}


def test_banes_introduction_and_background_match_under_the_plans_title_line():
    demo_daccom_plan()
    plan = Plan.objects.get(consortium__slug="banes", template__slug="banes-plan")
    editor = UserFactory(consortium=plan.consortium)
    pieces = _pieces(
        plan,
        editor,
        "Practice Based Commissioning in BANES 2007/08",
        "Introduction",
        "This plan sets out what BANES will commission.",
        "2-5 BACKGROUND",
        "The consortium was formed in 2006.",
    )
    found = {p.key: p for p in pieces if "BANES will" in p.text or "formed in" in p.text}
    assert set(found) == {"plan-introduction", "background-text"}
    assert {p.confidence for p in found.values()} == {word_import.HIGH}


# A document's version line and a table's rows start no question (seed 002's cover and its
# outcome framework, Appendix 1).


FRAMEWORK = f"Funding part 2 {DASH} Incentive scheme funding for practices 07/08"


@pytest.fixture
def banes_plan():
    demo_daccom_plan()
    plan = Plan.objects.get(consortium__slug="banes", template__slug="banes-plan")
    fresh = services.plan_create(
        consortium=plan.consortium, template=plan.template, period="2008/09", title="Imported"
    )
    return fresh, UserFactory(consortium=plan.consortium)


def test_banes_version_line_and_outcome_rows_typed_as_text_start_no_question(banes_plan):
    plan, editor = banes_plan
    document = docx.Document()
    document.add_paragraph("Practice Based Commissioning Plan for 07/08", style="Title")
    document.add_heading("Draft version 1 (22nd June 2007)", 2)
    document.add_paragraph("Introduction")
    document.add_paragraph("1. Practices are required to produce an annual PBC plan.")
    document.add_paragraph(FRAMEWORK)
    document.add_paragraph("The following outcomes have been developed from the PBC plan.")
    document.add_paragraph(
        "| | 4.3 | Develop a PBC patient and public involvement strategy "
        "| At PCT / PBC Exec review | 5% |"
    )
    document.add_paragraph("| Total % weighting for Public and Patient Involvement | | | | 20% |")
    buffer = io.BytesIO()
    document.save(buffer)
    preview = word_import.word_import_preview(
        plan=plan, user=editor, filename="banes.docx", data=buffer.getvalue()
    )
    headings = [piece.heading for piece in preview.pieces]
    assert not [h for h in headings if "|" in h or "version" in h.lower()], headings
    assert "patient-public-involvement" not in {piece.key for piece in preview.pieces}
    (framework,) = [p for p in preview.pieces if p.key == "incentive-outcome-framework"]
    assert "Total % weighting for Public and Patient Involvement" in framework.text
    assert "Develop a PBC patient and public involvement strategy" in framework.text
    (introduction,) = [p for p in preview.pieces if p.key == "plan-introduction"]
    assert introduction.confidence == word_import.HIGH


def test_banes_outcome_table_with_a_row_like_a_question_title_is_one_table(banes_plan):
    plan, editor = banes_plan
    document = docx.Document()
    document.add_paragraph(FRAMEWORK)
    rows = [
        ["", "", "", "", ""],
        ["4. Public and Patient Involvement", "4.1", "Update the PPI Forum", "Minutes", "5%"],
        ["", "4.3", "Develop a PBC patient and public involvement strategy", "Review", "5%"],
        ["Total % weighting for Public and Patient Involvement", "", "", "", "20%"],
    ]
    table = document.add_table(rows=len(rows), cols=5)
    for cell, text in zip(table._cells, [text for row in rows for text in row], strict=True):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    preview = word_import.word_import_preview(
        plan=plan, user=editor, filename="banes.docx", data=buffer.getvalue()
    )
    (found,) = [piece for piece in preview.pieces if piece.table]
    assert found.table == rows[1:]
    assert [piece.heading for piece in preview.pieces] == [FRAMEWORK]


def test_a_numbered_sentence_naming_a_title_in_passing_starts_no_question(banes_plan):
    """Seed 002's guidance (paragraphs 4 and 5) names "Freed up resources", the title of
    j-m, in passing: text of the question above it. A line that is the title and a few words
    more still names it."""
    plan, _editor = banes_plan
    index = word_import.FormIndex.of(plan.template)

    for sentence in [
        "4. Practices are allowed to use a minimum of 70% of freed up resources for "
        "reinvestment in patient care (the 30% goes back to the PCT)",
        "5. Practices must have the agreement of the PCT for proposed use of freed up resources",
    ]:
        assert index.question_for(sentence) == (None, ""), sentence
    found, _how_sure = index.question_for("Freed up resources in 07/08")
    assert found.key == "freed-up-resources-definition"


def test_a_cover_line_like_a_heading_the_document_has_word_for_word_is_not_guessed(banes_plan):
    """Seed 002's cover line reads like 6-9's title, which the document has itself further
    on: only the real heading's text goes to 6-9, the cover's is under no question and says
    why. A probable guess for a question the document has no sure heading for stays."""
    plan, editor = banes_plan
    cover_line = "Practice Based Commissioning Plan for 07/08"
    cover, arrangements = _pieces(
        plan,
        editor,
        cover_line,
        "Draft version 1 (22nd June 2007)",
        "Practice Based Commissioning in BANES 2007/08",
        "6. The 27 GP practices in B&NES will continue to work together.",
    )
    assert (cover.key, cover.confidence) == ("", "")
    assert cover.reason == (
        "“Practice Based Commissioning Plan for 07/08” is like the heading “6-9 Practice Based "
        "Commissioning in BANES 2007/08”, but the document has that heading itself elsewhere, "
        "so this text is not put under it."
    )
    assert (arrangements.key, arrangements.confidence) == (
        "consortium-arrangements",
        word_import.HIGH,
    )
    assert "27 GP practices" in arrangements.text

    (guess,) = _pieces(plan, editor, cover_line, "The consortium's arrangements.")
    assert (guess.key, guess.confidence) == ("consortium-arrangements", word_import.MEDIUM)
