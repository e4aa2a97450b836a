"""The planning round pages: opening a round, the PCT's round dashboard, a consortium starting
its plan in the round and checking what was carried forward."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from consortia.models import User
from plans import diffs, participation_demo, round_selectors, rounds, services
from plans.models import Answer, Plan, PlanningRound
from signoff import services as review_services
from signoff.errors import Refused
from tests.factories import ConsortiumFactory, UserFactory
from tests.plan_factories import (
    daccom_2007_08_from_2006_07,
    daccom_round,
    demo_daccom_plan,
    pct_lead,
    plan_with_every_kind,
    plan_with_questions,
)
from tests.review_factories import put_in_state

pytestmark = pytest.mark.django_db


def open_round(*, consortia: int = 3, days_left: int = 10, period: str = "2007/08"):
    """A round of a PCT with a form of its own (not DacCom), ``consortia`` taking part, the
    first with last year's plan."""
    last_year = plan_with_questions()
    commissioner = last_year.consortium.commissioner
    others = ConsortiumFactory.create_batch(consortia - 1, commissioner=commissioner)
    lead = pct_lead(commissioner)
    deadline = timezone.localdate() + timedelta(days=days_left)
    planning_round = rounds.round_open(
        commissioner=commissioner,
        period=period,
        template=last_year.template,
        deadline=deadline,
        consortia=[last_year.consortium, *others],
        user=lead,
        today=deadline - timedelta(days=30),  # opened a month before its deadline
    )
    return planning_round, lead, last_year


def in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


def post_round(client, last_year: Plan, **fields):
    """The PCT lead's "Open a planning round" form, sent with ``fields`` over good answers."""
    client.force_login(pct_lead(last_year.consortium.commissioner))
    answers = {
        "period": "2007/08",
        "template": last_year.template.pk,
        "deadline": str(in_days(90)),
        "interim_dates": f"{in_days(30)} First draft",
        "consortia": [last_year.consortium.pk],
    }
    return client.post(reverse("round_open"), answers | fields)


PROGRESS_CELL = re.compile(r'aria-hidden="true">Progress </span>(?:<span>)?([^<]*)<')


def progress_of(content: str) -> list[str]:
    """What each row of a page's tables says under "Progress"."""
    return PROGRESS_CELL.findall(content)


def page(client, user, name, **kwargs) -> str:
    client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    return response.content.decode()


class TestOpeningARoundPage:
    def test_the_pct_lead_opens_a_round_for_the_consortia_chosen(self, client):
        response = post_round(client, plan_with_questions())
        planning_round = PlanningRound.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("round_detail", kwargs={"round_id": planning_round.pk})
        assert planning_round.interim_dates == [{"label": "First draft", "date": str(in_days(30))}]

    def test_mistakes_are_shown_beside_their_field_and_nothing_is_opened(self, client):
        response = post_round(
            client, plan_with_questions(), deadline="soon", interim_dates="February First draft"
        )
        content = response.content.decode()
        assert response.status_code == 400
        assert "Enter the deadline as a date" in content
        assert "Line 1 does not start with a date" in content
        assert not PlanningRound.objects.exists()

    def test_a_deadline_in_the_past_is_refused_beside_the_deadline(self, client):
        response = post_round(client, plan_with_questions(), deadline=str(in_days(-1)))
        content = response.content.decode()
        assert response.status_code == 400
        assert "The submission deadline must be after today" in content
        summary = content.split("nhsuk-error-summary__list")[1].split("</ul>")[0]
        assert 'href="#id_deadline"' in summary
        assert not PlanningRound.objects.exists()

    def test_an_interim_date_in_the_past_is_refused_beside_the_interim_dates(self, client):
        response = post_round(
            client, plan_with_questions(), interim_dates=f"{in_days(-10)} First draft"
        )
        content = response.content.decode()
        assert "an interim date must be after today" in content
        summary = content.split("nhsuk-error-summary__list")[1].split("</ul>")[0]
        assert 'href="#id_interim_dates"' in summary
        assert not PlanningRound.objects.exists()

    def test_every_bad_interim_line_is_shown_at_once_with_its_line(self, client):
        lines = f"February First draft\n{in_days(10)} Fine\n2020-01-01 Old draft"
        response = post_round(
            client, plan_with_questions(), interim_dates=lines, deadline=str(in_days(-1))
        )
        content = response.content.decode()
        assert "The submission deadline must be after today" in content
        assert "Line 1 does not start with a date" in content
        assert "Line 3: “Old draft” is due on 1 January 2020" in content
        assert "Line 2" not in content
        assert not PlanningRound.objects.exists()

    def test_each_error_links_to_an_input_on_the_page_checkboxes_by_their_first(self, client):
        response = post_round(client, plan_with_questions(), deadline="soon", consortia=[])
        content = response.content.decode()

        summary = content.split("nhsuk-error-summary__list")[1].split("</ul>")[0]
        targets = re.findall(r'href="#([^"]+)"', summary)
        assert "id_consortia_0" in targets
        assert all(f'id="{target}"' in content for target in targets)

    def test_a_long_interim_label_is_refused_not_cut(self, client):
        response = post_round(
            client, plan_with_questions(), interim_dates="2007-02-01 " + "x" * 201
        )
        assert "at most 200 characters" in response.content.decode()
        assert not PlanningRound.objects.exists()

    def test_a_consortium_editor_is_refused(self, client):
        client.force_login(UserFactory())
        assert client.get(reverse("round_open")).status_code == 403


