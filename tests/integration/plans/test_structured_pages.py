"""The structured figures on the demo plans' pages and in the JSON export: computed from the
data, refused with a message on the field, and at a fixed query cost however many rows."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from consortia.models import User
from plans.models import Answer, Plan
from signoff import pdf
from tests import demo_data
from tests.factories import UserFactory
from tests.limits import projects_of
from tests.plan_factories import plan_with_every_kind
from tests.queries import page_queries

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

EDITOR = "editor.daccom@example.org"
PROJECTS = "services-to-be-commissioned"


class FormFields(HTMLParser):
    """The name/value pairs a browser would post from the answer form ``form_id`` (no button
    pressed)."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.fields: list[tuple[str, str]] = []
        self._textarea = None
        self._select = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self._in_form = True
        if not self._in_form or not attrs.get("name"):
            if tag == "option" and self._select is not None and "selected" in attrs:
                self.fields.append((self._select, attrs.get("value", "")))
            return
        if (tag == "input" and attrs.get("type") not in ("submit", "checkbox")) or (
            tag == "input" and attrs.get("type") == "checkbox" and "checked" in attrs
        ):
            self.fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select = attrs["name"]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False


def form_post(client, plan, key, *, page: int | None = None, on_part_page=False) -> dict:
    """What the answer's form posts as the question's own page (at ``page`` of a long list)
    draws it, or as the part page does."""
    if on_part_page:
        part = Answer.objects.get(plan=plan, question__key=key).question.part
        url = reverse("part_detail", args=[plan.pk, part.key])
    else:
        url = reverse("answer_edit", args=[plan.pk, key])
    response = client.get(f"{url}?page={page}" if page else url)
    assert response.status_code == 200
    parser = FormFields(f"answer-form-{key}")
    parser.feed(response.content.decode())
    post: dict = {}
    for name, value in parser.fields:
        post.setdefault(name, []).append(value)
    return post


@pytest.fixture
def daccom(client):
    demo_data.load_organisations_and_plans()
    client.force_login(User.objects.get(email=EDITOR))
    return Plan.objects.get(consortium__slug="daccom", template__slug="daccom-locality-plan-2006")


def part_page(client, plan, part_key) -> str:
    response = client.get(reverse("part_detail", args=[plan.pk, part_key]))
    assert response.status_code == 200
    return response.content.decode()


def refused_on(response, field: str, message: str) -> str:
    """The answer's form came back refused (400) with ``message`` at ``field``; its page."""
    page = response.content.decode()
    assert response.status_code == 400
    assert f'id="{field}-error"' in page
    assert message in page
    return page


def editor_posts_answer(client, plan, key, fields: dict):
    """A consortium editor saves ``fields`` (names without the form prefix) as a first save."""
    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium))
    prefix = f"q-{key}"
    posted = {f"{prefix}-{name}": value for name, value in fields.items()}
    return client.post(
        reverse("answer_edit", args=[plan.pk, key]), {f"{prefix}-base_version": 0, **posted}
    )


def test_daccom_part_pages_show_the_computed_figures(client, daccom):
    objectives = part_page(client, daccom, "commissioning-objectives")
    # Computed on 4.2 and again on 4.4 (the typed narrative says "£2.68m (44%) to a ...").
    assert objectives.count("£2.68m (44%) of £6.106m") == 2
    assert "£2,676,000" in objectives
    assert "£1,287,000" in objectives  # project 1: 153 + 335 + 68 + 625 + 91 + 15 (thousand)

    budget = part_page(client, daccom, "budget-setting")
    for figure in ("£285k", "£214k", "£71k", "£213,750", "£71,250"):
        assert figure in budget

    performance = part_page(client, daccom, "performance-management")
    assert "1,000 hours" in performance


