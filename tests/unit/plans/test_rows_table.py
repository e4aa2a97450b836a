"""The one table of inputs of the row kinds (plans.kinds.rows.RowsTable,
templates/plans/structured/_rows_table.html): headings, worked-out cells and row buttons come
from the kind's row spec, nested rows name their parent, and the JSON export leaves it out."""

import re
from types import SimpleNamespace

from django.template.loader import render_to_string

from plans.exports import jsonable
from plans.kinds.base import NO_PLAN
from plans.kinds.hours import LINES
from plans.models import TemplateQuestion
from plans.structured import KINDS

QUESTION = TemplateQuestion(key="4-2", number="4.2", title="Services")


def editing(kind: str, value: dict) -> str:
    figures = KINDS[kind].present(value, context=NO_PLAN)
    html = render_to_string(
        KINDS[kind].template_name,
        {"editing": True, "prefix": "q", "figures": figures, "question": QUESTION},
    )
    return re.sub(r">\s+<", "><", " ".join(html.split()))


def button(html: str, value: str) -> str:
    """The words of the row button ``value``, those only screen readers hear included."""
    words = re.search(rf'value="{re.escape(value)}">(.*?)</button>', html)[1]
    return re.sub(r"<[^>]+>", "", words)


def projects(*targets_per_project: int) -> dict:
    return {
        "projects": [
            {
                "number": str(i + 1),
                "title": f"Project {i + 1}",
                "leads": [],
                "targets": [
                    {"code": f"{i + 1}.{j + 1}", "title": "Target", "planned_saving": "1000"}
                    for j in range(targets)
                ],
            }
            for i, targets in enumerate(targets_per_project)
        ]
    }


def test_the_headings_are_the_columns_short_headings_then_the_worked_out_cells():
    assert LINES.headings == (
        "Activity", "Meetings", "Hours each", "Attendees", "Or fixed hours", "Hours",
    )  # fmt: skip


def test_an_hours_line_shows_its_worked_out_hours_after_its_inputs_and_before_remove():
    html = editing("hours", {"lines": [{"activity": "Meetings", "hours": "12.5"}]})

    assert (
        '<td class="nhsuk-table__cell" data-figure="lines[0].worked-out-1">12.5</td>'
        '<td class="nhsuk-table__cell"><button'
    ) in html
    assert button(html, "remove-line-0") == "Remove line 1 of 4.2 Services"
    assert button(html, "add-line") == "Add a line to 4.2 Services"


def test_a_target_names_its_project_on_remove_and_the_project_takes_the_added_target():
    html = editing("projects", projects(0, 1))

    assert button(html, "remove-target-1-0") == "Remove target 1 of project 2 of 4.2 Services"
    assert button(html, "add-target-1") == "Add a target to project 2 of 4.2 Services"
    assert button(html, "remove-project-1") == "Remove project 2 of 4.2 Services"


def test_on_a_later_page_of_projects_a_target_names_its_project_by_its_place_in_the_list():
    figures = KINDS["projects"].on_page(2).present(projects(*[1] * 25), context=NO_PLAN)
    page_links = {"plan": SimpleNamespace(pk=1), "row": SimpleNamespace(question=QUESTION)}
    html = render_to_string(
        "plans/structured/projects.html",
        {"editing": True, "prefix": "q", "figures": figures, "question": QUESTION, **page_links},
    )
    html = re.sub(r">\s+<", "><", " ".join(html.split()))

    assert button(html, "remove-target-20-0") == "Remove target 1 of project 21 of 4.2 Services"
    assert button(html, "add-target-20") == "Add a target to project 21 of 4.2 Services"


def test_a_project_without_targets_says_so_across_every_column_and_totals_under_the_last():
    html = editing("projects", projects(0, 1))

    assert '<td class="nhsuk-table__cell" colspan="4">No targets yet.</td>' in html
    assert (
        '<th scope="row" class="nhsuk-table__header" colspan="2">Project total</th>'
        '<td class="nhsuk-table__cell" colspan="2" data-figure="projects[1].targets.total">'
        "<strong>£1,000</strong></td>"
    ) in html


def test_the_json_export_leaves_out_the_tables_of_inputs_and_their_worked_out_cells():
    presented = jsonable(KINDS["projects"].present(projects(1), context=NO_PLAN))
    hours = jsonable(
        KINDS["hours"].present({"lines": [{"activity": "A", "hours": "2"}]}, context=NO_PLAN)
    )

    assert "table" not in presented["projects"][0]["extra"]
    assert "table" not in hours
    assert "worked_out" not in hours["lines"][0]
    assert hours["lines"][0]["extra"]["hours"] == "2"


def test_an_area_is_named_by_its_number_and_an_unnumbered_one_by_its_place():
    outcome = {"number": "", "outcome": "Met", "monitoring": "", "weighting_percent": "50"}
    html = editing(
        "outcome_framework",
        {
            "areas": [
                {"number": "6", "area": "A", "weighting_percent": "50", "outcomes": [outcome]},
                {"number": "", "area": "B", "weighting_percent": "50", "outcomes": []},
            ]
        },
    )

    assert button(html, "remove-outcome-0-0") == "Remove outcome 1 of area 6 of 4.2 Services"
    assert button(html, "add-outcome-0") == "Add an outcome to area 6 of 4.2 Services"
    assert button(html, "remove-area-0") == "Remove area 6 of 4.2 Services"
    assert "Outcome area 6</legend>" in html and "Outcomes of area 6</caption>" in html
    assert ">Number, area 6<" in html and ">Outcome, outcome 1 of area 6<" in html
    assert button(html, "remove-area-1") == "Remove area 2 of 4.2 Services"
    assert "Outcome area 2</legend>" in html and ">Number, area 2<" in html


def test_the_read_only_framework_heads_an_unnumbered_area_with_its_name_alone():
    areas = [
        {"number": "6", "area": "Access", "weighting_percent": "50", "outcomes": []},
        {"number": "", "area": "Prescribing", "weighting_percent": "50", "outcomes": []},
    ]
    figures = KINDS["outcome_framework"].present({"areas": areas}, context=NO_PLAN)
    html = render_to_string(
        KINDS["outcome_framework"].template_name, {"editing": False, "figures": figures}
    )

    assert ">6. Access</th>" in html
    assert ">Prescribing</th>" in html