class TestRoundDashboard:
    def test_every_consortium_with_its_plan_progress_and_days_to_the_deadline(self, client):
        planning_round, lead, last_year = open_round(days_left=-3)
        editor = UserFactory(consortium=last_year.consortium)
        rounds.round_plan_start(
            planning_round=planning_round, consortium=last_year.consortium, user=editor
        )
        content = page(client, lead, "round_detail", round_id=planning_round.pk)
        assert "Consortia in the round (3)" in content
        assert content.count("3 days overdue") == 3
        assert "nhsuk-tag--red" in content
        assert content.count("Not started") == 2
        assert "0 of 9 required questions completed." in progress_of(content)
        assert progress_of(content).count("Nothing written yet") == 2

    def test_an_answer_only_autosaved_is_not_answered_until_saved(self, client):
        planning_round, lead, last_year = open_round(consortia=1)
        editor = UserFactory(consortium=last_year.consortium)
        plan, _ = rounds.round_plan_start(
            planning_round=planning_round, consortium=last_year.consortium, user=editor
        )
        answer = plan.answers.get(question__key="question-1")
        typed = services.answer_save(
            answer=answer, user=editor, text="<p>Typed.</p>", base_version=0, autosave=True
        )
        before = page(client, lead, "round_detail", round_id=planning_round.pk)
        services.answer_save(
            answer=typed, user=editor, text="<p>Typed.</p>", base_version=typed.version
        )
        after = page(client, lead, "round_detail", round_id=planning_round.pk)

        assert progress_of(before) == ["0 of 9 required questions completed, 1 started."]
        assert progress_of(after) == ["1 of 9 required questions completed."]

    def test_interim_dates_are_written_as_the_deadline_is(self, client):
        plan = plan_with_questions()
        post_round(client, plan, interim_dates=f"{in_days(30)} First draft")
        planning_round = PlanningRound.objects.get()
        content = page(
            client,
            pct_lead(plan.consortium.commissioner),
            "round_detail",
            round_id=planning_round.pk,
        )
        assert date_format(in_days(30), "j F Y") in content
        assert str(in_days(30)) not in content

    def test_the_pct_home_page_links_to_its_rounds(self, client):
        planning_round, lead, _ = open_round(days_left=20)
        content = page(client, lead, "home")
        assert reverse("round_detail", kwargs={"round_id": planning_round.pk}) in content
        assert "(due in 20 days)" in content

    def test_a_plan_with_the_pct_is_not_late(self, client):
        planning_round, lead, last_year = open_round(consortia=1, days_left=-1)
        plan, _ = rounds.round_plan_start(
            planning_round=planning_round,
            consortium=last_year.consortium,
            user=UserFactory(consortium=last_year.consortium),
        )
        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.SUBMITTED)
        content = page(client, lead, "round_detail", round_id=planning_round.pk)
        assert "With the PCT" in content and "overdue" not in content

    def test_another_pct_cannot_see_the_round(self, client):
        planning_round, _, _ = open_round(consortia=1)
        stranger = UserFactory(role=User.Role.PCT_LEAD, consortium=None)
        client.force_login(stranger)
        url = reverse("round_detail", kwargs={"round_id": planning_round.pk})
        assert client.get(url).status_code == 404

    def test_the_query_count_is_the_same_for_3_and_for_60_consortia(self, client):
        def queries(consortia: int, period: str) -> int:
            planning_round, lead, _ = open_round(consortia=consortia, period=period)
            for consortium in planning_round.consortia.all()[:2]:
                rounds.round_plan_start(
                    planning_round=planning_round,
                    consortium=consortium,
                    user=UserFactory(consortium=consortium),
                )
            url = reverse("round_detail", kwargs={"round_id": planning_round.pk})
            page(client, lead, "round_detail", round_id=planning_round.pk)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        assert queries(3, "2007/08") == queries(60, "2008/09")