def test_the_json_export_carries_every_computed_figure(client, daccom):
    response = client.get(reverse("plan_export_json", args=[daccom.pk]))
    record = json.loads(response.content)
    questions = {q["key"]: q for part in record["parts"] for q in part["questions"]}

    assert questions[PROJECTS]["figures"]["summary"] == "£2.68m (44%) of £6.106m"
    assert questions[PROJECTS]["figures"]["total"] == "2676000"
    assert questions["financial-targets"]["figures"]["summary"] == "£2.68m (44%) of £6.106m"
    des = questions["resource-identification"]["figures"]
    assert (des["total_compact"], des["practices_compact"], des["pct_compact"]) == (
        "£285k",
        "£214k",
        "£71k",
    )
    assert questions["capacity-planning"]["figures"]["total_display"] == "1,000"
    assert "fields" not in json.dumps(questions[PROJECTS]["figures"])


def test_a_negative_saving_is_refused_on_its_field_and_nothing_else_is_lost(client, daccom):
    post = form_post(client, daccom, PROJECTS)
    prefix = f"q-{PROJECTS}"
    post[f"{prefix}-projects[0].targets[1].planned_saving"] = ["-335000"]
    post[f"{prefix}-projects[1].title"] = ["Reducing A&E attendances (renamed)"]
    post[f"{prefix}-text"] = ["<p>Our own narrative, still here.</p>"]

    response = client.post(reverse("answer_edit", args=[daccom.pk, PROJECTS]), post)

    page = refused_on(
        response,
        f"{prefix}-projects[0].targets[1].planned_saving",
        "The planned saving cannot be negative.",
    )
    assert 'value="-335000"' in page
    assert "Reducing A&amp;E attendances (renamed)" in page
    assert "Our own narrative, still here." in page
    saved = Answer.objects.get(plan=daccom, question__key=PROJECTS)
    assert saved.data["projects"][0]["targets"][1]["planned_saving"] == "335000"


def test_a_title_over_the_limit_is_refused_on_its_field_and_nothing_is_cut(client, daccom):
    post = form_post(client, daccom, PROJECTS)
    prefix = f"q-{PROJECTS}"
    post[f"{prefix}-projects[0].title"] = ["x" * 20_001]

    response = client.post(reverse("answer_edit", args=[daccom.pk, PROJECTS]), post)

    refused_on(
        response,
        f"{prefix}-projects[0].title",
        "This text is 20,001 characters long; the most it can hold is 20,000.",
    )
    saved = Answer.objects.get(plan=daccom, question__key=PROJECTS)
    assert saved.data["projects"][0]["title"] != "x" * 20_000


def test_red_house_population_by_surgery_totals_18600_and_a_bad_cell_is_refused_on_it(client):
    demo_data.load_organisations_and_plans()
    client.force_login(User.objects.get(email="editor.red-house@example.org"))
    plan = Plan.objects.get(consortium__slug="red-house")
    key = "surgery-populations"

    page = part_page(client, plan, "introduction")
    assert 'value="12000"' in page and 'value="3600"' in page
    assert "<strong>18,600</strong>" in page

    post = form_post(client, plan, key)
    post[f"q-{key}-rows[1].list_size"] = ["3,600.5"]
    response = client.post(reverse("answer_edit", args=[plan.pk, key]), post)

    refused_on(response, f"q-{key}-rows[1].list_size", "must be a whole number")
    saved = Answer.objects.get(plan=plan, question__key=key)
    assert [row["list_size"] for row in saved.rows] == ["12000", "3600", "3000"]


def test_adding_a_target_changes_the_totals_on_4_2_and_4_4(client, daccom):
    url = reverse("answer_edit", args=[daccom.pk, PROJECTS])
    prefix = f"q-{PROJECTS}"
    post = form_post(client, daccom, PROJECTS)
    response = client.post(url, {**post, "row-action": "add-target-1"})
    assert response.status_code == 302

    post = form_post(client, daccom, PROJECTS)
    assert post[f"{prefix}-projects[1].targets"] == ["2"]
    post[f"{prefix}-projects[1].targets[1].code"] = ["2.2"]
    post[f"{prefix}-projects[1].targets[1].title"] = ["Minor injuries"]
    post[f"{prefix}-projects[1].targets[1].planned_saving"] = ["£1,000,000"]
    assert client.post(url, post).status_code == 302

    page = part_page(client, daccom, "commissioning-objectives")
    assert "£3.68m (60%) of £6.106m" in page
    assert "£2.68m (44%) of £6.106m" not in page  # the narrative text still says £2.68m (44%)


