from django.http import QueryDict

from plans.kinds.outcome_framework import AREAS as AREA_ROWS
from plans.kinds.projects import PROJECTS as PROJECT_ROWS
from plans.kinds.rows import apply_action as apply_row_action


def post(action: str = "") -> QueryDict:
    data = QueryDict(mutable=True)
    if action:
        data["row-action"] = action
    return data


def projects():
    return [
        {"number": "1", "title": "Outpatients", "leads": [], "targets": [
            {"code": "1.1", "title": "CAS", "planned_saving": "153000"},
            {"code": "", "title": "", "planned_saving": ""},
        ]},
        {"number": "", "title": "", "leads": [], "targets": []},
    ]  # fmt: skip


def test_add_target_appends_an_empty_target_to_that_project_and_names_the_action():
    rows, pressed = apply_row_action(post("add-target-0"), projects(), PROJECT_ROWS)

    assert pressed == "add-target-0"
    assert len(rows[0]["targets"]) == 3
    assert len(rows) == 2  # nothing dropped while the editor is still adding


def test_remove_target_takes_out_only_that_target():
    rows, _ = apply_row_action(post("remove-target-0-0"), projects(), PROJECT_ROWS)

    assert [t["code"] for t in rows[0]["targets"]] == [""]


def test_plain_save_drops_empty_targets_and_empty_projects():
    rows, pressed = apply_row_action(post(), projects(), PROJECT_ROWS)

    assert pressed == ""
    assert len(rows) == 1
    assert [t["code"] for t in rows[0]["targets"]] == ["1.1"]


def test_an_out_of_range_button_saves_as_usual():
    rows, pressed = apply_row_action(post("remove-project-9"), projects(), PROJECT_ROWS)

    assert pressed == ""
    assert len(rows) == 1


def test_outcome_areas_share_the_same_behaviour():
    areas = [{"number": "1", "area": "Access", "weighting_percent": "5", "outcomes": []}]

    rows, pressed = apply_row_action(post("add-outcome-0"), areas, AREA_ROWS)
    assert pressed == "add-outcome-0"
    assert len(rows[0]["outcomes"]) == 1

    rows, _ = apply_row_action(post("add-area"), rows, AREA_ROWS)
    rows, _ = apply_row_action(post(), rows, AREA_ROWS)
    assert rows == [areas[0] | {"outcomes": []}]


def test_an_area_holding_only_a_blank_outcome_is_empty_and_dropped_on_save():
    access = {"number": "1", "area": "Access", "weighting_percent": "5", "outcomes": []}

    rows, _ = apply_row_action(post("add-area"), [dict(access)], AREA_ROWS)
    rows, _ = apply_row_action(post("add-outcome-1"), rows, AREA_ROWS)
    assert AREA_ROWS.empty(rows[1])
    assert not AREA_ROWS.empty(rows[0])

    rows, _ = apply_row_action(post(), rows, AREA_ROWS)
    assert rows == [access]