class TestTheConsortiumsSide:
    @pytest.mark.parametrize(
        ("name", "days_left", "due"),
        [
            pytest.param(
                "home",
                1,
                ': <strong class="nhsuk-tag nhsuk-tag--orange">due tomorrow</strong>.',
                id="the_home_pages_sentence_ends_right_after_the_due_date_tag",
            ),
            pytest.param(
                "home",
                20,
                ": due in 20 days.",
                id="the_home_pages_sentence_ends_right_after_the_due_date",
            ),
            pytest.param(
                "round_start",
                1,
                '<strong class="nhsuk-tag nhsuk-tag--orange">Due tomorrow</strong>.</p>',
                id="the_start_pages_due_sentence_ends_with_a_full_stop_after_the_tag",
            ),
            pytest.param(
                "round_start",
                124,
                "Due in 124 days.</p>",
                id="the_start_pages_due_sentence_ends_with_a_full_stop",
            ),
        ],
    )
    def test_the_due_sentence_ends_right_after_the_due_date(self, client, name, days_left, due):
        planning_round, _, last_year = open_round(days_left=days_left)
        of_the_round = {"round_id": planning_round.pk} if name == "round_start" else {}
        editor = UserFactory(consortium=last_year.consortium)
        assert due in page(client, editor, name, **of_the_round)

    def test_a_plan_of_the_year_made_before_the_round_is_the_consortiums_plan_in_it(self, client):
        planning_round, lead, last_year = open_round(period="2006/07")
        plan_url = reverse("plan_detail", kwargs={"plan_id": last_year.pk})
        start = reverse("round_start", kwargs={"round_id": planning_round.pk})

        table = page(client, lead, "round_detail", round_id=planning_round.pk)
        assert f'<a href="{plan_url}"' in table and table.count("Not started") == 2

        editor = UserFactory(consortium=last_year.consortium)
        home = page(client, editor, "home")
        assert f'<a href="{plan_url}">Your 2006/07 plan</a>' in home and start not in home
        assert client.get(start).url == plan_url
        assert client.post(start, {"source": ""}).url == plan_url
        assert Plan.objects.filter(consortium=last_year.consortium).count() == 1

    def test_the_new_plan_page_sends_a_rounds_year_to_the_round(self, client):
        planning_round, _, last_year = open_round()
        client.force_login(UserFactory(consortium=last_year.consortium))
        response = client.post(
            reverse("plan_create"),
            {"template": last_year.template.pk, "period": "2007/08", "title": "Second"},
        )
        assert response.status_code == 200
        assert "2007/08 has a planning round" in response.content.decode()
        assert not planning_round.plans.exists()
        assert not Plan.objects.filter(period="2007/08").exists()

    def test_home_shows_the_round_with_its_deadline_and_a_way_to_start(self, client):
        planning_round, _, last_year = open_round(days_left=5)
        content = page(client, UserFactory(consortium=last_year.consortium), "home")
        assert "wants the 2007/08 plan by" in content
        assert ': <strong class="nhsuk-tag nhsuk-tag--orange">due in 5 days<' in content
        assert reverse("round_start", kwargs={"round_id": planning_round.pk}) in content

    def test_starting_from_last_year_lists_what_to_check(self, client):
        planning_round, _, last_year = open_round()
        editor = UserFactory(consortium=last_year.consortium)
        last_year.answers.filter(question__key="question-1").update(text="<p>Kept.</p>")
        client.force_login(editor)
        start = reverse("round_start", kwargs={"round_id": planning_round.pk})
        assert "Start your 2007/08 plan" in client.get(start).content.decode()

        response = client.post(start, {"source": last_year.pk})

        plan = Plan.objects.get(planning_round=planning_round)
        assert response.url == reverse("plan_carried", kwargs={"plan_id": plan.pk})
        content = page(client, editor, "plan_carried", plan_id=plan.pk)
        assert "Answers to check (1)" in content
        confirm = reverse(
            "answer_confirm_carried", kwargs={"plan_id": plan.pk, "question_key": "question-1"}
        )
        assert client.post(confirm).status_code == 302
        assert "Answers to check (0)" in page(client, editor, "plan_carried", plan_id=plan.pk)
        # Started once: the start page now leads to the plan.
        assert client.get(start).url == reverse("plan_detail", kwargs={"plan_id": plan.pk})

    def test_each_confirm_button_names_its_question_for_screen_readers(self, client):
        # DacCom's form has questions without numbers and two numbered 2.3.
        plan, _, editor = daccom_2007_08_from_2006_07()

        content = page(client, editor, "plan_carried", plan_id=plan.pk)

        names = [
            " ".join(re.sub(r"<[^>]+>", "", button).split())
            for button in re.findall(r"<button[^>]*>(.*?)</button>", content)
            if "Confirm" in button
        ]
        theirs = plan.answers.filter(carried_forward=True).exclude(question__completed_by="pct")
        assert len(names) == theirs.count() > 1
        assert len(set(names)) == len(names)
        assert all(name.endswith("still holds") for name in names)

    def test_a_confirm_buttons_long_question_title_is_named_whole(self, client):
        plan, _, editor = daccom_2007_08_from_2006_07()
        question = plan.answers.filter(carried_forward=True).first().question
        title = "Local priorities " + "and the services that will meet them " * 3 + "in full"
        type(question).objects.filter(pk=question.pk).update(title=title)

        content = page(client, editor, "plan_carried", plan_id=plan.pk)

        assert len(title) > 80 and f"{title} still holds" in content

    def test_the_task_list_counts_the_answers_to_check_and_marks_each(self, client):
        planning_round, _, last_year = open_round()
        editor = UserFactory(consortium=last_year.consortium)
        last_year.answers.filter(question__key__in=["question-1", "question-2"]).update(
            text="<p>Kept.</p>"
        )
        plan, _ = rounds.round_plan_start(
            planning_round=planning_round,
            consortium=last_year.consortium,
            user=editor,
            carry_from=last_year,
        )
        content = page(client, editor, "plan_detail", plan_id=plan.pk)
        assert "2 answers carried forward from last year to check" in content
        assert content.count("carried forward: check it") == 2
        # Not done until checked: in progress on the task list, started on the round's.
        assert "0 of 9 required questions completed, 2 started." in content
        assert content.count('<strong class="nhsuk-tag nhsuk-tag--blue">In progress</strong>') == 2
        lead = pct_lead(last_year.consortium.commissioner)
        table = page(client, lead, "round_detail", round_id=planning_round.pk)
        assert "0 of 9 required questions completed, 2 started." in progress_of(table)
        part = page(client, editor, "part_detail", plan_id=plan.pk, part_key="two")
        assert "Carried forward: check it" in part

    def test_a_plan_carried_forward_reads_the_same_on_its_page_the_round_and_both_homes(
        self, client
    ):
        plan, _, editor = daccom_2007_08_from_2006_07()
        lead = pct_lead(plan.consortium.commissioner)
        carried = plan.answers.filter(carried_forward=True).count()
        assert carried > 0
        said = f"0 of 37 required questions completed, {carried} started."

        plan_page = page(client, editor, "plan_detail", plan_id=plan.pk)
        assert re.search(r'id="progress">([^<]*)<', plan_page).group(1) == said
        round_page = page(client, lead, "round_detail", round_id=plan.planning_round_id)
        assert progress_of(round_page) == [said]
        assert said in progress_of(page(client, editor, "home"))
        assert said in progress_of(page(client, lead, "home"))

    def test_the_plan_chosen_first_is_last_years_approved_one_on_the_rounds_form(self, client):
        planning_round, _, last_year = open_round()
        put_in_state(last_year, Plan.Status.SIGNED)
        # Both made after last year's plan, so the newest would come first.
        other_form = plan_with_every_kind(consortium=last_year.consortium)
        same_form_draft = services.plan_create(
            consortium=last_year.consortium,
            template=last_year.template,
            period=last_year.period,
            title="A second go",
            user=None,
        )
        client.force_login(UserFactory(consortium=last_year.consortium))

        content = client.get(reverse("round_start", kwargs={"round_id": planning_round.pk}))

        chosen = re.findall(r'value="(\d*)" checked', content.content.decode())
        assert chosen == [str(last_year.pk)]
        listed = re.findall(r'name="source" type="radio" value="(\d+)"', content.content.decode())
        assert listed == [str(last_year.pk), str(same_form_draft.pk), str(other_form.pk)]

    def test_answers_carried_forward_and_unchecked_hold_back_submission_until_checked(self, client):
        planning_round, _, last_year = open_round()
        last_year.answers.filter(question__kind="rich_text").update(text="<p>Kept.</p>")
        last_year.answers.filter(question__key="practices").update(
            rows=[{"name": "Dale Surgery", "code": "A1"}]
        )
        editor = UserFactory(consortium=last_year.consortium, role=User.Role.CONSORTIUM_EDITOR)
        plan, _ = rounds.round_plan_start(
            planning_round=planning_round,
            consortium=last_year.consortium,
            user=editor,
            carry_from=last_year,
        )
        # The PCT's own carried answers are the PCT's to check, before it approves.
        carried = list(
            plan.answers.filter(carried_forward=True).exclude(question__completed_by="pct")
        )
        assert len(carried) == 9

        ready = page(client, editor, "plan_ready", plan_id=plan.pk)
        submit = page(client, editor, "plan_action", plan_id=plan.pk, action="submit")
        with pytest.raises(Refused, match=f"{len(carried)} answers carried forward from last"):
            review_services.plan_submit(plan=plan, user=editor)

        assert f"Not yet: {len(carried)} answers carried forward" in ready
        assert "Ready" not in ready
        assert f"{len(carried)} answers carried forward from last year are not yet" in submit
        assert reverse("plan_carried", kwargs={"plan_id": plan.pk}) in submit
        for answer in carried:
            rounds.answer_confirm_carried(answer=answer, user=editor)
        assert "Ready" in page(client, editor, "plan_ready", plan_id=plan.pk)
        review_services.plan_submit(plan=plan, user=editor)
        assert Plan.objects.get(pk=plan.pk).status == Plan.Status.SUBMITTED

    def test_a_source_that_is_not_listed_is_refused_with_a_message(self, client):
        planning_round, _, last_year = open_round()
        client.force_login(UserFactory(consortium=last_year.consortium))
        start = reverse("round_start", kwargs={"round_id": planning_round.pk})
        response = client.post(start, {"source": "999999"})
        assert response.status_code == 200
        assert "Choose one of the plans listed" in response.content.decode()
        assert not Plan.objects.filter(planning_round=planning_round).exists()