def test_a_milestone_outside_the_plan_year_is_refused_on_the_date(client, daccom):
    key = "contract-monitoring"
    prefix = f"q-{key}"
    post = form_post(client, daccom, key)
    due = f"{prefix}-milestones[0].due"
    post.update({f"{due}-day": ["1"], f"{due}-month": ["4"], f"{due}-year": ["2007"]})

    response = client.post(reverse("answer_edit", args=[daccom.pk, key]), post)

    refused_on(
        response,
        f"{prefix}-milestones[0].due",
        "within the plan&#x27;s year, 1 April 2006 to 31 March 2007",
    )

    post[f"{prefix}-milestones[0].due-year"] = ["2006"]
    assert client.post(reverse("answer_edit", args=[daccom.pk, key]), post).status_code == 302
    assert Answer.objects.get(plan=daccom, question__key=key).data["milestones"][0]["due"] == (
        "2006-04-01"
    )


def test_zero_population_is_refused_on_the_population(client, daccom):
    key = "resource-identification"
    post = form_post(client, daccom, key)
    post[f"q-{key}-population"] = ["0"]

    response = client.post(reverse("answer_edit", args=[daccom.pk, key]), post)

    refused_on(response, f"q-{key}-population", "The population must be at least 1.")


@pytest.mark.parametrize("typed", ["1e3", "1_000", "\u0661\u0662\u0663"])
def test_a_planned_saving_not_in_plain_digits_is_refused_not_reinterpreted(client, daccom, typed):
    post = form_post(client, daccom, PROJECTS)
    field = f"q-{PROJECTS}-projects[0].targets[1].planned_saving"
    post[field] = [typed]

    response = client.post(reverse("answer_edit", args=[daccom.pk, PROJECTS]), post)

    refused_on(response, field, "must be a number, like 1500 or 1.25.")
    saved = Answer.objects.get(plan=daccom, question__key=PROJECTS)
    assert saved.data["projects"][0]["targets"][1]["planned_saving"] == "335000"


def test_a_population_with_spaces_between_thousands_is_read_and_one_in_exponent_refused(
    client, daccom
):
    key = "resource-identification"
    url = reverse("answer_edit", args=[daccom.pk, key])
    post = form_post(client, daccom, key)
    post[f"q-{key}-population"] = ["1.5e5"]

    refused_on(client.post(url, post), f"q-{key}-population", "must be a whole number, like 1500.")

    post[f"q-{key}-population"] = ["150 000"]
    assert client.post(url, post).status_code == 302
    assert Answer.objects.get(plan=daccom, question__key=key).data["population"] == 150_000


def test_a_whole_number_cell_on_another_form_refuses_an_underscore(client):
    demo_data.load_organisations_and_plans()
    client.force_login(User.objects.get(email="editor.red-house@example.org"))
    plan = Plan.objects.get(consortium__slug="red-house")
    key = "surgery-populations"
    post = form_post(client, plan, key)
    post[f"q-{key}-rows[1].list_size"] = ["3_600"]

    response = client.post(reverse("answer_edit", args=[plan.pk, key]), post)

    refused_on(response, f"q-{key}-rows[1].list_size", "must be a whole number, like 1500.")


def test_the_daccom_self_assessment_page_counts_each_level(client, daccom):
    plan = Plan.objects.get(consortium__slug="daccom", template__family__endswith="self-assessment")
    page = part_page(client, plan, "self-assessment")

    def row(level):
        start = page.index(f'data-level="{level}"')
        return page[start : page.index("</tr>", start)]

    assert ">14<" in row(1) and row(1).count(">8<") == 1
    assert ">19<" in row(2)
    assert ">23<" in row(3) and "Level 3" in row(3)
    assert "£90k a year" in page and "£180k a year" in page


