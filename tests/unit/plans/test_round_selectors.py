"""How a planning round's deadline reads."""

from datetime import date

import pytest

from consortia.tables import Tag
from plans.round_selectors import due

DEADLINE = date(2007, 3, 31)


@pytest.mark.parametrize(
    ("today", "text", "overdue", "near"),
    [
        (date(2007, 3, 17), "Due in 14 days", False, False),
        (date(2007, 3, 24), "Due in 7 days", False, True),
        (date(2007, 3, 30), "Due tomorrow", False, True),
        (date(2007, 3, 29), "Due in 2 days", False, True),
        (date(2007, 3, 31), "Due today", False, True),
        (date(2007, 4, 1), "1 day overdue", True, False),
        (date(2007, 4, 10), "10 days overdue", True, False),
    ],
)
def test_the_deadline_reads_as_days_left_or_overdue(today, text, overdue, near):
    reading = due(DEADLINE, on=today)
    assert (reading.text, reading.overdue, reading.near) == (text, overdue, near)


@pytest.mark.parametrize(
    ("today", "tag"),
    [
        (date(2007, 3, 17), None),
        (date(2007, 3, 24), Tag("Due in 7 days", "nhsuk-tag--orange")),
        (date(2007, 4, 1), Tag("1 day overdue", "nhsuk-tag--red")),
    ],
)
def test_a_deadline_past_is_a_red_tag_a_near_one_orange_and_a_far_one_none(today, tag):
    assert due(DEADLINE, on=today).tag == tag