class TestCompareYears:
    def test_daccoms_2007_08_plan_beside_2006_07_shows_4_2_of_both_years(self, client):
        plan, _, editor = daccom_2007_08_from_2006_07()
        answer = plan.answers.get(question__key="services-to-be-commissioned")
        services.answer_save(
            answer=answer,
            user=editor,
            base_version=answer.version,
            text="<p>Targets for 2007/08: cut outpatient follow-ups by a tenth.</p>",
        )

        content = page(client, editor, "plan_compare_years", plan_id=plan.pk)

        assert "2007/08 compared with 2006/07" in content
        section = content.split('id="change-services-to-be-commissioned"')[1].split("</section>")[0]
        assert "4.2 Services to be commissioned" in content
        assert "cut outpatient follow-ups by a tenth" in section  # this year's, added
        assert "app-diff__removed" in section  # last year's words, shown as removed
        # The moved questions are the same answer under their new number.
        assert "7.9 " in content.split("The same as 2006/07")[1]
        # Last year's answers the form dropped come last, named by their key.
        assert "No longer on the form: business-cases" in content

    def test_the_figures_of_both_years_side_by_side(self, client):
        planning_round, daccom = daccom_round()
        source = demo_daccom_plan()
        editor = UserFactory(consortium=daccom)
        plan, _ = rounds.round_plan_start(
            planning_round=planning_round, consortium=daccom, user=editor, carry_from=source
        )
        Answer.objects.filter(plan=plan, question__kind="hours").update(data={})

        figures = round_selectors.figures_by_year(plan, source)
        content = page(client, editor, "plan_compare_years", plan_id=plan.pk)

        assert "The figures: 2006/07 against 2007/08" in content
        questions = {row.question.split()[0] for row in figures}
        assert {"4.2", "4.4", "5.4", "6.1"} <= questions  # targets, savings, funding, hours
        hours = [row for row in figures if row.question.startswith("6.1")]
        assert hours and all(row.last_year and not row.this_year for row in hours)
        same = [row for row in figures if not row.question.startswith("6.1")]
        # Only the milestones' plan year moves with the year; every other figure is kept.
        changed = [(row.label, row.this_year) for row in same if row.changed]
        assert same and changed == [
            ("Plan year starts", "1 April 2007"),
            ("Plan year ends", "31 March 2008"),
        ]