def test_query_count_is_the_same_with_100_projects_of_10_targets(client, daccom):
    url = reverse("part_detail", args=[daccom.pk, "commissioning-objectives"])
    client.get(url)  # the form's parts are read once per process
    cache.clear()  # the page is built afresh each time: a cached one reads no answers
    three = page_queries(client, url)

    # As every save does, the new figures come with a new version.
    Answer.objects.filter(plan=daccom, question__key=PROJECTS).update(
        data={"projects": projects_of(100, targets_each=10)}, version=F("version") + 1
    )
    cache.clear()
    many = page_queries(client, url)

    assert many == three
    assert "£1m (16%) of £6.106m" in client.get(url).content.decode()


def test_enter_in_any_field_saves_because_the_first_submit_button_is_save(client, daccom):
    page = client.get(reverse("answer_edit", args=[daccom.pk, PROJECTS])).content.decode()
    form = page[page.index('class="app-answer-form"') :]
    first_button = form[form.index("<button") : form.index("</button>")]
    assert 'type="submit"' in first_button
    assert "row-action" not in first_button


def test_adding_a_target_lands_on_the_new_targets_number_on_the_part_page(client, daccom):
    post = form_post(client, daccom, PROJECTS, on_part_page=True)
    response = client.post(
        reverse("answer_edit", args=[daccom.pk, PROJECTS]), {**post, "row-action": "add-target-1"}
    )
    part = reverse("part_detail", args=[daccom.pk, "commissioning-objectives"])
    assert response.headers["Location"] == f"{part}#q-{PROJECTS}-projects[1].targets[1].code"
    assert f'id="q-{PROJECTS}-projects[1].targets[1].code"' in part_page(
        client, daccom, "commissioning-objectives"
    )


@pytest.mark.parametrize("on_part_page", [False, True])
def test_a_row_button_comes_back_to_the_page_it_was_pressed_on_at_the_new_row(
    client, daccom, on_part_page
):
    post = form_post(client, daccom, "directors", on_part_page=on_part_page)
    rows = int(post["q-directors-rows"][0])

    response = client.post(
        reverse("answer_edit", args=[daccom.pk, "directors"]), {**post, "row-action": "add-row"}
    )

    if on_part_page:
        page = reverse("part_detail", args=[daccom.pk, "commissioning-plan"])
    else:
        page = reverse("answer_edit", args=[daccom.pk, "directors"])
    assert response.headers["Location"] == f"{page}#q-directors-rows[{rows}].name"


def test_a_row_button_never_goes_to_an_address_the_post_names(client, daccom):
    post = form_post(client, daccom, "directors")

    response = client.post(
        reverse("answer_edit", args=[daccom.pk, "directors"]),
        {**post, "return-to": "https://elsewhere.example/", "row-action": "add-row"},
    )

    part = reverse("part_detail", args=[daccom.pk, "commissioning-plan"])
    assert response.headers["Location"].startswith(f"{part}#")


class RowButtonNames(HTMLParser):
    """The accessible name of every row button: its aria-label, else its words, those only
    screen readers hear included."""

    def __init__(self):
        super().__init__()
        self.names: list[str] = []
        self._label: str | None = None
        self._words: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "button" and attrs.get("name") == "row-action":
            self._label = attrs.get("aria-label")
            self._words = []

    def handle_data(self, data):
        if self._words is not None:
            self._words.append(data)

    def handle_endtag(self, tag):
        if tag == "button" and self._words is not None:
            self.names.append(" ".join((self._label or "".join(self._words)).split()))
            self._words = None


