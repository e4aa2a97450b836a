"""Where a row button leaves the person: the new row, the row now in a removed one's place,
the moved row; worked out from input names alone, so every kind gets it."""

from plans.kinds.base import Field
from plans.row_focus import input_names, landing, table_input_names

PROJECT_INPUTS = ["p0-number", "p0-title", "p0-t0-code", "p0-t0-title", "p0-t1-code",
                  "p1-number", "p1-t0-code"]  # fmt: skip


def test_adding_a_target_lands_on_the_new_targets_first_input():
    after = [*PROJECT_INPUTS[:5], "p0-t2-code", "p0-t2-title", *PROJECT_INPUTS[5:]]
    assert landing("add-target-0", before=PROJECT_INPUTS, after=after) == "p0-t2-code"


def test_removing_a_middle_target_lands_on_the_one_now_in_its_place():
    after = [name for name in PROJECT_INPUTS if name != "p0-t1-code"]
    assert landing("remove-target-0-0", before=PROJECT_INPUTS, after=after) == "p0-t0-code"


def test_removing_the_last_target_lands_on_the_one_before_it():
    after = [name for name in PROJECT_INPUTS if name != "p0-t1-code"]
    assert landing("remove-target-0-1", before=PROJECT_INPUTS, after=after) == "p0-t0-code"


def test_removing_a_projects_only_target_lands_on_the_project():
    after = [name for name in PROJECT_INPUTS if name != "p1-t0-code"]
    assert landing("remove-target-1-0", before=PROJECT_INPUTS, after=after) == "p1-number"


def test_removing_the_only_row_lands_nowhere_so_on_the_question():
    assert landing("remove-row-0", before=["0-name"], after=[]) == ""


def test_moving_a_table_row_lands_on_it_in_its_new_place():
    names = table_input_names([{}, {}, {}], [{"key": "name"}, {"key": "code"}])
    assert landing("move-up-2", before=names, after=names) == "1-name"
    assert landing("move-down-0", before=names, after=names) == "1-name"


def test_input_names_are_read_from_any_nesting_of_a_kinds_figures():
    figures = {
        "projects": [{"fields": {"number": Field("p0-number", "Number")},
                      "targets": [{"fields": {"code": Field("p0-t0-code", "Code")}}]}],
        "total": "£1",
    }  # fmt: skip
    assert input_names(figures) == ["p0-number", "p0-t0-code"]
