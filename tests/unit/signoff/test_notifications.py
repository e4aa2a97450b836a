"""Who is told of each event, and why: never the actor, never anyone outside the plan."""

import pytest

from consortia.models import User
from plans import services as plan_services
from plans.models import Plan, PlanEvent
from signoff import notifications, services
from signoff.models import Comment, Notification
from signoff.notifications import Reason
from tests.factories import ConsortiumFactory, UserFactory
from tests.review_factories import person, put_in_state, sign, three_signatory_plan

Role = User.Role
Status = Plan.Status
pytestmark = pytest.mark.django_db


class Cast:
    """A plan with two people in each role, and the same roles in a neighbouring consortium
    of the same PCT and in another PCT, who must never be told."""

    def __init__(self, status=Status.DRAFT):
        self.plan = put_in_state(three_signatory_plan(), status)
        plan = self.plan
        self.editor, self.editor2 = (person(Role.CONSORTIUM_EDITOR, plan) for _ in range(2))
        self.chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
        self.lead, self.lead2 = (person(Role.PCT_LEAD, plan) for _ in range(2))
        self.pec = person(Role.PEC_COMMITTEE_CHAIR, plan)
        self.ceo = person(Role.PCT_CHIEF_EXECUTIVE, plan)
        self.admin = person(Role.SITE_ADMIN, plan)
        self.gone = person(Role.PCT_LEAD, plan, is_active=False)
        self.gone_editor = person(Role.CONSORTIUM_EDITOR, plan, is_active=False)
        neighbour = ConsortiumFactory(commissioner=plan.consortium.commissioner)
        self.strangers = [
            UserFactory(role=Role.CONSORTIUM_EDITOR, consortium=neighbour),
            UserFactory(role=Role.CONSORTIUM_EXECUTIVE_CHAIR, consortium=neighbour),
            UserFactory(role=Role.PCT_LEAD),
            UserFactory(role=Role.PEC_COMMITTEE_CHAIR),
            UserFactory(role=Role.PCT_CHIEF_EXECUTIVE),
        ]

    def told(self, kind=None) -> dict[User, str]:
        rows = Notification.objects.filter(event__plan=self.plan).select_related("recipient")
        if kind:
            rows = rows.filter(event__kind=kind)
        return {n.recipient: n.reason for n in rows}

    def lead_asks(self, body: str, **extra) -> Comment:
        """The PCT's lead starts a thread on question 2 (``extra``: its visibility)."""
        return services.comment_add(
            plan=self.plan,
            user=self.lead,
            body=body,
            question=self.plan.template.questions.get(key="question-2"),
            **extra,
        )


def test_a_submission_is_told_to_the_pcts_leads_only():
    cast = Cast()

    services.plan_submit(plan=cast.plan, user=cast.editor)

    assert cast.told() == {cast.lead: Reason.SUBMITTED, cast.lead2: Reason.SUBMITTED}


def test_a_withdrawal_is_told_to_the_pcts_leads():
    cast = Cast(Status.SUBMITTED)

    services.plan_withdraw(plan=cast.plan, user=cast.chair)

    assert cast.told() == {cast.lead: Reason.WITHDRAWN, cast.lead2: Reason.WITHDRAWN}


def test_a_request_for_changes_is_told_to_the_consortiums_editors_and_chair():
    cast = Cast(Status.IN_REVIEW)

    services.plan_request_changes(plan=cast.plan, user=cast.lead, summary="Redo 2.1.")

    assert cast.told() == dict.fromkeys(
        [cast.editor, cast.editor2, cast.chair], Reason.CHANGES_REQUESTED
    )


def test_approval_tells_the_consortium_and_asks_the_first_signatory_to_sign():
    cast = Cast(Status.IN_REVIEW)

    services.plan_approve(plan=cast.plan, user=cast.lead)

    assert cast.told() == {
        cast.editor: Reason.APPROVED,
        cast.editor2: Reason.APPROVED,
        cast.chair: Reason.SIGNATURE_REQUESTED,
    }


def test_each_signature_asks_the_next_signatory_and_the_last_tells_the_chair():
    cast = Cast(Status.APPROVED)

    sign(cast.plan, cast.chair)
    assert cast.told(PlanEvent.Kind.SIGNATURE) == {cast.pec: Reason.SIGNATURE_REQUESTED}

    sign(cast.plan, cast.pec)
    assert cast.told(PlanEvent.Kind.SIGNATURE) == {
        cast.pec: Reason.SIGNATURE_REQUESTED,
        cast.ceo: Reason.SIGNATURE_REQUESTED,
    }

    sign(cast.plan, cast.ceo)
    assert cast.told(PlanEvent.Kind.SIGNATURE)[cast.chair] == Reason.SIGNED
    assert Notification.objects.filter(event__plan=cast.plan, recipient=cast.ceo).count() == 1


