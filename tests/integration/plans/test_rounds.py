"""The planning year on PostgreSQL: a PCT's round and next year's plan from this year's."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from consortia.models import Consortium, User
from plans import rounds, services
from plans.errors import AnswerInvalid, AnswersInvalid
from plans.models import Plan, PlanningRound
from tests.factories import CommissionerFactory, ConsortiumFactory, UserFactory
from tests.plan_factories import (
    MOVED,
    daccom_2007_08_from_2006_07,
    daccom_round,
    demo_daccom_plan,
    pct_lead,
    plan_with_questions,
    reminder_days,
)
from tests.review_factories import put_in_state

pytestmark = pytest.mark.django_db
NOT_TWO_YEARS = "two years one after the other"
NOT_AFTER_TODAY = "deadline must be after today"  # daccom_round opens on 2 January 2007


class TestStartingNextYearsPlanFromThisYears:
    def test_answers_follow_their_key_to_the_new_number_and_are_marked_to_check(self):
        plan, report, _ = daccom_2007_08_from_2006_07()
        source, planning_round = plan.carried_from, plan.planning_round

        answers = {a.question.key: a for a in plan.answers.select_related("question")}
        for key, (_, new_number) in MOVED.items():
            assert answers[key].question.number == new_number
            assert answers[key].text == f"<p>Last year's {key}.</p>"
            assert answers[key].carried_forward
        assert (
            answers["services-to-be-commissioned"].text
            == source.answers.get(question__key="services-to-be-commissioned").text
        )
        assert answers["services-to-be-commissioned"].carried_forward
        # The practices table comes over as last year's rows.
        assert answers["practices"].rows == source.answers.get(question__key="practices").rows
        # New in the later form: empty, not carried.
        assert answers["accountability-and-governance"].is_empty
        assert not answers["accountability-and-governance"].carried_forward
        assert "accountability-and-governance" in [q.key for q in report.new_questions]
        # Dropped by the later form: listed with why, and kept in last year's plan.
        dropped = {answer.question.key: reason for answer, reason in report.not_carried}
        assert dropped == {"business-cases": "This year's form no longer asks it."}
        assert plan.planning_round == planning_round and plan.carried_from == source
        assert plan.period == "2007/08"

    def test_an_edit_or_a_confirmation_clears_the_mark(self):
        plan, _, editor = daccom_2007_08_from_2006_07()
        risks = plan.answers.get(question__key="risks")
        workforce = plan.answers.get(question__key="workforce-skills")

        services.answer_save(
            answer=risks, user=editor, base_version=risks.version, text="<p>Revised.</p>"
        )
        rounds.answer_confirm_carried(answer=workforce, user=editor)

        to_check = plan.answers.filter(carried_forward=True).values_list("question__key", flat=True)
        assert "risks" not in to_check and "workforce-skills" not in to_check
        assert "management-structure" in to_check

    def test_a_plan_of_the_same_form_carries_every_answer_written(self):
        planning_round, daccom = daccom_round()
        source = demo_daccom_plan()
        _, report = rounds.round_plan_start(
            planning_round=planning_round,
            consortium=daccom,
            user=UserFactory(consortium=daccom),
            carry_from=source,
        )
        written = [a for a in source.answers.select_related("question") if not a.is_empty]
        assert len(report.carried) == len(written)
        assert report.not_carried == [] and report.new_questions == []

    def test_starting_twice_is_refused(self):
        planning_round, daccom = daccom_round()
        editor = UserFactory(consortium=daccom)
        rounds.round_plan_start(planning_round=planning_round, consortium=daccom, user=editor)
        with pytest.raises(AnswerInvalid, match="already started"):
            rounds.round_plan_start(planning_round=planning_round, consortium=daccom, user=editor)

    def test_only_an_earlier_plan_of_the_same_consortium_can_be_the_start(self):
        planning_round, daccom = daccom_round()
        elsewhere = plan_with_questions()
        with pytest.raises(AnswerInvalid, match="earlier plans"):
            rounds.round_plan_start(
                planning_round=planning_round,
                consortium=daccom,
                user=UserFactory(consortium=daccom),
                carry_from=elsewhere,
            )

    def test_a_consortium_outside_the_round_cannot_start_in_it(self):
        planning_round, daccom = daccom_round()
        other = ConsortiumFactory(commissioner=daccom.commissioner)
        with pytest.raises(PermissionDenied):
            rounds.round_plan_start(
                planning_round=planning_round, consortium=other, user=UserFactory(consortium=other)
            )


def round_of_the_year_of(plan: Plan) -> PlanningRound:
    """The round of ``plan``'s own year, on its form, its consortium taking part."""
    consortium = plan.consortium
    return rounds.round_open(
        commissioner=consortium.commissioner,
        period=plan.period,
        template=plan.template,
        deadline=date(2007, 3, 31),
        consortia=[consortium],
        user=pct_lead(consortium.commissioner),
        today=date(2007, 1, 2),
    )


