"""BANES Appendix 1, the outcome framework, as its editor meets it (plans/kinds/
outcome_framework.py and its template): adding a row saves the rest and lands on the new row,
and an area is named by the number the plan gives it, the same in every heading, label, button
and message."""

import re

import pytest
from django.urls import reverse

from consortia.models import User
from plans.models import Answer, Plan
from tests import demo_data
from tests.integration.plans.test_structured_pages import form_post, part_page, refused_on

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

KEY = "incentive-outcome-framework"
PREFIX = f"q-{KEY}"
PART = "appendix-1"


@pytest.fixture
def banes(client):
    demo_data.load_organisations_and_plans()
    client.force_login(User.objects.get(email="editor.banes@example.org"))
    return Plan.objects.get(consortium__slug="banes")


def saved_areas(plan) -> list[dict]:
    return Answer.objects.get(plan=plan, question__key=KEY).data["areas"]


def press(client, plan, action: str, *, script: bool = False, **changes: str):
    """The answer's form posted as the part page drew it, with ``changes`` typed and ``action``
    pressed (a row button's value; "" for Save); by the page's script when ``script``."""
    post = form_post(client, plan, KEY, on_part_page=True)
    for name, value in changes.items():
        post[f"{PREFIX}-{name}"] = [value]
    if action:
        post["row-action"] = action
    headers = {"Accept": "application/json"} if script else {}
    return client.post(reverse("answer_edit", args=[plan.pk, KEY]), post, headers=headers)


def test_adding_an_outcome_keeps_the_other_edits_and_lands_on_the_new_blank_outcome(client, banes):
    response = press(
        client, banes, "add-outcome-0", **{"areas[1].area": "Commissioning Plan (renamed)"}
    )

    part = reverse("part_detail", args=[banes.pk, PART])
    assert response.status_code == 302
    assert response.headers["Location"] == f"{part}#{PREFIX}-areas[0].outcomes[3].number"
    areas = saved_areas(banes)
    assert areas[1]["area"] == "Commissioning Plan (renamed)"
    assert len(areas[0]["outcomes"]) == 4
    page = part_page(client, banes, PART)
    assert f'id="{PREFIX}-areas[0].outcomes[3].number"' in page
    assert "Enter the outcome." not in page
    assert "There is a problem" not in page


def test_adding_an_outcome_area_lands_on_the_new_blank_area_without_refusing_it(client, banes):
    response = press(client, banes, "add-area")

    part = reverse("part_detail", args=[banes.pk, PART])
    assert response.status_code == 302
    assert response.headers["Location"] == f"{part}#{PREFIX}-areas[5].number"
    assert "Enter the outcome area." not in part_page(client, banes, PART)


def test_a_new_outcome_left_blank_counts_for_nothing_and_is_dropped_on_save(client, banes):
    assert press(client, banes, "add-outcome-4").status_code == 302
    assert saved_areas(banes)[4]["outcomes"][3]["outcome"] == ""

    # Area 6 still adds up (0 + 15 + 15 = 30%), and the plan to 100%: nothing to fix.
    page = part_page(client, banes, PART)
    assert f'id="question-{KEY}-warnings"' not in page
    assert "5% + 5% + 20% + 40% + 30%" in page

    assert press(client, banes, "").status_code == 302
    assert [len(area["outcomes"]) for area in saved_areas(banes)] == [3, 1, 3, 2, 3]


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"areas[0].outcomes[3].monitoring": "Minutes"}, "areas[0].outcomes[3].outcome",
         "Enter the outcome."),
        ({"areas[0].outcomes[3].outcome": "Met"}, "areas[0].outcomes[3].weighting_percent",
         "Enter the outcome&#x27;s weighting, like 5."),
        ({"areas[0].area": ""}, "areas[0].area", "Enter the outcome area."),
        ({"areas[0].weighting_percent": ""}, "areas[0].weighting_percent",
         "Enter the area&#x27;s weighting, like 20."),
    ],
)  # fmt: skip
def test_a_row_begun_but_not_finished_is_refused_on_what_it_lacks(
    client, banes, typed, field, message
):
    assert press(client, banes, "add-outcome-0").status_code == 302

    refused_on(press(client, banes, "", **typed), f"{PREFIX}-{field}", message)