def test_reopening_a_signed_plan_tells_the_consortium_and_the_voided_signatories_once():
    cast = Cast(Status.APPROVED)
    sign(cast.plan, cast.chair)
    sign(cast.plan, cast.pec)
    Notification.objects.all().delete()

    services.plan_reopen(plan=cast.plan, user=cast.lead, reason="Figures changed.")

    assert cast.told() == dict.fromkeys(
        [cast.editor, cast.editor2, cast.chair, cast.pec], Reason.SIGNATURES_VOIDED
    )
    assert cast.told(PlanEvent.Kind.TRANSITION) == {}


def test_reopening_an_unsigned_approved_plan_tells_the_consortium():
    cast = Cast(Status.APPROVED)
    Notification.objects.all().delete()

    services.plan_reopen(plan=cast.plan, user=cast.lead, reason="Figures changed.")

    assert cast.told() == dict.fromkeys([cast.editor, cast.editor2, cast.chair], Reason.REOPENED)


def question(plan, key):
    return plan.template.questions.get(key=key)


def test_a_comment_on_a_consortium_question_goes_to_those_who_wrote_its_answer():
    cast = Cast()
    asked = question(cast.plan, "question-1")
    answer = cast.plan.answers.get(question=asked)
    plan_services.answer_save(
        answer=answer, user=cast.editor2, base_version=answer.version, text="<p>Ours.</p>"
    )
    put_in_state(cast.plan, Status.IN_REVIEW)

    services.comment_add(plan=cast.plan, user=cast.lead, body="Which year?", question=asked)

    assert cast.told() == {cast.editor2: Reason.COMMENT}


def test_a_comment_on_an_answer_nobody_wrote_goes_to_the_consortiums_editors():
    cast = Cast(Status.IN_REVIEW)

    cast.lead_asks("Empty?")

    assert cast.told() == dict.fromkeys([cast.editor, cast.editor2], Reason.COMMENT)


def test_a_comment_on_a_pct_question_goes_to_the_other_pct_leads():
    cast = Cast(Status.IN_REVIEW)

    services.comment_add(
        plan=cast.plan,
        user=cast.editor,
        body="Where does this figure come from?",
        question=question(cast.plan, "fair-shares"),
    )

    assert cast.told() == dict.fromkeys([cast.lead, cast.lead2], Reason.COMMENT)


def test_a_pct_only_comment_is_never_told_to_the_consortium():
    cast = Cast(Status.IN_REVIEW)

    cast.lead_asks("Between us: check their list sizes.", visibility=Comment.Visibility.INTERNAL)

    assert cast.told() == {cast.lead2: Reason.COMMENT}


@pytest.mark.parametrize(
    ("extra", "first_replier", "replier", "told"),
    [
        ({}, "editor", "chair", ["lead", "editor"]),
        ({"visibility": Comment.Visibility.INTERNAL}, "pec", "lead2", ["lead", "pec"]),
    ],
    ids=["everyone-who-wrote-but-the-replier", "a-pct-only-thread-to-pct-people-only"],
)
def test_a_reply_goes_to_everyone_who_wrote_in_the_thread_but_the_replier(
    extra, first_replier, replier, told
):
    cast = Cast(Status.IN_REVIEW)
    thread = cast.lead_asks("Which year?", **extra)
    services.comment_reply(thread=thread, user=getattr(cast, first_replier), body="2005/06.")
    Notification.objects.all().delete()

    services.comment_reply(thread=thread, user=getattr(cast, replier), body="Confirmed.")

    assert cast.told() == dict.fromkeys([getattr(cast, name) for name in told], Reason.REPLY)


def test_notify_comment_may_be_called_again_for_the_same_event_without_duplicates():
    cast = Cast(Status.IN_REVIEW)
    thread = cast.lead_asks("Which year?")
    event = PlanEvent.objects.get(plan=cast.plan, kind=PlanEvent.Kind.COMMENT)

    notifications.notify_comment(event, thread)

    assert Notification.objects.filter(event=event).count() == 2


def test_nobody_is_told_of_their_own_action_nor_of_a_plan_they_cannot_see():
    cast = Cast(Status.IN_REVIEW)
    services.plan_request_changes(plan=cast.plan, user=cast.lead, summary="Redo 2.1.")
    services.plan_submit(plan=cast.plan, user=cast.editor)
    services.plan_start_review(plan=cast.plan, user=cast.lead2)
    services.plan_approve(plan=cast.plan, user=cast.lead2)

    told = set(Notification.objects.values_list("recipient_id", flat=True))
    never = [cast.gone, cast.gone_editor, cast.admin, *cast.strangers]
    assert not told & {user.pk for user in never}
    for notification in Notification.objects.select_related("event"):
        assert notification.recipient_id != notification.event.actor_id
