"""Which lines of a Word file start a question: a table's header cell does not, a numbered
heading line does however much space is between its number and title."""

import pytest

from plans import services, word_import
from tests.factories import UserFactory
from tests.plan_factories import demo_daccom_plan
from tests.word_documents import simple_docx

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_plan():
    demo = demo_daccom_plan()
    editor = UserFactory(consortium=demo.consortium)
    plan = services.plan_create(
        consortium=demo.consortium, template=demo.template, period="2007/08", title="Imported"
    )
    return plan, editor


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
    from plans.models import Plan

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
