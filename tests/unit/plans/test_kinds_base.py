import html
from decimal import Decimal

import hypothesis
import nh3
import pytest

from plans.errors import AnswerInvalid
from plans.kinds import base, rows
from plans.kinds.base import decimal, stored
from plans.kinds.table import TableKind
from plans.structured import KINDS


@pytest.mark.parametrize("typed", ["1000000000000", "-1,000,000,000,000", "9" * 400])
def test_a_number_of_a_trillion_or_more_is_refused_as_too_large_not_raised(typed):
    with pytest.raises(AnswerInvalid) as refused:
        decimal(typed, field="saving", label="Saving", allow_negative=True)

    assert refused.value.message == (
        "Saving must be more than -1,000,000,000,000 and less than 1,000,000,000,000."
    )


def test_a_figure_that_cannot_be_negative_says_the_largest_it_can_be():
    with pytest.raises(AnswerInvalid) as refused:
        decimal("1000000000000", field="budget", label="Budget")

    assert refused.value.message == "Budget must be less than 1,000,000,000,000."


@pytest.mark.parametrize("typed", ["0." + "0" * 400 + "1", "0.0000001"])
def test_a_number_with_more_than_six_decimal_places_is_refused_on_its_field(typed):
    with pytest.raises(AnswerInvalid, match="at most 6 decimal places") as refused:
        decimal(typed, field="rate", label="Rate")

    assert refused.value.field == "rate"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("999999999999.999999", "999999999999.999999"), ("1.000000000", "1"), ("0.000000000", "0")],
)
def test_the_largest_and_most_precise_numbers_allowed_are_stored_as_typed(typed, kept):
    assert stored(decimal(typed, field="f", label="F")) == kept
    assert Decimal(kept) == Decimal(typed)


@pytest.mark.parametrize("typed", ["-0", "-0.00", "0.0"])
def test_zero_is_stored_as_zero_whatever_sign_or_places_it_was_typed_with(typed):
    assert stored(decimal(typed, field="saving", label="Saving")) == "0"


@pytest.mark.parametrize(
    "typed",
    ["1e3", "1E3", "1.5e5", "1_000", "\u0661\u0662\u0663", "\uff11\uff12", "+5", "1,50", "1 5",
     "Infinity", "NaN", "0x10", "£", "£ ", "£ £5", "1 500 £", "-"],
)  # fmt: skip
def test_a_figure_that_is_not_plain_digits_is_refused_not_reinterpreted(typed):
    with pytest.raises(AnswerInvalid, match=r"^Saving must be a number, like 1500 or 1\.25\.$"):
        decimal(typed, field="saving", label="Saving", allow_negative=True)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("£1,234.50", "1234.5"), ("150 000", "150000"), ("1\u00a0500", "1500"), ("-£5", "-5"),
     ("60%", "60"), (".5", "0.5"), ("  12 ", "12"), ("1,000,000.125", "1000000.125"),
     ("£ 1,234,567.89", "1234567.89"), ("£\u00a01 500", "1500"), ("£ -5", "-5")],
)  # fmt: skip
def test_a_figure_in_digits_with_commas_or_spaces_between_thousands_is_read(typed, kept):
    assert stored(decimal(typed, field="saving", label="Saving", allow_negative=True)) == kept


def test_a_whole_number_with_spaces_between_thousands_is_read_and_one_with_an_exponent_is_not():
    assert base.whole("150 000", field="population", label="The population") == 150_000
    with pytest.raises(AnswerInvalid, match="must be a whole number"):
        base.whole("1.5e5", field="population", label="The population")


@pytest.mark.parametrize("typed", ["12.7", "1e3", "many"])
def test_a_whole_number_is_asked_for_in_the_same_words_whatever_was_typed(typed):
    with pytest.raises(AnswerInvalid) as refused:
        base.whole(typed, field="population", label="The population")

    assert refused.value.message == "The population must be a whole number, like 1500."


@pytest.mark.parametrize(
    "typed",
    [
        "GP <5 sessions & >2 days; a<b>c",
        "GP <script>alert(1)</script> \U0001f600",
        "see <Appendix 2>",
        "a &amp; b &lt;c&gt;",
        "x <!-- note --> y",
        "\ufeffx",
    ],
)
def test_plain_text_keeps_what_looks_like_markup_exactly_as_typed(typed):
    assert base.text(typed) == typed


def test_plain_text_trims_the_spaces_around_it_and_keeps_line_breaks_as_line_feeds():
    assert base.text("  a\r\nb\rc \t") == "a\nb\nc"


