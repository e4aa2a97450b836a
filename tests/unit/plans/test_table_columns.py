"""Typed table columns (issue 13.2): each cell checked by its column's type with the message on
the cell, kept canonical, shown formatted; totals and computed columns (simpleeval, exact
decimals, never eval) worked out on save."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from plans.errors import AnswerInvalid
from plans.kinds.base import KindContext
from plans.kinds.rows import NAMES, Column
from plans.kinds.table import TableKind, formula_problem, shown_cell
from plans.structured import kind_for

CONTEXT = KindContext(practices=("Radlett Surgery", "Shenley Surgery"))
RISKS = [
    {"key": "risk", "label": "Risk"},
    {"key": "likelihood", "label": "Likelihood", "type": "whole"},
    {"key": "impact", "label": "Impact", "type": "whole"},
    {"key": "score", "label": "Score", "type": "whole", "formula": "likelihood * impact",
     "total": "sum"},
    {"key": "budget", "label": "Budget", "type": "money", "total": "sum"},
    {"key": "share", "label": "Share", "type": "percent"},
    {"key": "due", "label": "Due", "type": "date"},
    {"key": "agreed", "label": "Agreed", "type": "yes_no", "total": "count_yes"},
    {"key": "rag", "label": "RAG", "type": "choice", "options": ["Red", "Amber", "Green"]},
    {"key": "practice", "label": "Practice", "type": "practice"},
]  # fmt: skip


def clean(rows, columns=RISKS):
    return TableKind(columns).clean(rows, context=CONTEXT)


def refusal(rows, columns=RISKS) -> AnswerInvalid:
    with pytest.raises(AnswerInvalid) as refused:
        clean(rows, columns)
    return refused.value


def test_cells_are_kept_canonical_and_the_computed_column_is_worked_out():
    row = {"risk": "Late data", "likelihood": "3", "impact": "4", "score": "999",
           "budget": "£5,000,000", "share": "75%", "due": {"day": "31", "month": "3",
           "year": "2007"}, "agreed": "yes", "rag": "Amber",
           "practice": "Shenley Surgery"}  # fmt: skip

    (cleaned,) = clean([row])

    assert cleaned == {
        "risk": "Late data", "likelihood": "3", "impact": "4", "score": "12",
        "budget": "5000000", "share": "75", "due": "2007-03-31", "agreed": "yes",
        "rag": "Amber", "practice": "Shenley Surgery",
    }  # fmt: skip
    assert list(cleaned) == [column["key"] for column in RISKS]


@pytest.mark.parametrize(
    ("key", "typed", "message"),
    [
        ("likelihood", "three", "must be a whole number"),
        ("likelihood", "2.5", "must be a whole number"),
        ("budget", "-5", "cannot be negative"),
        ("due", {"day": "31", "month": "2", "year": "2007"}, "Enter a real date"),
        ("agreed", "maybe", "Choose from the list"),
        ("rag", "Purple", "Choose from the list"),
        ("practice", "Elsewhere Surgery", "Choose from the list"),
    ],
)
def test_a_bad_cell_is_refused_on_that_cell(key, typed, message):
    refused = refusal([{"risk": "A"}, {"risk": "B", key: typed}])

    assert refused.field == f"rows[1].{key}"
    assert message in refused.message


def test_a_refused_cell_shows_its_message_beside_it_and_keeps_what_was_typed():
    rows = [{"risk": "A", "budget": "lots"}]
    shown = TableKind(RISKS).present(rows, context=CONTEXT)

    field = shown["rows"][0].fields["budget"]
    assert (field.value, field.name) == ("lots", "rows[0].budget")
    assert "must be a number" in field.error
    assert shown["error"] == ""
    assert "score" not in shown["rows"][0].fields  # computed: never an input


def test_column_totals_sum_count_and_count_yes():
    rows = clean([
        {"risk": "A", "likelihood": "5", "impact": "1", "budget": "5000000", "agreed": "yes"},
        {"risk": "B", "likelihood": "2", "impact": "3", "budget": "2000000", "agreed": "no"},
        {"risk": "C", "budget": "1000000", "agreed": "yes"},
    ])  # fmt: skip

    totals = TableKind(RISKS).figures(rows, context=CONTEXT)["totals"]

    assert totals == {"score": Decimal(11), "budget": Decimal(8000000), "agreed": 2}
    shown = TableKind(RISKS).present(rows, context=CONTEXT)
    assert shown["totals"][3:5] == ["11", "£8,000,000"]
    assert shown["totals"][7] == "2"


def test_red_house_population_totals_18600():
    population = {"key": "population", "label": "Population", "type": "whole", "total": "sum"}
    columns = [{"key": "surgery", "label": "Surgery"}, population]
    rows = clean(
        [{"surgery": "Radlett", "population": "12,000"}, {"surgery": "Shenley",
         "population": "3600"}, {"surgery": "Park Street", "population": "3000"}],
        columns,
    )  # fmt: skip

    assert TableKind(columns).figures(rows, context=CONTEXT)["totals"] == {
        "population": Decimal(18600)
    }


def test_a_formula_is_exact_decimal_and_never_python():
    columns = [{"key": "a", "label": "A", "type": "money"},
               {"key": "half", "label": "Half", "type": "money", "formula": "a * 0.1"}]  # fmt: skip
    assert clean([{"a": "0.3"}], columns)[0]["half"] == "0.03"
    assert formula_problem("__import__('os').system('true')", ["a"])
    assert "not a column" in formula_problem("a * b", ["a"])
    assert formula_problem("a *", ["a"])
    assert formula_problem("a * 2", ["a"]) == ""


def test_cells_are_shown_formatted_by_type():
    assert shown_cell("5000000", {"type": "money"}) == "£5,000,000"
    assert shown_cell("75", {"type": "percent"}) == "75%"
    assert shown_cell("2007-03-31", {"type": "date"}) == "31 March 2007"
    assert shown_cell("yes", {"type": "yes_no"}) == "Yes"
    assert shown_cell("12000", {"type": "whole"}) == "12,000"
    assert shown_cell("plain", {}) == "plain"


OBJECTIVES = [
    {"key": "area", "label": "Area"},
    {"key": "objective", "label": "Objective and measures"},
    {"key": "budget", "label": "Budget", "type": "money"},
]
LINES = "to enable better referral by:\n- guidelines for follow-ups\n- a dermatology CATS"


def drawn_inputs(rows, columns=OBJECTIVES) -> list[dict[str, str]]:
    drawn = TableKind(columns).present(rows, context=CONTEXT)["rows"]
    return [{key: field.input for key, field in row.fields.items()} for row in drawn]


def test_a_one_line_column_with_a_line_break_in_any_cell_is_drawn_in_text_areas_every_row_alike():
    inputs = drawn_inputs([{"area": "Elective", "objective": LINES}, {"area": "Nursing"}])

    assert [row["objective"] for row in inputs] == ["textarea", "textarea"]
    assert [row["area"] for row in inputs] == ["text", "text"]
    assert inputs[0]["budget"] == "money"


@pytest.mark.parametrize(("length", "drawn"), [(80, "text"), (81, "textarea")])
def test_a_one_line_column_holding_more_than_a_line_of_text_is_drawn_in_text_areas(length, drawn):
    inputs = drawn_inputs([{"area": "A", "objective": "x" * length}, {"area": "B"}])

    assert {row["objective"] for row in inputs} == {drawn}


def test_a_list_of_names_longer_than_a_line_stays_one_line_its_names_parted_by_commas():
    leads = Column("leads", "Leads", NAMES)

    assert leads.drawn_over([", ".join(["Dr Gerry Bulger"] * 8)]) is leads
    assert Column("area", "Area").drawn_over(["x" * 81]).input == "textarea"


def test_a_cell_with_line_breaks_saved_again_as_its_text_area_shows_it_keeps_its_lines():
    stored = clean([{"area": "Elective", "objective": LINES}], OBJECTIVES)
    boxes = TableKind(OBJECTIVES).present(stored, context=CONTEXT)["rows"][0].fields
    # A browser sends a text area's lines back with carriage returns.
    posted = {key: str(field.value).replace("\n", "\r\n") for key, field in boxes.items()}

    assert boxes["objective"].value == LINES
    assert clean([posted], OBJECTIVES) == stored


def test_a_stored_practice_no_longer_a_choice_is_shown_chosen_and_saved_as_shown_is_refused():
    """A list without it would show "Not given" chosen, and saving another cell blanked it."""
    stored = [{"risk": "A", "practice": "Radlett Surgery"}]
    renamed = KindContext(practices=("Radlett Surgery (Harpenden)", "Shenley Surgery"))

    field = TableKind(RISKS).present(stored, context=renamed)["rows"][0].fields["practice"]
    with pytest.raises(AnswerInvalid) as refused:
        TableKind(RISKS).clean([{"risk": "A", "practice": field.value}], context=renamed)

    assert field.value == "Radlett Surgery"
    assert field.choices[-1] == ("Radlett Surgery", "Radlett Surgery (not on the list)")
    assert ("", "Not given") in field.choices
    assert (refused.value.field, refused.value.message) == (
        "rows[0].practice",
        "Choose from the list.",
    )


def test_an_untyped_table_keeps_its_text_as_typed_and_keeps_blank_rows():
    question = SimpleNamespace(kind="table", columns=[{"key": "name", "label": "Name"}])
    assert kind_for(question).clean([{"name": " <b>A</b> "}, {}], context=CONTEXT) == [
        {"name": "<b>A</b>"},
        {"name": ""},
    ]


def test_a_table_cell_over_the_limit_is_refused_before_cleaning_not_cut():
    question = SimpleNamespace(kind="table", columns=[{"key": "name", "label": "Name"}])
    # 2,002 characters typed, of which cleaning would leave fewer than 2,000.
    with pytest.raises(AnswerInvalid) as refused:
        kind_for(question).clean([{"name": "<b>" + "x" * 1995 + "</b>"}], context=CONTEXT)

    assert refused.value.message.startswith(
        "Name can hold at most 2,000 characters: this one has 2,002."
    )
    assert refused.value.field == "rows[0].name"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2008-10-01", "2008-10-01"),
        ("1/10/2008", "2008-10-01"),
        (" 1.10.2008 ", "2008-10-01"),
        ("1 10 2008", "2008-10-01"),
        ("1 October 2008", "2008-10-01"),
        ("1st Oct 2008", "2008-10-01"),
        ("31 March 2009", "2009-03-31"),
        ("", ""),
    ],
)
def test_a_date_cell_is_typed_in_one_box_and_kept_as_iso(typed, stored):
    assert clean([{"risk": "A", "due": typed}])[0]["due"] == stored


@pytest.mark.parametrize("typed", ["31/02/2008", "2008-13-01", "next Tuesday", "1 Smarch 2008"])
def test_a_date_cell_that_is_not_a_real_date_is_refused_on_its_cell(typed):
    refused = refusal([{"risk": "A", "due": typed}])

    assert refused.field == "rows[0].due"
    assert refused.message == "Due must be a real date, like 01/10/2008."


def test_a_date_cell_is_one_box_showing_the_stored_date_as_typed_with_an_example():
    shown = TableKind(RISKS).present([{"risk": "A", "due": "2009-04-01"}], context=CONTEXT)

    field = shown["rows"][0].fields["due"]
    assert (field.input, field.value, field.hint) == (
        "day",
        "01/04/2009",
        "For example, 01/10/2008",
    )


@pytest.mark.parametrize(
    ("stored", "boxed"),
    [("1234.5", "1,234.50"), ("5000000", "5,000,000.00"), ("0.5", "0.50"), ("0", "0.00")],
)
def test_a_money_cell_is_shown_in_its_box_in_pounds_and_pence(stored, boxed):
    shown = TableKind(RISKS).present([{"risk": "A", "budget": stored}], context=CONTEXT)

    assert shown["rows"][0].fields["budget"].value == boxed


@pytest.mark.parametrize("typed", ["£12,500.005", "-5", "1,50", "lots"])
def test_a_money_cell_refused_stays_in_its_box_as_typed(typed):
    shown = TableKind(RISKS).present([{"risk": "A", "budget": typed}], context=CONTEXT)

    assert shown["rows"][0].fields["budget"].value == typed


@pytest.mark.parametrize(
    ("stored", "boxed"),
    [("12.5", "12.5"), ("12.5000", "12.5"), ("2.555", "2.555"), ("1250", "1,250"), ("0", "0")],
)
def test_a_percent_cell_is_shown_in_its_box_as_typed_and_read_back_to_the_same_figure(
    stored, boxed
):
    shown = TableKind(RISKS).present([{"risk": "A", "share": stored}], context=CONTEXT)

    assert shown["rows"][0].fields["share"].value == boxed
    assert Decimal(clean([{"risk": "A", "share": boxed}])[0]["share"]) == Decimal(stored)


@pytest.mark.parametrize("typed", ["-5", "1,50", "lots", "12.5.5"])
def test_a_percent_cell_refused_stays_in_its_box_as_typed(typed):
    shown = TableKind(RISKS).present([{"risk": "A", "share": typed}], context=CONTEXT)

    assert shown["rows"][0].fields["share"].value == typed


def test_a_table_saved_again_as_its_boxes_show_it_is_stored_unchanged():
    row = {"risk": "A", "likelihood": "3", "impact": "1200", "budget": "£1,234.50",
           "share": "12.5%", "due": "1/10/2008", "agreed": "Yes", "rag": "Red",
           "practice": "Radlett Surgery"}  # fmt: skip
    stored = clean([row])

    boxes = TableKind(RISKS).present(stored, context=CONTEXT)["rows"][0].fields
    again = clean([{key: field.value for key, field in boxes.items()}])

    assert (boxes["budget"].value, boxes["due"].value) == ("1,234.50", "01/10/2008")
    assert again == stored


def test_every_wrong_cell_is_refused_at_once_each_on_its_cell():
    rows = [{"risk": "A", "budget": "abc", "likelihood": "2.5"}, {"risk": "B", "due": "31/02/2008"}]

    refused = refusal(rows)
    shown = TableKind(RISKS).present(rows, context=CONTEXT)

    assert [r.field for r in refused.refusals] == [
        "rows[0].likelihood", "rows[0].budget", "rows[1].due",
    ]  # fmt: skip
    assert "must be a number" in shown["rows"][0].fields["budget"].error
    assert "whole number" in shown["rows"][0].fields["likelihood"].error
    assert "real date" in shown["rows"][1].fields["due"].error


def test_a_choice_given_by_the_words_it_is_printed_as_is_that_choice():
    (cleaned,) = clean([{"risk": "A", "agreed": "Yes", "rag": "amber"}])

    assert (cleaned["agreed"], cleaned["rag"]) == ("yes", "Amber")


def test_worked_out_cells_and_totals_are_printed_by_the_columns_type():
    columns = [
        {"key": "budget", "label": "Budget", "type": "money", "total": "sum"},
        {"key": "uplift", "label": "Uplift", "type": "percent"},
        {"key": "projected", "label": "Projected", "type": "money",
         "formula": "budget + budget * uplift / 100", "total": "sum"},
    ]  # fmt: skip
    rows = clean(
        [{"budget": "12500", "uplift": "2.5"}, {"budget": "3300.55", "uplift": "0"}], columns
    )
    kind = TableKind(columns)

    shown = kind.present(rows, context=CONTEXT)
    cells, totals = kind.printed(rows, context=CONTEXT)

    assert [row.extra["shown"]["projected"] for row in shown["rows"]] == ["£12,812.50", "£3,300.55"]
    # One budget has pence, so every budget shows them (decision 0493).
    assert cells == [["£12,500.00", "2.50%", "£12,812.50"], ["£3,300.55", "0%", "£3,300.55"]]
    assert totals == shown["totals_row"] == ["£15,800.55", "", "£16,113.05"]


def test_a_money_column_with_pence_in_any_cell_prints_every_cell_and_its_total_with_pence():
    """ "£45,000.00" over "£120,000.50", not "£45,000" (decision 0493); a column of whole
    pounds, and the other columns, print as before."""
    columns = [
        {"key": "budget", "label": "Budget", "type": "money", "total": "sum"},
        {"key": "savings", "label": "Savings", "type": "money", "total": "sum"},
        {"key": "net", "label": "Net", "type": "money", "formula": "budget - savings",
         "total": "sum"},
    ]  # fmt: skip
    rows = clean(
        [{"budget": "45000", "savings": "1000"}, {"budget": "120000.50", "savings": "2000"}],
        columns,
    )
    kind = TableKind(columns)

    shown = kind.present(rows, context=CONTEXT)
    cells, totals = kind.printed(rows, context=CONTEXT)

    assert cells == [
        ["£45,000.00", "£1,000", "£44,000.00"],
        ["£120,000.50", "£2,000", "£118,000.50"],
    ]
    assert totals == shown["totals_row"] == ["£165,000.50", "£3,000", "£162,000.50"]
    assert [row.extra["shown"]["net"] for row in shown["rows"]] == ["£44,000.00", "£118,000.50"]
