"""The event log moves from signoff to plans (signoff 0003/0004, plans 0004) with every row, its
id, its comment and its notifications kept, both ways."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from consortia.models import User
from plans.models import PlanEvent
from signoff import services
from signoff.models import Notification
from signoff.selectors import comment_of
from tests.review_factories import person, three_signatory_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BEFORE_THE_MOVE = [("signoff", "0002_event_about_comment")]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection)


def latest() -> list:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_the_event_log_moves_to_plans_and_back_with_its_comments_and_notifications():
    plan = three_signatory_plan()
    editor = person(User.Role.CONSORTIUM_EDITOR, plan)
    lead = person(User.Role.PCT_LEAD, plan)
    services.plan_submit(plan=plan, user=editor)
    question = plan.template.questions.get(key="question-1")
    comment = services.comment_add(
        plan=plan, user=lead, body="Which follow-ups?", question=question
    )
    events = {event.pk: event.kind for event in PlanEvent.objects.all()}
    commented = PlanEvent.objects.get(kind=PlanEvent.Kind.COMMENT)
    notified = set(Notification.objects.values_list("event_id", "recipient_id"))
    content_type = ContentType.objects.get_for_model(PlanEvent)
    assert notified, "the submission and the comment were told to someone"

    try:
        old = migrate(BEFORE_THE_MOVE).loader.project_state(BEFORE_THE_MOVE).apps
        OldEvent = old.get_model("signoff", "PlanEvent")
        assert dict(OldEvent.objects.values_list("pk", "kind")) == events
        assert dict(
            OldEvent.objects.filter(about_comment__isnull=False).values_list("pk", "about_comment")
        ) == {commented.pk: comment.pk}
        assert ContentType.objects.get(pk=content_type.pk).app_label == "signoff"
    finally:
        migrate(latest())

    assert dict(PlanEvent.objects.values_list("pk", "kind")) == events
    assert comment_of(PlanEvent.objects.get(pk=commented.pk)) == comment
    assert set(Notification.objects.values_list("event_id", "recipient_id")) == notified
    assert ContentType.objects.get_for_model(PlanEvent).pk == content_type.pk
    later = services.comment_reply(thread=comment, user=lead, body="And the dates?")
    assert comment_of(PlanEvent.objects.get(kind=PlanEvent.Kind.REPLY)) == later