@pytest.mark.parametrize("typed", ["a\x00b", "a\ud800b"])
def test_plain_text_with_a_character_no_database_stores_is_refused_on_its_field(typed):
    with pytest.raises(AnswerInvalid, match="character that cannot be stored") as refused:
        base.text(typed, field="rows[0].discipline")

    assert refused.value.field == "rows[0].discipline"


def test_a_cell_holding_such_a_character_is_refused_naming_its_column_as_the_page_labels_it():
    column = rows.Column("area", "Development area")

    with pytest.raises(AnswerInvalid) as refused:
        rows.clean_cell("Dermatology\x00 pathway", column, field="rows[0].area")

    assert refused.value.message.startswith("“Development area” holds a character")
    assert refused.value.field == "rows[0].area"


BANES_PATHWAYS = TableKind([{"key": "area", "label": "Development area"}])


@pytest.mark.parametrize(
    "kind, field, label",
    [
        (BANES_PATHWAYS, "rows[12].area", "Development area"),
        (KINDS["hours"], "lines[0].hours_each", "Hours each meeting"),
        (KINDS["milestones"], "milestones[3].due-day", "Date"),
        (KINDS["projects"], "projects[0].targets[1].planned_saving", "Planned saving in pounds"),
        (KINDS["self_assessment"], "ratings.2.1.action", "Action or evidence for target 2.1"),
        (KINDS["hours"], "lines[0].not_a_column", ""),
    ],
)  # fmt: skip
def test_an_input_is_labelled_by_its_column_whatever_its_row_and_date_box(kind, field, label):
    assert kind.input_label(field) == label


def _stripped_as_before(typed: str) -> str:
    """How plain text was cleaned before it was kept as typed: tags stripped as markup."""
    return html.unescape(nh3.clean(typed, tags=set()).strip())


@hypothesis.settings(max_examples=3000, deadline=None)
@hypothesis.given(
    hypothesis.strategies.text(
        alphabet=hypothesis.strategies.characters(exclude_categories=("Cs",)), max_size=60
    )
    | hypothesis.strategies.sampled_from(
        ["a > b", 'say "hi"', "it's", " x", "x\t", "\u00a0x", "a\u2028b", "\ufeffx", "a\x0cb"]
    )
)
def test_a_text_stored_before_reads_back_unchanged_so_signed_hashes_do_not_move(typed):
    stored_before = _stripped_as_before(typed.replace("\x00", ""))
    hypothesis.assume(_stripped_as_before(stored_before) == stored_before)

    assert base.text(stored_before) == stored_before


@pytest.mark.parametrize("written", ["1,500.00", "1 500.00", "1500"])
def test_a_rate_the_template_writes_with_thousands_separated_is_the_rate_used(written):
    """Read by the rule its file was checked with (plans/parameters.py), not by Decimal."""
    own = KINDS["des_funding"].configured({"rate_per_patient": written})

    assert own.fixed("rate_per_patient") == Decimal("1500")


@pytest.mark.parametrize(("stored_before", "read"), [("1e3", "1E+3"), ("2.4E0", "2.4")])
def test_a_form_stored_before_the_number_rule_keeps_the_rate_it_was_read_as(stored_before, read):
    """Files loaded before definition figures were read by the one rule (0344) may hold "1e3":
    their plans' pages still open and their signed figures read as they were signed."""
    own = KINDS["des_funding"].configured({"rate_per_patient": stored_before})

    assert str(own.fixed("rate_per_patient")) == read


@pytest.mark.parametrize("typed", ["£100.005", "100.001", "0.0000001", "0." + "0" * 400 + "1"])
def test_money_with_a_fraction_of_a_penny_is_refused_on_its_field_not_rounded(typed):
    with pytest.raises(AnswerInvalid) as refused:
        decimal(typed, field="saving", label="The saving", pounds=True)

    assert refused.value.message == (
        "The saving has more than 2 decimal places. "
        "Enter an amount in pounds and pence, like 1,500.25."
    )
    assert refused.value.field == "saving"


@pytest.mark.parametrize(("typed", "kept"), [("£1,500.25", "1500.25"), ("100.500", "100.5")])
def test_money_in_pounds_and_pence_is_read_as_typed(typed, kept):
    assert stored(decimal(typed, field="saving", label="The saving", pounds=True)) == kept


def test_a_rate_keeps_its_fraction_of_a_penny():
    assert stored(decimal("1.905", field="rate", label="The rate")) == "1.905"