def test_the_row_buttons_of_every_table_on_a_part_page_have_names_of_their_own(client, daccom):
    buttons = RowButtonNames()
    buttons.feed(part_page(client, daccom, "commissioning-plan"))

    assert len(buttons.names) == len(set(buttons.names))
    assert {"Remove row 1 of 2.1 Directors", "Remove row 1 of 2.2 Executive Committee"} <= set(
        buttons.names
    )
    assert "Up: move row 2 of 2.1 Directors up" in buttons.names
    assert "Down: move row 1 of 2.2 Executive Committee down" in buttons.names
    assert "Add a row to 2.1 Directors" in buttons.names


def test_removing_a_target_lands_on_its_neighbour_and_offers_the_version_before(client, daccom):
    post = form_post(client, daccom, PROJECTS)
    targets = int(post[f"q-{PROJECTS}-projects[0].targets"][0])
    last = targets - 1
    response = client.post(
        reverse("answer_edit", args=[daccom.pk, PROJECTS]),
        {**post, "row-action": f"remove-target-0-{last}"},
        follow=True,
    )
    url, _ = response.redirect_chain[-1]
    assert url.endswith(
        f"#q-{PROJECTS}-projects[0].targets[{last - 1}].code"
    )  # the one before the last
    page = response.content.decode()
    assert "a row was removed" in page
    undo = page[page.index("Undo: put the removed row back") - 200 :]
    assert f"/questions/{PROJECTS}/history/" in undo
    saved = Answer.objects.get(plan=daccom, question__key=PROJECTS)
    assert len(saved.data["projects"][0]["targets"]) == targets - 1


# --- a long list of projects is paged on the web pages (issue 16), never in the PDF ----------


@pytest.fixture
def many_projects(daccom):
    """DacCom's projects question holding 45 projects of 3 £1,000 targets: three pages."""
    Answer.objects.filter(plan=daccom, question__key=PROJECTS).update(
        data={"projects": projects_of(45, targets_each=3)}
    )
    return daccom


def saved_projects(plan) -> list[dict]:
    return Answer.objects.get(plan=plan, question__key=PROJECTS).data["projects"]


def test_the_part_page_shows_the_first_20_projects_and_the_totals_of_all_45(client, many_projects):
    page = part_page(client, many_projects, "commissioning-objectives")

    assert "Projects 1 to 20 of 45 (page 1 of 3)" in page
    assert f'name="q-{PROJECTS}-projects[19].title"' in page
    assert f'name="q-{PROJECTS}-projects[20].title"' not in page
    assert "Project 21" not in page
    edit = reverse("answer_edit", args=[many_projects.pk, PROJECTS])
    assert f'href="{edit}?page=2#question-{PROJECTS}"' in page
    # 45 projects x 3 targets x £1,000: the plan's total counts every page.
    assert 'data-figure="plan-total">£135,000<' in page


def test_a_later_page_edits_its_own_projects_and_keeps_every_other_as_saved(client, many_projects):
    before = saved_projects(many_projects)
    post = form_post(client, many_projects, PROJECTS, page=3)
    prefix = f"q-{PROJECTS}"
    assert post[f"{prefix}-projects.start"] == ["40"]
    assert post[f"{prefix}-projects"] == ["5"]
    post[f"{prefix}-projects[42].targets[1].planned_saving"] = ["£2,500"]

    url = reverse("answer_edit", args=[many_projects.pk, PROJECTS])
    assert client.post(f"{url}?page=3", post).status_code == 302

    after = saved_projects(many_projects)
    assert len(after) == 45
    assert after[42]["targets"][1]["planned_saving"] == "2500"
    assert after[:42] == before[:42] and after[43:] == before[43:]
    assert 'data-figure="plan-total">£136,500<' in part_page(
        client, many_projects, "commissioning-objectives"
    )


def test_a_row_button_on_a_page_names_the_project_by_its_place_in_the_whole_list(
    client, many_projects
):
    post = form_post(client, many_projects, PROJECTS, page=2)
    url = reverse("answer_edit", args=[many_projects.pk, PROJECTS])

    response = client.post(f"{url}?page=2", {**post, "row-action": "remove-project-25"})

    assert response.status_code == 302
    titles = [project["title"] for project in saved_projects(many_projects)]
    assert len(titles) == 44 and "Project 26" not in titles and "Project 25" in titles