def area_names(html: str) -> set[str]:
    """Every "area N" the html names, in words seen or heard."""
    return set(re.findall(r"\barea (\S+?)\b", re.sub(r"<[^>]+>", " ", html), re.IGNORECASE))


def test_an_area_is_named_by_its_number_in_its_heading_labels_and_buttons(client, banes):
    page = client.get(reverse("answer_edit", args=[banes.pk, KEY])).content.decode()
    # BANES numbers its areas 1, 2, 4, 5, 6: the fourth area is area 5.
    fourth = page[page.index("Outcome area 5</legend>") : page.index("Outcome area 6</legend>")]

    assert area_names(fourth) == {"5"}
    assert ">Number, area 5<" in fourth
    # each button names the question too: a part page may hold another list of areas
    assert '>Remove area 5<span class="nhsuk-u-visually-hidden"> of Appendix 1 Funding' in fourth
    assert 'Add an outcome<span class="nhsuk-u-visually-hidden"> to area 5 of Appendix 1' in fourth
    assert 'Remove<span class="nhsuk-u-visually-hidden"> outcome 2 of area 5 of Appendix' in fourth
    assert "Outcomes of area 5" in fourth


def test_the_readiness_check_names_an_area_by_its_number_once(client, banes):
    # Area 6, the fifth, weighs 30% but its outcomes 0 + 5 + 15 make 20%.
    assert (
        press(client, banes, "", **{"areas[4].outcomes[1].weighting_percent": "5"}).status_code
        == 302
    )

    ready = client.get(reverse("plan_ready", args=[banes.pk])).content.decode()
    assert "The outcomes of area 6 add up to 20%, but the area&#x27;s weighting is 30%." in ready
    assert "area area" not in ready


def test_outcomes_not_adding_up_to_their_area_are_saved_with_a_warning_on_the_area(client, banes):
    typed = {f"areas[0].outcomes[{j}].weighting_percent": w for j, w in enumerate("141")}

    assert press(client, banes, "", **typed).status_code == 302

    assert [o["weighting_percent"] for o in saved_areas(banes)[0]["outcomes"]] == ["1", "4", "1"]
    page = part_page(client, banes, PART)
    first = page[page.index("Outcome area 1</legend>") : page.index("Outcome area 2</legend>")]
    assert f'id="{PREFIX}-areas[0]-warnings"' in first
    assert "The outcomes of area 1 add up to 6%, but the area&#x27;s weighting is 5%." in first
    assert "-warnings" not in page[page.index("Outcome area 2</legend>") :]
    ready = client.get(reverse("plan_ready", args=[banes.pk])).content.decode()
    assert "The outcomes of area 1 add up to 6%" in ready


def test_every_weighting_that_cannot_be_read_is_refused_at_once_on_its_own_input(client, banes):
    before = saved_areas(banes)
    typed = {
        "areas[0].outcomes[0].weighting_percent": "1e3",
        "areas[0].outcomes[1].weighting_percent": "-5",
        "areas[2].weighting_percent": "abc",
    }

    response = press(client, banes, "", **typed)

    assert response.status_code == 400
    page = response.content.decode()
    for field in typed:
        assert f'id="{PREFIX}-{field}-error"' in page
    assert "A weighting cannot be negative." in page
    assert saved_areas(banes) == before


def test_a_save_by_the_page_script_says_what_does_not_add_up(client, banes):
    typed = {f"areas[0].outcomes[{j}].weighting_percent": w for j, w in enumerate("141")}

    response = press(client, banes, "", script=True, **typed)

    assert response.status_code == 200
    assert response.json()["warnings"] == [
        "The outcomes of area 1 add up to 6%, but the area's weighting is 5%."
    ]
    typed["areas[0].outcomes[1].weighting_percent"] = "3"
    assert press(client, banes, "", script=True, **typed).json()["warnings"] == []
