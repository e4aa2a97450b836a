"""Sections assigned to people, on PostgreSQL: who may assign to whom, reassigning, and what
"Your tasks" and the chair's overdue list read (plans/assignments.py)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from consortia.models import User
from plans import assignments, round_selectors, rounds, services
from plans.errors import AnswerInvalid
from plans.models import Assignment, TemplatePart
from tests.factories import ConsortiumFactory, UserFactory
from tests.plan_factories import assign, plan_with_questions, reminder_days

pytestmark = pytest.mark.django_db


def setup(**plan_kwargs):
    plan = plan_with_questions(**plan_kwargs)
    chair = UserFactory(
        consortium=plan.consortium, role=User.Role.CONSORTIUM_EXECUTIVE_CHAIR, full_name="Chair"
    )
    manager = UserFactory(consortium=plan.consortium, full_name="Practice Manager")
    return plan, chair, manager


def soon(days: int = 7):
    return round_selectors.today() + timedelta(days=days)


def answer_all(plan, part, user):
    answers = plan.answers.filter(question__part=part).exclude(question__completed_by="pct")
    for answer in answers:
        services.answer_save(
            answer=answer, user=user, base_version=answer.version, text="<p>Written.</p>"
        )


class TestAssigning:
    def test_the_chair_gives_a_part_to_a_manager_who_is_told_by_email(self, mailoutbox):
        plan, chair, manager = setup()
        assignment = assign(plan, chair, manager)
        assert assignment.assignee == manager and assignment.assigned_by == chair
        assert [m.to for m in mailoutbox] == [[manager.email]]
        assert "Your tasks" in mailoutbox[0].body

    def test_an_editor_may_assign_a_single_question(self):
        plan, _, manager = setup()
        question = plan.template.questions.first()
        assignment = assign(plan, manager, manager, question=question)
        assert assignment.section == question

    def test_reassigning_replaces_the_holder_and_tells_both(self, mailoutbox):
        plan, chair, manager = setup()
        other = UserFactory(consortium=plan.consortium, full_name="Other Manager")
        assign(plan, chair, manager)
        assign(plan, chair, other, days=10)
        assert Assignment.objects.get().assignee == other
        assert Assignment.objects.get().history.count() == 2
        assert sorted(m.to[0] for m in mailoutbox[1:]) == sorted([other.email, manager.email])
        assert "no longer one of your tasks" in next(
            m.body for m in mailoutbox[1:] if m.to == [manager.email]
        )

    def test_someone_of_another_consortium_is_refused_with_their_name(self):
        plan, chair, _ = setup()
        stranger = UserFactory(consortium=ConsortiumFactory(), full_name="Stranger")
        with pytest.raises(AnswerInvalid, match="Stranger is not one of"):
            assign(plan, chair, stranger)
        assert not Assignment.objects.exists()

    def test_a_pct_person_cannot_assign(self):
        plan, _, manager = setup()
        lead = UserFactory(
            role=User.Role.PCT_LEAD, consortium=None, commissioner=plan.consortium.commissioner
        )
        with pytest.raises(PermissionDenied):
            assign(plan, lead, manager)

    def test_a_due_date_in_the_past_is_refused(self):
        plan, chair, manager = setup()
        with pytest.raises(AnswerInvalid, match="from today on"):
            assign(plan, chair, manager, days=-1)

    def test_a_due_date_after_the_year_after_next_is_refused_as_a_slip(self):
        plan, chair, manager = setup()
        today = round_selectors.today()
        with pytest.raises(AnswerInvalid, match=f"by 31 December {today.year + 2}"):
            assign(plan, chair, manager, days=(date(today.year + 3, 1, 1) - today).days)
        assert assign(plan, chair, manager, days=(date(today.year + 2, 12, 31) - today).days)

    def test_a_part_of_another_form_is_refused(self):
        plan, chair, manager = setup()
        other_part = plan_with_questions().template.parts.first()
        with pytest.raises(AnswerInvalid, match="this plan's form"):
            assign(plan, chair, manager, part=other_part)

    def test_a_question_the_pct_answers_is_refused_naming_it(self):
        plan, chair, manager = setup()
        pct_question = plan.template.questions.get(completed_by="pct")
        with pytest.raises(
            AnswerInvalid, match=r"1\.2 Fair shares weighting is answered by the PCT"
        ):
            assign(plan, chair, manager, question=pct_question)
        assert not Assignment.objects.exists()

    def test_the_sign_off_is_refused_as_a_part_and_as_a_question(self):
        plan, chair, manager = setup()
        part = plan.template.parts.get(key="sign-off")
        with pytest.raises(AnswerInvalid, match="Part 3 Sign-off has no questions"):
            assign(plan, chair, manager, part=part)
        with pytest.raises(AnswerInvalid, match="3 Sign-off is signed, not written"):
            assign(plan, chair, manager, question=part.questions.get())
        assert not Assignment.objects.exists()

    def test_a_part_of_guidance_only_is_refused(self):
        plan, chair, manager = setup()
        guidance = TemplatePart.objects.create(
            template=plan.template, key="guidance", number="0", title="About this form", position=0
        )
        with pytest.raises(AnswerInvalid, match="Part 0 About this form has no questions"):
            assign(plan, chair, manager, part=guidance)

    def test_a_part_with_a_pct_question_among_the_consortiums_may_be_assigned(self):
        plan, chair, manager = setup()
        part = plan.template.questions.get(completed_by="pct").part
        assert assign(plan, chair, manager, part=part).section == part


class TestTasks:
    def test_your_tasks_say_what_which_plan_when_and_whether_answered(self):
        plan, chair, manager = setup()
        part = plan.template.parts.all()[1]
        assign(plan, chair, manager, part=part)
        [task] = assignments.home_tasks(manager).mine
        assert task.assignment.plan == plan and not task.assignment.done
        assert task.due.days == 7 and task.label.startswith("Part")
        answer_all(plan, part, manager)
        assert assignments.home_tasks(manager).mine[0].assignment.done

    def test_a_section_answered_only_by_last_years_words_is_not_done_until_checked(self):
        plan, chair, manager = setup()
        part = plan.template.parts.all()[1]
        answer_all(plan, part, manager)
        assign(plan, chair, manager, part=part)
        plan.answers.filter(question__part=part).update(carried_forward=True)

        assert not assignments.home_tasks(manager).mine[0].assignment.done
        for answer in plan.answers.filter(question__part=part, carried_forward=True):
            rounds.answer_confirm_carried(answer=answer, user=manager)
        assert assignments.home_tasks(manager).mine[0].assignment.done

    def test_the_chair_sees_overdue_unanswered_sections_and_not_the_done_ones(self, monkeypatch):
        plan, chair, manager = setup()
        first, second = plan.template.parts.all()[:2]
        assign(plan, chair, manager, part=first, days=1)
        assign(plan, chair, manager, part=second, days=1)
        answer_all(plan, second, manager)
        later = soon(3)
        monkeypatch.setattr(round_selectors, "today", lambda: later)
        tasks = assignments.home_tasks(chair)
        assert [t.assignment.part for t in tasks.overdue] == [first]
        assert tasks.mine == []
        assert assignments.home_tasks(manager).overdue == []


class TestRoundReminders:
    def test_with_assignments_only_holders_of_unanswered_sections_hear_once_each_day(
        self, mailoutbox, monkeypatch
    ):
        last_year, chair, manager = setup()
        done_manager = UserFactory(consortium=last_year.consortium, full_name="Done Manager")
        consortium = last_year.consortium
        unassigned = ConsortiumFactory(commissioner=consortium.commissioner)
        other_writer = UserFactory(consortium=unassigned)
        lead = UserFactory(
            role=User.Role.PCT_LEAD, consortium=None, commissioner=consortium.commissioner
        )
        planning_round = rounds.round_open(
            commissioner=consortium.commissioner,
            period="2007/08",
            template=last_year.template,
            deadline=soon(30),
            consortia=[consortium, unassigned],
            user=lead,
        )
        plan, _ = rounds.round_plan_start(
            planning_round=planning_round, consortium=consortium, user=chair
        )
        first, second = plan.template.parts.all()[:2]
        assign(plan, chair, manager, part=first)
        assign(plan, chair, done_manager, part=second)
        answer_all(plan, second, done_manager)
        mailoutbox.clear()

        assert reminder_days(planning_round, mailoutbox, monkeypatch) == [14, 7, 2, 0]
        recipients = sorted(message.to[0] for message in mailoutbox)
        assert recipients == sorted([manager.email, other_writer.email] * 4)