def test_adding_a_project_lands_on_the_last_page_where_the_new_project_is(client, many_projects):
    post = form_post(client, many_projects, PROJECTS)
    url = reverse("answer_edit", args=[many_projects.pk, PROJECTS])

    response = client.post(url, {**post, "row-action": "add-project"})

    assert response.headers["Location"] == (f"{url}?page=3#q-{PROJECTS}-projects[45].number")
    page = client.get(response.headers["Location"]).content.decode()
    assert f'id="q-{PROJECTS}-projects[45].number"' in page
    assert "Projects 41 to 46 of 46 (page 3 of 3)" in page


@pytest.mark.parametrize("asked", ["0", "-5", "999", "two", "9" * 5000])
def test_a_page_number_past_either_end_or_not_a_number_shows_a_real_page(
    client, many_projects, asked
):
    url = reverse("answer_edit", args=[many_projects.pk, PROJECTS])
    response = client.get(f"{url}?page={asked}")

    assert response.status_code == 200
    assert "(page 1 of 3)" in response.content.decode() or (
        "(page 3 of 3)" in response.content.decode()
    )


def test_a_tampered_page_start_never_loses_a_saved_project(client, many_projects):
    post = form_post(client, many_projects, PROJECTS, page=2)
    post[f"q-{PROJECTS}-projects.start"] = ["1000"]
    url = reverse("answer_edit", args=[many_projects.pk, PROJECTS])

    client.post(f"{url}?page=2", post)

    titles = [project["title"] for project in saved_projects(many_projects)]
    assert titles[:45] == [f"Project {p}" for p in range(1, 46)]


def test_a_row_button_on_the_first_page_lands_back_on_the_part_page_which_shows_it(
    client, many_projects
):
    post = form_post(client, many_projects, PROJECTS, on_part_page=True)
    url = reverse("answer_edit", args=[many_projects.pk, PROJECTS])

    response = client.post(f"{url}?page=1", {**post, "row-action": "add-target-1"})

    part = reverse("part_detail", args=[many_projects.pk, "commissioning-objectives"])
    assert response.headers["Location"] == f"{part}#q-{PROJECTS}-projects[1].targets[3].code"


SUB_PENNY = "Enter an amount in pounds and pence, like 1,500.25."
PROJECT = {"projects": "1", "projects[0].number": "1", "projects[0].title": "Falls",
           "projects[0].targets": "1", "projects[0].targets[0].code": "A",
           "projects[0].targets[0].title": "Fewer falls"}  # fmt: skip


@pytest.mark.parametrize(
    ("key", "fields", "field", "typed"),
    [
        ("projects", PROJECT, "projects[0].targets[0].planned_saving", "£100.005"),
        ("savings-target", {}, "total_identified_savings", "6,106,000.001"),
        ("freed-up-resources", {"scale": "1", "scale[0].returned_to_scheme": "500"},
         "scale[0].freed_up", "1000.005"),
        ("freed-up-resources", {"scale": "0"}, "investment_to_recover", "20000.999"),
    ],
)  # fmt: skip
def test_money_typed_with_a_fraction_of_a_penny_is_refused_on_its_field_and_kept_in_the_box(
    client, key, fields, field, typed
):
    plan = plan_with_every_kind()
    prefix = f"q-{key}"
    response = editor_posts_answer(client, plan, key, {**fields, field: typed})

    page = refused_on(response, f"{prefix}-{field}", SUB_PENNY)
    assert f'name="{prefix}-{field}" type="text" value="{typed}"' in page
    assert Answer.objects.get(plan=plan, question__key=key).version == 0


def test_a_rate_per_patient_typed_to_a_fraction_of_a_penny_is_saved_as_typed(client):
    plan = plan_with_every_kind()
    typed = {"population": "1000", "rate_per_patient": "1.905", "practices_share_percent": "50"}

    response = editor_posts_answer(client, plan, "des-funding", typed)

    assert response.status_code == 302
    saved = Answer.objects.get(plan=plan, question__key="des-funding")
    assert saved.data["rate_per_patient"] == "1.905"


