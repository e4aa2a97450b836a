"""tests/demo_data.py: the copy of the demo data a test gets holds what the loaders write."""

import pytest
from django.db import connection, transaction

from consortia.demo import DEMO_PASSWORD
from consortia.models import Appointment, PersonRole, Practice, User
from plans.audit import audit_chain_verify
from plans.models import Answer, Plan, PlanEvent
from signoff.models import Comment
from tests import demo_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def what_the_demo_holds() -> dict:
    return {
        # Salted hashes differ from load to load; the password each takes does not.
        "users": sorted(
            (
                user.email,
                user.role,
                user.full_name,
                user.consortium_id is not None,
                user.check_password(DEMO_PASSWORD),
            )
            for user in User.objects.all()
        ),
        "practices": sorted(Practice.objects.values_list("consortium__slug", "code", "list_size")),
        "roles": sorted(PersonRole.objects.values_list("person__name", "kind", "detail")),
        "appointments": sorted(Appointment.objects.values_list("user__email", "position__name")),
        "answers": sorted(
            Answer.objects.values_list(
                "plan__consortium__slug",
                "plan__template__slug",
                "question__key",
                "version",
                "text",
                "rows",
                "data",
            )
        ),
        "history": Answer.history.count(),
        "events": sorted(
            PlanEvent.objects.values_list("plan__consortium__slug", "kind", "action", "to_status")
        ),
        "comments": sorted(Comment.objects.values_list("author__email", "quote", "body")),
        "chains intact": sorted(
            (plan.consortium.slug, plan.template.slug, audit_chain_verify(plan).intact)
            for plan in Plan.objects.select_related("consortium", "template")
        ),
    }


def test_a_copy_of_the_demo_data_holds_what_the_loaders_write():
    with transaction.atomic():
        demo_data.with_comments()  # the loaders themselves
        loaded = what_the_demo_holds()
        transaction.set_rollback(True)

    # The first load in a process may be the loaders' (the copy is kept), the next is a copy.
    for _ in range(2):
        with transaction.atomic():
            demo_data.load_with_comments()
            assert what_the_demo_holds() == loaded
            transaction.set_rollback(True)
    assert connection.vendor != "postgresql" or demo_data.has_copy(demo_data.with_comments)