class TestOnePlanAYearInARound:
    def test_a_plan_made_before_the_round_opened_becomes_the_consortiums_plan_in_it(self):
        plan = plan_with_questions()

        planning_round = round_of_the_year_of(plan)

        plan.refresh_from_db()
        assert plan.planning_round == planning_round
        assert plan.history.first().history_change_reason == (
            "taken into the 2006/07 planning round"
        )

    def test_starting_a_second_plan_for_the_year_is_refused(self):
        plan = plan_with_questions()
        planning_round = round_of_the_year_of(plan)
        with pytest.raises(AnswerInvalid, match="has already started its 2006/07 plan"):
            rounds.round_plan_start(
                planning_round=planning_round,
                consortium=plan.consortium,
                user=UserFactory(consortium=plan.consortium),
            )
        assert Plan.objects.filter(consortium=plan.consortium).count() == 1

    def test_of_several_plans_of_the_year_the_approved_one_is_taken(self):
        approved = plan_with_questions()
        put_in_state(approved, Plan.Status.APPROVED)
        newer_draft = services.plan_create(
            consortium=approved.consortium,
            template=approved.template,
            period=approved.period,
            title="Newer draft",
        )

        planning_round = round_of_the_year_of(approved)

        assert list(planning_round.plans.all()) == [approved]
        newer_draft.refresh_from_db()
        assert newer_draft.planning_round is None

    @pytest.mark.parametrize("period", ["2008/10", "2008/07", "2008"])
    def test_a_plan_cannot_be_made_for_what_is_no_plan_year(self, period):
        plan = plan_with_questions()
        with pytest.raises(AnswerInvalid, match="two years one after the other") as refused:
            services.plan_create(
                consortium=plan.consortium, template=plan.template, period=period, title="Odd"
            )
        assert refused.value.field == "period"
        assert Plan.objects.count() == 1

    def test_a_plan_for_the_rounds_year_cannot_be_made_beside_the_round(self):
        plan = plan_with_questions()
        round_of_the_year_of(plan)
        with pytest.raises(AnswerInvalid, match="2006/07 has a planning round") as refused:
            services.plan_create(
                consortium=plan.consortium, template=plan.template, period="2006/07", title="Two"
            )
        assert refused.value.field == "period"

    def test_the_database_holds_one_plan_of_a_consortium_in_a_round(self):
        plan = plan_with_questions()
        planning_round = round_of_the_year_of(plan)
        with pytest.raises(IntegrityError), transaction.atomic():
            Plan.objects.create(
                consortium=plan.consortium,
                template=plan.template,
                period=plan.period,
                title="Second",
                planning_round=planning_round,
            )


