"""Where a row button leaves the person: the new row, the row now in a removed one's place,
the moved row; worked out from input names alone, so every kind gets it."""

from plans.kinds.base import Field
from plans.row_focus import input_names, landing, table_input_names

PROJECT_INPUTS = [
    "projects[0].number", "projects[0].title", "projects[0].targets[0].code",
    "projects[0].targets[0].title", "projects[0].targets[1].code",
    "projects[1].number", "projects[1].targets[0].code",
]  # fmt: skip


def test_adding_a_target_lands_on_the_new_targets_first_input():
    added = ["projects[0].targets[2].code", "projects[0].targets[2].title"]
    after = [*PROJECT_INPUTS[:5], *added, *PROJECT_INPUTS[5:]]
    assert (
        landing("add-target-0", before=PROJECT_INPUTS, after=after) == "projects[0].targets[2].code"
    )


def test_removing_a_middle_target_lands_on_the_one_now_in_its_place():
    after = [name for name in PROJECT_INPUTS if name != "projects[0].targets[1].code"]
    assert (
        landing("remove-target-0-0", before=PROJECT_INPUTS, after=after)
        == "projects[0].targets[0].code"
    )


def test_removing_the_last_target_lands_on_the_one_before_it():
    after = [name for name in PROJECT_INPUTS if name != "projects[0].targets[1].code"]
    assert (
        landing("remove-target-0-1", before=PROJECT_INPUTS, after=after)
        == "projects[0].targets[0].code"
    )


def test_removing_a_projects_only_target_lands_on_the_project():
    after = [name for name in PROJECT_INPUTS if name != "projects[1].targets[0].code"]
    assert landing("remove-target-1-0", before=PROJECT_INPUTS, after=after) == "projects[1].number"


def test_removing_the_only_row_lands_nowhere_so_on_the_question():
    assert landing("remove-row-0", before=["rows[0].name"], after=[]) == ""


def test_moving_a_table_row_lands_on_it_in_its_new_place():
    names = table_input_names([{}, {}, {}], [{"key": "name"}, {"key": "code"}])
    assert landing("move-up-2", before=names, after=names) == "rows[1].name"
    assert landing("move-down-0", before=names, after=names) == "rows[1].name"


def test_input_names_are_read_from_any_nesting_of_a_kinds_figures():
    figures = {
        "projects": [{
            "fields": {"number": Field("projects[0].number", "Number")},
            "targets": [{"fields": {"code": Field("projects[0].targets[0].code", "Code")}}],
        }],
        "total": "£1",
    }  # fmt: skip
    assert input_names(figures) == ["projects[0].number", "projects[0].targets[0].code"]
