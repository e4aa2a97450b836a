"""Chains the rows recorded before the audit chain existed: for each plan, its events,
signatures and ready PDFs in the order they happened (docs/decisions/0370)."""

from django.db import migrations

from plans.chain import GENESIS, link_sha256
from plans.models import PlanEvent as CurrentPlanEvent
from signoff.models import PlanDocument as CurrentPlanDocument
from signoff.models import Signature as CurrentSignature

# (app label, model, when it happened (the first of these fields set), which rows join, the
# fields each link covers)
CHAINED = (
    ("plans", "PlanEvent", ("created_at",), {}, CurrentPlanEvent.AUDIT_FIELDS),
    ("signoff", "Signature", ("signed_at",), {}, CurrentSignature.AUDIT_FIELDS),
    (
        "signoff",
        "PlanDocument",
        ("finished_at", "requested_at"),
        {"state": "ready"},
        CurrentPlanDocument.AUDIT_FIELDS,
    ),
)


def chain_existing_rows(apps, schema_editor):
    AuditChain = apps.get_model("plans", "AuditChain")
    rows_by_plan = {}
    for order, (app_label, model_name, when, due, fields) in enumerate(CHAINED):
        model = apps.get_model(app_label, model_name)
        for row in model.objects.filter(**due).values("pk", *fields).iterator():
            happened = next(row[name] for name in when if row[name] is not None)
            key = (happened, order, row["pk"])
            rows_by_plan.setdefault(row["plan_id"], []).append((key, model, row, fields))
    for plan_id, rows in rows_by_plan.items():
        previous = GENESIS
        for seq, (_, model, row, fields) in enumerate(sorted(rows, key=lambda r: r[0]), 1):
            digest = link_sha256(
                record=model._meta.label_lower,
                pk=row["pk"],
                seq=seq,
                previous=previous,
                fields={name: row[name] for name in fields},
            )
            model.objects.filter(pk=row["pk"]).update(
                audit_seq=seq, audit_previous_sha256=previous, audit_sha256=digest
            )
            previous = digest
        AuditChain.objects.create(plan_id=plan_id, length=len(rows), head_sha256=previous)


def unchain(apps, schema_editor):
    for app_label, model_name, *_ in CHAINED:
        apps.get_model(app_label, model_name).objects.update(
            audit_seq=None, audit_previous_sha256="", audit_sha256=""
        )
    apps.get_model("plans", "AuditChain").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0007_audit_chain"),
        ("signoff", "0007_audit_chain"),
    ]

    operations = [migrations.RunPython(chain_existing_rows, unchain)]