class TestOpeningARound:
    def test_a_second_pct_opens_its_own_round_on_its_own_form(self):
        # Not DacCom: a PCT with three consortia and a form of its own.
        first = plan_with_questions()
        commissioner = first.consortium.commissioner
        others = ConsortiumFactory.create_batch(2, commissioner=commissioner)
        planning_round = rounds.round_open(
            commissioner=commissioner,
            period="2008/09",
            template=first.template,
            deadline=date(2008, 4, 30),
            consortia=[first.consortium, *others],
            interim_dates=[{"date": date(2008, 2, 1), "label": "First draft"}],
            user=pct_lead(commissioner),
            today=date(2008, 1, 7),
        )
        assert planning_round.consortia.count() == 3
        assert planning_round.interim_dates == [{"label": "First draft", "date": "2008-02-01"}]

    def test_a_plan_year_typed_with_spaces_around_it_is_read(self):
        planning_round, _ = daccom_round(period=" 2007/08 ")
        assert planning_round.period == "2007/08"

    def test_everything_refused_is_named_at_once(self):
        with pytest.raises(AnswersInvalid) as refused:
            daccom_round(
                period="2008/10",
                deadline=date(2007, 1, 1),
                interim_dates=[{"date": date(2006, 12, 1), "label": "First draft", "line": 1}],
            )
        assert [r.field for r in refused.value.refusals] == [
            "period",
            "deadline",
            "interim_dates",
        ]

    def test_the_same_year_twice_is_refused(self):
        daccom_round()
        with pytest.raises(AnswerInvalid, match="already open"):
            daccom_round()

    def test_a_consortium_editor_cannot_open_a_round(self):
        demo_daccom_plan()
        daccom = Consortium.objects.get(slug="daccom")
        with pytest.raises(PermissionDenied):
            daccom_round(user=UserFactory(consortium=daccom))

    def test_consortia_of_another_pct_are_refused(self):
        demo_daccom_plan()
        stranger = ConsortiumFactory(commissioner=CommissionerFactory())
        with pytest.raises(AnswerInvalid, match="of this PCT only"):
            daccom_round(consortia=[stranger])

    @pytest.mark.parametrize(
        ("field", "typed", "message"),
        [
            pytest.param("period", "2007", NOT_TWO_YEARS, id="one_year_alone"),
            pytest.param("period", "2007/09", NOT_TWO_YEARS, id="years_not_in_a_row"),
            pytest.param("period", "07/08", NOT_TWO_YEARS, id="first_year_not_in_full"),
            pytest.param("period", "2008/10", NOT_TWO_YEARS, id="later_years_not_in_a_row"),
            pytest.param("deadline", date(2007, 1, 1), NOT_AFTER_TODAY, id="deadline_past"),
            pytest.param("deadline", date(2007, 1, 2), NOT_AFTER_TODAY, id="deadline_today"),
            pytest.param(
                "interim_dates",
                [{"date": date(2006, 12, 1), "label": "First draft"}],
                "“First draft” is due on 1 December 2006",
                id="interim_date_already_past",
            ),
        ],
    )
    def test_a_year_or_date_refused_is_refused_on_its_field_and_no_round_opens(
        self, field, typed, message
    ):
        with pytest.raises(AnswerInvalid, match=message) as refused:
            daccom_round(**{field: typed})
        assert refused.value.field == field
        assert not PlanningRound.objects.exists()

    def test_every_interim_date_refused_is_named_at_once(self):
        with pytest.raises(AnswersInvalid) as refused:
            daccom_round(
                interim_dates=[
                    {"date": date(2006, 12, 1), "label": "First draft", "line": 1},
                    {"date": date(2007, 2, 1), "label": "Second draft", "line": 2},
                    {"date": date(2007, 5, 1), "label": "Late", "line": 3},
                ]
            )
        assert [(r.field, r.message[:7]) for r in refused.value.refusals] == [
            ("interim_dates", "Line 1:"),
            ("interim_dates", "Line 3:"),
        ]

    def test_an_interim_date_after_the_deadline_is_refused(self):
        with pytest.raises(AnswerInvalid, match="after the deadline"):
            daccom_round(interim_dates=[{"date": date(2007, 5, 1), "label": "Late"}])


class TestDeadlineReminders:
    def test_each_reminder_links_to_the_plan_or_to_where_it_is_started(
        self, mailoutbox, monkeypatch, settings
    ):
        settings.SITE_URL = "https://plans.example.org/"
        planning_round, daccom = daccom_round()
        not_started = ConsortiumFactory(commissioner=daccom.commissioner)
        planning_round.consortia.add(not_started)
        editor, waiting = UserFactory(consortium=daccom), UserFactory(consortium=not_started)
        plan, _ = rounds.round_plan_start(
            planning_round=planning_round, consortium=daccom, user=editor
        )

        reminder_days(planning_round, mailoutbox, monkeypatch, days=[14])

        bodies = {message.to[0]: message.body for message in mailoutbox}
        assert (
            f"See where it stands:\nhttps://plans.example.org/plans/{plan.pk}/\n"
            in (bodies[editor.email])
        )
        assert (
            f"Start it:\nhttps://plans.example.org/rounds/{planning_round.pk}/start/\n"
            in bodies[waiting.email]
        )

    def test_each_person_with_unfinished_work_hears_14_7_2_and_0_days_before_once(
        self, mailoutbox, monkeypatch
    ):
        planning_round, daccom = daccom_round()
        writing = ConsortiumFactory(commissioner=daccom.commissioner)
        finished = ConsortiumFactory(commissioner=daccom.commissioner)
        planning_round.consortia.add(writing, finished)
        editor = UserFactory(consortium=daccom)
        chair = UserFactory(consortium=daccom, role=User.Role.CONSORTIUM_EXECUTIVE_CHAIR)
        other_editor = UserFactory(consortium=writing)
        UserFactory(consortium=daccom, is_active=False)
        UserFactory(consortium=finished)
        pct_lead(daccom.commissioner)
        rounds.round_plan_start(planning_round=planning_round, consortium=daccom, user=editor)
        plan, _ = rounds.round_plan_start(
            planning_round=planning_round,
            consortium=finished,
            user=UserFactory(consortium=finished),
        )
        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.SUBMITTED)
        assert reminder_days(planning_round, mailoutbox, monkeypatch) == [14, 7, 2, 0]
        recipients = sorted(message.to[0] for message in mailoutbox)
        writers = User.objects.filter(consortium__in=[daccom, writing], is_active=True)
        assert {editor.email, chair.email, other_editor.email} <= {u.email for u in writers}
        assert recipients == sorted([user.email for user in writers] * 4)
        assert mailoutbox[-1].subject == "2007/08 plan: due today"
        assert "DacCom" in mailoutbox[0].body or writing.name in mailoutbox[0].body
