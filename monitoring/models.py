"""In-year monitoring of a signed plan: returns the PCT opens for periods it chooses, which the
consortium fills and the PCT lead accepts or sends back.

A return copies, when it is opened, the signed plan's milestones, savings targets and success
criteria into its lines, and records the content hash its signatures bind. The plan itself is
never written to (docs/decisions/0440).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from plans.models import Plan

MONEY = {"max_digits": 14, "decimal_places": 2}


class MonitoringReturn(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        SENT_BACK = "sent_back", "Sent back"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="monitoring_returns")
    label = models.CharField(max_length=100, help_text='The period, such as "Q1 2006/07".')
    period_end = models.DateField()
    due_on = models.DateField()
    content_sha256 = models.CharField(
        max_length=64, help_text="The content hash of the signed plan the return reports on."
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    commentary = models.TextField(blank=True)
    review_comment = models.TextField(blank=True)
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Each save of the consortium's figures counts up, so that a page loaded before it cannot
    # overwrite them unseen; who saved last, and when, is what the clash tells the person.
    version = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "period_end", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "label"], name="monitoring_return_label_once")
        ]

    def __str__(self):
        return f"{self.plan}: {self.label}"

    @property
    def consortium(self):
        """What the permission rules scope by (consortia.permissions.consortium_of)."""
        return self.plan.consortium


class ReturnLine(models.Model):
    """One milestone, savings target or success criterion of the signed plan, as reported."""

    class Kind(models.TextChoices):
        MILESTONE = "milestone", "Milestone"
        TARGET = "target", "Savings target"
        CRITERION = "criterion", "Success criterion"

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="lines"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=100, help_text="Its key in the signed content.")
    reference = models.CharField(max_length=20, help_text="As people name it: 6.2a, 1.1, (b).")
    text = models.TextField()
    position = models.PositiveIntegerField()
    planned_on = models.DateField(null=True, blank=True)
    planned_saving = models.DecimalField(null=True, blank=True, **MONEY)
    status = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True, help_text="A milestone's note, a criterion's evidence.")
    done_on = models.DateField(null=True, blank=True)
    actual_to_date = models.DecimalField(null=True, blank=True, **MONEY)
    forecast_for_year = models.DecimalField(null=True, blank=True, **MONEY)
    history = HistoricalRecords()

    class Meta:
        ordering = ["monitoring_return", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["monitoring_return", "kind", "key"], name="monitoring_line_once"
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.text[:40]}"


class ApiToken(models.Model):
    """A person's key to the read-only API: only its SHA-256 is kept, shown once when made.
    Revoking it keeps the record (docs/decisions/0444)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    key_sha256 = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="The key's first characters, to tell it.")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(
        null=True, blank=True, help_text="To within a few minutes (services.TOKEN_USE_INTERVAL)."
    )
    uses_recorded_from = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When uses began to be recorded, for a token made before then; "
        "empty when recorded from its making (docs/decisions/0465).",
    )

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
