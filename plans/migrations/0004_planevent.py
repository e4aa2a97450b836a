"""The plan's event log becomes plans' own model. The table and its rows are the ones signoff
kept (signoff.0003 renamed it to plans_planevent), so only the state moves here
(docs/decisions/0310)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

STATUSES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("in_review", "In review"),
    ("changes_requested", "Changes requested"),
    ("approved", "Approved"),
    ("signing", "Signing"),
    ("signed", "Signed"),
    ("submitted_to_pct", "Submitted to PCT"),
]
KINDS = [
    ("transition", "Status changed"),
    ("comment", "Comment"),
    ("reply", "Reply"),
    ("comment_resolved", "Comment resolved"),
    ("comment_reopened", "Comment reopened"),
    ("snapshot", "Named draft saved"),
    ("restore", "Earlier revision restored"),
    ("signature", "Signed"),
    ("signatures_voided", "Signatures voided"),
    ("pdf_ready", "Signed PDF ready"),
    ("export", "Signed PDF downloaded"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_template_slug_written_in_the_file"),
        ("signoff", "0003_comment_event"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PlanEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("kind", models.CharField(choices=KINDS, max_length=32)),
                        (
                            "action",
                            models.CharField(
                                blank=True, help_text="The workflow action taken.", max_length=32
                            ),
                        ),
                        (
                            "from_status",
                            models.CharField(blank=True, choices=STATUSES, max_length=32),
                        ),
                        (
                            "to_status",
                            models.CharField(blank=True, choices=STATUSES, max_length=32),
                        ),
                        (
                            "comment",
                            models.TextField(
                                blank=True, help_text="What the actor wrote with the action."
                            ),
                        ),
                        ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "plan",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="plans.plan",
                            ),
                        ),
                        (
                            "question",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="plans.templatequestion",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(fields=["plan", "-created_at"], name="plan_event_recent")
                        ],
                    },
                ),
            ],
        ),
    ]