# --- an in-page save answers with the figures worked out again (docs/decisions/0484) --------

JSON = {"HTTP_ACCEPT": "application/json"}
SELF_ASSESSMENT = "self-assessment"


@pytest.fixture
def assessment(daccom):
    return Plan.objects.get(consortium__slug="daccom", template__family__endswith="self-assessment")


def rated(client, plan, rating: str, **extra) -> dict:
    """The self-assessment's form as its own page posts it, target 1.1.3 rated ``rating``."""
    post = form_post(client, plan, SELF_ASSESSMENT)
    post[f"q-{SELF_ASSESSMENT}-ratings.1.1.3.rating"] = [rating]
    return {**post, **extra}


def level_counts(markup: str, level: int) -> list[int]:
    """A level's row of the summary: its targets, then how many at each rating, then unrated."""
    start = markup.index(f'data-level="{level}"')
    return [int(n) for n in re.findall(r">(\d+)<", markup[start : markup.index("</tr>", start)])]


def test_an_in_page_save_answers_with_the_self_assessment_summary_counted_again(client, assessment):
    url = reverse("answer_edit", args=[assessment.pk, SELF_ASSESSMENT])
    # Level 1: 14 targets, 1 rated OK (1.1.3), 8 Low, 5 Med, none High or Critical
    assert level_counts(part_page(client, assessment, SELF_ASSESSMENT), 1) == [14, 1, 8, 5, 0, 0, 0]

    response = client.post(
        url, rated(client, assessment, "Critical", **{"figures-of": [SELF_ASSESSMENT]}), **JSON
    )

    assert response.status_code == 200
    summary = response.json()["figures"][SELF_ASSESSMENT]["summary"]
    assert "Summary: targets at each level by rating" in summary
    assert level_counts(summary, 1) == [14, 0, 8, 5, 0, 1, 0]


def test_an_in_page_save_of_4_2_answers_with_its_totals_and_4_4s_share_worked_out_again(
    client, daccom
):
    post = form_post(client, daccom, PROJECTS, on_part_page=True)
    post[f"q-{PROJECTS}-projects[0].targets[0].planned_saving"] = ["1,153,000"]

    response = client.post(
        reverse("answer_edit", args=[daccom.pk, PROJECTS]),
        {**post, "figures-of": [PROJECTS, "financial-targets"]},
        **JSON,
    )

    figures = response.json()["figures"]
    assert "£3.68m (60%) of £6.106m" in figures[PROJECTS]["share"]
    assert figures[PROJECTS]["plan-total"] == "£3,676,000"
    assert "£2,287,000" in figures[PROJECTS]["projects[0].targets.total"]
    assert "£3.68m (60%) of £6.106m" in figures["financial-targets"]["share"]


def test_an_in_page_save_works_out_figures_only_for_the_plans_questions_the_page_asks_for(
    client, daccom, assessment
):
    url = reverse("answer_edit", args=[daccom.pk, PROJECTS])

    asked = client.post(
        url,
        {**form_post(client, daccom, PROJECTS), "figures-of": [SELF_ASSESSMENT, "no-such"]},
        **JSON,
    )
    not_asked = client.post(url, form_post(client, daccom, PROJECTS), **JSON)

    # The self-assessment is another plan's question: nothing of it is drawn here.
    assert asked.json()["figures"] == {}
    assert not_asked.json()["figures"] == {}


def test_a_save_without_javascript_shows_the_summary_counted_again_on_the_part_page(
    client, assessment
):
    url = reverse("answer_edit", args=[assessment.pk, SELF_ASSESSMENT])
    part_page(client, assessment, SELF_ASSESSMENT)  # its block is in the cache now

    response = client.post(url, rated(client, assessment, "Critical"))

    assert response.status_code == 302
    page = part_page(client, assessment, SELF_ASSESSMENT)
    assert level_counts(page, 1) == [14, 0, 8, 5, 0, 1, 0]


