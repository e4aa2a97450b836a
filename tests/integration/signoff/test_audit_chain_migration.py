"""signoff 0008 chains the events, signatures and ready PDFs recorded before the chain existed,
in the order they happened, and takes the links off again when reversed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from consortia.models import User
from plans.audit import audit_chain_verify
from plans.models import AuditChain, PlanEvent
from signoff import services
from signoff.models import PlanDocument, Signature
from tests.review_factories import (
    SIGNATORIES,
    SIGNATORY_ROLES,
    person,
    three_signatory_plan,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BEFORE_THE_CHAIN = [("plans", "0007_audit_chain"), ("signoff", "0007_audit_chain")]


def migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


def links() -> list[tuple[str, int, int | None]]:
    # Only the columns the chain has had since 0007: later migrations add columns that are
    # not there while migrated back.
    return sorted(
        (name, pk, seq)
        for name, model in (("event", PlanEvent), ("signature", Signature), ("pdf", PlanDocument))
        for pk, seq in model.objects.values_list("pk", "audit_seq")
    )


def test_existing_rows_are_chained_in_the_order_they_happened_and_unchained_back():
    plan = three_signatory_plan()
    services.plan_submit(plan=plan, user=person(User.Role.CONSORTIUM_EDITOR, plan))
    for position, (block, role) in enumerate(zip(SIGNATORIES, SIGNATORY_ROLES, strict=True), 1):
        Signature.objects.create(
            plan=plan,
            role=block["key"],
            title=block["title"],
            position=position,
            user=person(role, plan),
            typed_name=block["title"],
            signed_at=timezone.now(),
            content_sha256="c" * 64,
        )
    PlanDocument.objects.create(
        plan=plan,
        kind=PlanDocument.Kind.SIGNED,
        content_sha256="c" * 64,
        state=PlanDocument.State.READY,
        pdf=b"%PDF-1.7 signed",
        finished_at=timezone.now(),
    )
    chained = links()
    head = AuditChain.objects.get(plan=plan).head_sha256

    try:
        migrate(BEFORE_THE_CHAIN)
        assert all(seq is None for *_, seq in links())
        assert not AuditChain.objects.exists()
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert links() == chained
    assert AuditChain.objects.get(plan=plan).head_sha256 == head
    assert audit_chain_verify(plan).intact