def figures_shown(content: str) -> list[list[str]]:
    """The compare-years page's figures table: each row's cells, as text."""
    table = content.split("The figures:")[1].split("</table>")[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]
    return [
        [
            " ".join(
                re.sub(
                    r'<span class="nhsuk-table-responsive__heading"[^>]*>.*?</span>|<[^>]+>',
                    " ",
                    cell,
                ).split()
            )
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in rows
    ]


def figure(rows: list[list[str]], *label: str) -> list[str]:
    """(last year, this year) of the figure named by ``label``'s parts."""
    return next(row[2:] for row in rows if row[1] == diffs.SEPARATOR.join(label))


class TestCompareYearsFigures:
    def test_daccoms_figures_are_money_per_cent_dates_and_words_not_raw_values(self, client):
        planning_round, daccom = daccom_round()
        source = demo_daccom_plan()
        participation_demo.load_demo_participation()
        editor = UserFactory(consortium=daccom)
        plan, _ = rounds.round_plan_start(
            planning_round=planning_round, consortium=daccom, user=editor, carry_from=source
        )
        Answer.objects.filter(plan=plan, question__kind="hours").update(data={})

        content = page(client, editor, "plan_compare_years", plan_id=plan.pk)
        rows = figures_shown(content)

        assert figure(rows, "Project 1", "Target 1.1", "Planned saving") == ["£153,000"] * 2
        assert figure(rows, "Total identified savings") == ["£6,106,000"] * 2
        assert figure(rows, "Share of the identified savings") == ["44%"] * 2
        assert figure(rows, "Payment per patient") == ["£1.90"] * 2
        assert figure(rows, "Declared population") == ["150,000"] * 2
        assert (
            figure(rows, "Held by the PCT for invoices the consortium approves") == ["£71,250"] * 2
        )
        # The payment for everyone and the one for the practices that confirmed last year.
        assert (
            figure(rows, "Paid direct to the practices, if every practice took part")
            == ["£213,750"] * 2
        )
        assert figure(
            rows, "Paid direct to the practices, for the practices that have confirmed"
        ) == ["£141,075", "Not given"]
        assert figure(rows, "Confirmed practice E82004", "Paid to the practice")[0] == "£7,267.50"
        assert figure(rows, "Confirmed practice E82004", "Confirmed on")[0] == "1 March 2006"
        assert figure(rows, "Milestone m1", "Status") == ["Not started"] * 2
        assert figure(rows, "Funded hours") == ["1,000", "Not given"]
        text = " ".join(" ".join(row) for row in rows)
        assert "None" not in text and "pct" not in text and "not_started" not in text
        assert not re.search(r"\d\.\d{3}", text)  # no unrounded figure
        assert 'class="nhsuk-table nhsuk-table--responsive"' in content

    def test_bath_and_north_east_somersets_weightings_and_rate_from_one_year_to_the_next(
        self, client
    ):
        demo_daccom_plan()
        banes = Plan.objects.get(consortium__slug="banes")
        commissioner = banes.consortium.commissioner
        planning_round = rounds.round_open(
            commissioner=commissioner,
            period="2008/09",
            template=banes.template,
            deadline=date(2008, 3, 31),
            consortia=[banes.consortium],
            user=pct_lead(commissioner),
            today=date(2008, 1, 2),
        )
        editor = UserFactory(consortium=banes.consortium)
        plan, _ = rounds.round_plan_start(
            planning_round=planning_round,
            consortium=banes.consortium,
            user=editor,
            carry_from=banes,
        )

        rows = figures_shown(page(client, editor, "plan_compare_years", plan_id=plan.pk))

        assert figure(rows, "Area 4", "Weighting") == ["20%"] * 2
        assert figure(rows, "Area 1", "Outcome 1.1", "Weighting") == ["1%"] * 2
        assert figure(rows, "Total weighting") == ["100%"] * 2
        assert figure(rows, "Payment per patient") == ["£0.95"] * 2


def confirm_buttons(content: str) -> list[str]:
    """Each Confirm button's words, its hidden question title included."""
    return [
        " ".join(re.sub(r"<[^>]+>", "", button).split())
        for button in re.findall(r"<button[^>]*>(.*?)</button>", content)
        if "Confirm" in button
    ]


class TestConfirmingOnlyWhatThisPersonMayConfirm:
    def test_the_editor_confirms_the_consortiums_answers_and_is_told_who_confirms_the_pcts(
        self, client
    ):
        plan, _, editor = daccom_2007_08_from_2006_07()
        carried = plan.answers.filter(carried_forward=True)
        theirs = carried.exclude(question__completed_by="pct").count()
        pcts = carried.filter(question__completed_by="pct").count()
        assert theirs and pcts

        content = page(client, editor, "plan_carried", plan_id=plan.pk)

        assert len(confirm_buttons(content)) == theirs
        assert f"Answers to check ({theirs})" in content
        assert content.count("The PCT confirms this when the plan is in review.") == pcts

    def test_the_pct_lead_has_nothing_to_confirm_in_a_draft(self, client):
        plan, _, _ = daccom_2007_08_from_2006_07()
        lead = pct_lead(plan.consortium.commissioner)

        content = page(client, lead, "plan_carried", plan_id=plan.pk)

        assert confirm_buttons(content) == []
        assert "Answers to check (0)" in content
        assert f"{plan.consortium.name} confirms this when the plan is a draft" in content

    def test_a_refusal_from_a_stale_page_is_said_on_the_page_not_a_bare_403(self, client):
        plan, _, editor = daccom_2007_08_from_2006_07()
        answer = plan.answers.filter(carried_forward=True, question__completed_by="pct").first()
        client.force_login(editor)

        response = client.post(
            reverse("answer_confirm_carried", args=[plan.pk, answer.question.key]), follow=True
        )

        assert response.status_code == 200
        assert "This question is completed by the PCT." in response.content.decode()
        answer.refresh_from_db()
        assert answer.carried_forward


class TestTheConsortiumSeesThePCTsMilestones:
    def milestones(self, planning_round):
        passed, first, second = in_days(-3), in_days(20), in_days(50)
        planning_round.interim_dates = [
            {"date": str(passed), "label": "Outline"},
            {"date": str(first), "label": "First draft"},
            {"date": str(second), "label": "Second draft"},
        ]
        planning_round.save(update_fields=["interim_dates"])
        return first, second

    def test_the_home_page_names_the_next_milestone_with_its_date(self, client):
        planning_round, _, last_year = open_round()
        first, _ = self.milestones(planning_round)
        editor = UserFactory(consortium=last_year.consortium)

        content = page(client, editor, "home")

        assert f"Next: First draft by {date_format(first, 'j F Y')}" in content
        assert "Outline" not in content

    def test_the_round_start_page_lists_every_milestone(self, client):
        planning_round, _, last_year = open_round()
        first, second = self.milestones(planning_round)
        editor = UserFactory(consortium=last_year.consortium)

        content = page(client, editor, "round_start", round_id=planning_round.pk)

        assert f"First draft by {date_format(first, 'j F Y')}" in content
        assert f"Second draft by {date_format(second, 'j F Y')}" in content

    def test_the_plan_page_names_the_next_milestone(self, client):
        planning_round, _, last_year = open_round()
        first, _ = self.milestones(planning_round)
        editor = UserFactory(consortium=last_year.consortium)
        plan, _ = rounds.round_plan_start(
            planning_round=planning_round, consortium=last_year.consortium, user=editor
        )

        content = page(client, editor, "plan_detail", plan_id=plan.pk)

        assert f"Next: First draft by {date_format(first, 'j F Y')}" in content


class TestStartingInTwoWindows:
    def test_the_second_window_is_told_the_plan_was_already_started_from_last_year(self, client):
        planning_round, _, last_year = open_round()
        editor = UserFactory(consortium=last_year.consortium)
        plan, _ = rounds.round_plan_start(  # the first window, from last year's plan
            planning_round=planning_round,
            consortium=last_year.consortium,
            user=editor,
            carry_from=last_year,
        )
        client.force_login(editor)

        response = client.post(  # the second window chose "An empty plan"
            reverse("round_start", args=[planning_round.pk]), {"source": ""}, follow=True
        )

        assert response.redirect_chain[-1][0] == reverse("plan_detail", args=[plan.pk])
        assert (
            f"Your {plan.period} plan was already started (from {last_year.period}) "
            "in another window." in response.content.decode()
        )


class TestARoundDueBeforeAnEarlierYearsRound:
    def test_opening_it_warns_of_the_earlier_rounds_later_deadline(self, client):
        _, _, last_year = open_round(period="2006/07", days_left=90)

        opened = post_round(client, last_year, deadline=str(in_days(60)))

        said = " ".join(client.get(opened.url).content.decode().split())
        assert (
            f"The 2007/08 plans are due on {date_format(in_days(60), 'j F Y')}, before the "
            f"2006/07 plans ({date_format(in_days(90), 'j F Y')})." in said
        )