def test_save_on_a_questions_own_page_without_javascript_goes_back_to_that_page(client, assessment):
    url = reverse("answer_edit", args=[assessment.pk, SELF_ASSESSMENT])
    post = rated(client, assessment, "Critical")
    assert post["return-to"] == ["question"]

    response = client.post(url, post)

    assert response.status_code == 302
    assert response.headers["Location"] == url


def test_save_on_a_later_page_of_projects_goes_back_to_that_page(client, many_projects):
    url = reverse("answer_edit", args=[many_projects.pk, PROJECTS])

    response = client.post(f"{url}?page=2", form_post(client, many_projects, PROJECTS, page=2))

    assert response.headers["Location"] == f"{url}?page=2"


def test_save_on_the_part_page_goes_back_to_the_part_page_whatever_return_to_says(
    client, assessment
):
    post = {**form_post(client, assessment, SELF_ASSESSMENT, on_part_page=True)}
    assert "return-to" not in post

    response = client.post(
        reverse("answer_edit", args=[assessment.pk, SELF_ASSESSMENT]),
        {**post, "return-to": "https://elsewhere.example/"},
    )

    part = reverse("part_detail", args=[assessment.pk, SELF_ASSESSMENT])
    assert response.headers["Location"] == f"{part}#question-{SELF_ASSESSMENT}"


@pytest.mark.parametrize(
    ("key", "fields", "field", "typed", "kept"),
    [
        ("projects", PROJECT, "projects[0].targets[0].planned_saving", "£ 1,234,567.89",
         "1234567.89"),
        ("savings-target", {}, "total_identified_savings", "£\u00a06,106,000.50", "6106000.5"),
        ("des-funding", {"population": "1000", "practices_share_percent": "50"},
         "rate_per_patient", "£ 1.905", "1.905"),
    ],
)  # fmt: skip
def test_money_typed_with_a_pound_sign_and_a_space_after_it_is_saved_as_without_them(
    client, key, fields, field, typed, kept
):
    plan = plan_with_every_kind()
    response = editor_posts_answer(client, plan, key, {**fields, field: typed})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored_at(Answer.objects.get(plan=plan, question__key=key).data, field) == kept


def stored_at(data: dict, field: str):
    """The value ``field`` ("projects[0].targets[0].planned_saving") names in an answer's data."""
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", field):
        data = data[int(part[1:-1])] if part.startswith("[") else data[part]
    return data


LINES = "Referral management:\nguidelines agreed\nfollow-ups reviewed"
ON_ITS_LINES = "Referral management:<br>guidelines agreed<br>follow-ups reviewed"


def test_long_text_written_over_lines_is_printed_on_its_lines_where_it_is_read():
    """A milestone's deliverable, a success criterion and an outcome and its evidence, as the
    PDF and the pages that do not edit them print them (docs/decisions/0509)."""
    plan = plan_with_every_kind()
    data = {
        "milestones": {"milestones": [{"key": "m1", "due": None, "item": LINES, "owner": "Dr A",
                                       "status": "not_started"}]},
        "success-criteria": {"criteria": [{"letter": "a", "text": LINES, "milestones": []}]},
        "outcome-framework": {"rate_per_patient": "0.95", "areas": [
            {"number": "1", "area": "Communication", "weighting_percent": "100", "outcomes": [
                {"number": "1.1", "outcome": LINES, "monitoring": LINES,
                 "weighting_percent": "100"}]}]},
    }  # fmt: skip
    for key, value in data.items():
        Answer.objects.filter(plan=plan, question__key=key).update(data=value)

    html = pdf.plan_html(
        plan=plan,
        signatures=[],
        content_sha256="0" * 64,
        draft=pdf.DraftMark(generated_at=timezone.now(), revision=1),
    )

    assert html.count(ON_ITS_LINES) == 4, html.count("Referral management:")
