import html
from decimal import Decimal

import hypothesis
import pytest

from plans.errors import AnswerInvalid
from plans.kinds import base
from plans.kinds.base import decimal, stored
from plans.sanitise import clean_cell


@pytest.mark.parametrize("typed", ["1e999999999", "-1e999999999", "1e12", "9" * 400])
def test_a_number_beyond_the_decimal_context_is_refused_as_too_large_not_raised(typed):
    with pytest.raises(AnswerInvalid, match="Saving is too large"):
        decimal(typed, field="saving", label="Saving", allow_negative=True)


@pytest.mark.parametrize("typed", ["1e-999999999", "1e-400", "0.0000001"])
def test_a_number_with_more_than_six_decimal_places_is_refused_on_its_field(typed):
    with pytest.raises(AnswerInvalid, match="at most 6 decimal places") as refused:
        decimal(typed, field="rate", label="Rate")

    assert refused.value.field == "rate"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("999999999999.999999", "999999999999.999999"), ("1.000000000", "1"), ("0E-999999999", "0")],
)
def test_the_largest_and_most_precise_numbers_allowed_are_stored_as_typed(typed, kept):
    assert stored(decimal(typed, field="f", label="F")) == kept
    assert Decimal(kept) == Decimal(typed)


@pytest.mark.parametrize("typed", ["-0", "-0.00", "0.0"])
def test_zero_is_stored_as_zero_whatever_sign_or_places_it_was_typed_with(typed):
    assert stored(decimal(typed, field="saving", label="Saving")) == "0"


def test_a_whole_number_refused_as_unreadable_is_shown_a_whole_example():
    with pytest.raises(AnswerInvalid, match=r"The population must be a number, like 1500\.$"):
        base.whole("many", field="population", label="The population")


@hypothesis.settings(max_examples=3000, deadline=None)
@hypothesis.given(
    hypothesis.strategies.text(
        alphabet=hypothesis.strategies.characters(exclude_categories=("Cs",)), max_size=60
    )
    | hypothesis.strategies.sampled_from(
        ["a > b", 'say "hi"', "it's", " x", "x\t", "\u00a0x", "a\u2028b", "\ufeffx", "a\x0cb"]
    )
)
def test_plain_text_skips_the_cleaner_only_where_the_cleaner_would_keep_it_as_it_is(typed):
    assert base.text(typed) == html.unescape(clean_cell(typed))
