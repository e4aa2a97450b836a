import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from simple_history.models import HistoricalRecords

from consortia.models import Commissioner, Consortium

from .chain import GENESIS, link_sha256


class CompletedBy(models.TextChoices):
    CONSORTIUM = "consortium", "Consortium"
    PCT = "pct", "PCT"
    BOTH = "both", "Consortium and PCT"


class QuestionKind(models.TextChoices):
    RICH_TEXT = "rich_text", "Text"
    TABLE = "table", "Table"
    PROJECTS = "projects", "Projects and targets"
    SAVINGS_TARGET = "savings_target", "Savings target"
    BUSINESS_CASES = "business_cases", "Business cases"
    MILESTONES = "milestones", "Deliverables and milestones"
    SUCCESS_CRITERIA = "success_criteria", "Success criteria"
    HOURS = "hours", "Hours allocation"
    DES_FUNDING = "des_funding", "Payment per patient"
    OUTCOME_FRAMEWORK = "outcome_framework", "Incentive outcome framework"
    FREED_UP_RESOURCES = "freed_up_resources", "Freed-up resources"
    SELF_ASSESSMENT = "self_assessment", "Framework self-assessment"
    SIGNOFF = "signoff", "Sign-off"


class Prefill(models.TextChoices):
    PRACTICES = "practices", "The consortium's practices"
    DIRECTORS = "directors", "Directors"
    EXECUTIVE_COMMITTEE = "executive_committee", "Executive committee"
    CLINICAL_LEADS = "clinical_leads", "Clinical leads"
    MANAGERIAL_LEADS = "managerial_leads", "Managerial leads"
    PCT_SUPPORT_TEAM = "pct_support_team", "PCT support team"


class PlanTemplate(models.Model):
    """One version of a commissioner's plan form. Published versions never change."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    slug = models.SlugField(unique=True, help_text="Written in the definition file as `slug:`.")
    family = models.SlugField(help_text="Shared by every version of the same form.")
    issuer = models.ForeignKey(Commissioner, on_delete=models.PROTECT, related_name="templates")
    name = models.CharField(max_length=200)
    version_label = models.CharField(max_length=100)
    version_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    return_instructions = models.TextField(blank=True)
    signatories = models.JSONField(
        default=list,
        help_text="The sign-off block: [{title, side, body, position, step}] in signing order "
        "(docs/definition-files.md).",
    )
    parties = models.JSONField(
        default=list,
        blank=True,
        help_text="The parties the form names beyond the consortium and the PCT: [{key, label, "
        "edited_by}], edited_by one of consortium, pct, both (docs/decisions/0403).",
    )
    approved_by = models.CharField(
        max_length=200,
        blank=True,
        help_text="The body whose approval the form asks for, where it names one (a clinical "
        "governance sub-committee); with no signatories, the plan ends at that approval.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family", "version_date", "version_label"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version_label"], name="unique_version")
        ]

    def __str__(self):
        return f"{self.name} [{self.version_label}]"


class TemplatePart(models.Model):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="parts")
    key = models.SlugField(max_length=100)
    number = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="unique_part_key"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    @property
    def called(self) -> str:
        """The part as a sentence names it: "part 4", or the number alone where the form
        writes it in words ("Appendix 1"), or its title where it has no number."""
        if not self.number:
            return self.title
        return f"part {self.number}" if self.number[0].isdigit() else self.number


class TemplateQuestion(models.Model):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="questions")
    part = models.ForeignKey(TemplatePart, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=100, help_text="Stable across versions of the form.")
    number = models.CharField(max_length=20, blank=True)
    title = models.TextField()
    #: who may edit the answer; a party the template names is mapped to one of these
    completed_by = models.CharField(max_length=16, choices=CompletedBy.choices)
    party = models.CharField(
        max_length=50,
        blank=True,
        help_text="The template's party that completes it (its `parties`), when not one of "
        "the built-in consortium, pct or both.",
    )
    required = models.BooleanField(default=True)
    note_ref = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    prompts = models.JSONField(default=list)
    kind = models.CharField(max_length=32, choices=QuestionKind.choices)
    columns = models.JSONField(default=list, blank=True, help_text="[{key, label}] for tables.")
    prefill = models.CharField(max_length=32, choices=Prefill.choices, blank=True)
    parameters = models.JSONField(
        default=dict,
        blank=True,
        help_text="The kind's settings from the template: rates, shares, scales and labels "
        "(docs/decisions/0400).",
    )
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="unique_question_key"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    @property
    def has_text(self) -> bool:
        return self.kind not in (QuestionKind.TABLE, QuestionKind.SIGNOFF)

    @property
    def answerable(self) -> bool:
        return self.kind != QuestionKind.SIGNOFF

    @property
    def consortium_answers(self) -> bool:
        """Whether the consortium's people write this answer: not sign-off, and not one of the
        PCT's own questions (docs/decisions/0434)."""
        return self.answerable and self.completed_by != CompletedBy.PCT


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        IN_REVIEW = "in_review", "In review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"
        SIGNING = "signing", "Signing"
        SIGNED = "signed", "Signed"
        SUBMITTED_TO_PCT = "submitted_to_pct", "Submitted to PCT"

    consortium = models.ForeignKey(Consortium, on_delete=models.PROTECT, related_name="plans")
    template = models.ForeignKey(PlanTemplate, on_delete=models.PROTECT, related_name="plans")
    period = models.CharField(max_length=20, help_text='The plan year, such as "2006/07".')
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    planning_round = models.ForeignKey(
        "PlanningRound", on_delete=models.PROTECT, null=True, blank=True, related_name="plans"
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Last year's plan its answers were carried forward from.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period", "consortium__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "planning_round"],
                condition=Q(planning_round__isnull=False),
                name="one_plan_a_round",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.period})"


class Answer(models.Model):
    """A plan's answer to one question. ``version`` rises by one with every accepted save."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(TemplateQuestion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    rows = models.JSONField(default=list, blank=True)
    data = models.JSONField(
        default=dict, blank=True, help_text="Figures of the structured kinds (projects ...)."
    )
    autosaved = models.BooleanField(
        default=False, help_text="Last saved automatically, not yet saved by its editor."
    )
    carried_forward = models.BooleanField(
        default=False,
        help_text="Copied from last year's plan and not yet edited or confirmed since.",
    )
    prefilled = models.BooleanField(
        default=False,
        help_text="Rows filled in from the consortium's records when the plan was started, "
        "not yet saved by a person.",
    )
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(cascade_delete_history=True)

    class Meta:
        ordering = ["plan", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "question"], name="one_answer_per_question")
        ]

    def __str__(self):
        return f"{self.plan}: {self.question}"

    @property
    def is_empty(self) -> bool:
        return not (
            _has_words(self.text) or any(any(row.values()) for row in self.rows) or self.data
        )

    @property
    def is_done(self) -> bool:
        """Written and saved by its person: not only typed (autosaved), nor last year's carried
        forward unchecked, nor a table only filled in from the consortium's records
        (docs/decisions/0494). ``plans.selectors.done_answers`` says it in SQL for the counts."""
        return not (self.is_empty or self.autosaved or self.carried_forward or self.prefilled)


# An answer with words: a character that is neither a tag nor space, outside the tags (an
# entity such as &nbsp; counts). One pattern for Python and for the dashboards' SQL
# (signoff/presenters/dashboards.py), so both call the same answers empty; a regular expression
# over the stored, already sanitised HTML rather than parsing it again on every page.
HAS_WORDS = r"(^|>)[^<]*[^<\s]"
_HAS_WORDS = re.compile(HAS_WORDS)


def _has_words(html: str) -> bool:
    return _HAS_WORDS.search(html or "") is not None


class PlanSnapshot(models.Model):
    """A named draft: every answer as it stood when the consortium named it.

    A copy rather than pointers into the answers' history, so a named draft reads the same
    however the history is later kept or trimmed.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="snapshots")
    name = models.CharField(max_length=200)
    answers = models.JSONField(help_text="{question key: {text, rows, data, version}}.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["plan", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="unique_snapshot_name")
        ]

    def __str__(self):
        return self.name


class AppendOnly(models.Model):
    """Rows that record what happened: written once, never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(f"{type(self).__name__} records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(f"{type(self).__name__} records cannot be deleted.")


class AuditChain(models.Model):
    """The head of one plan's audit chain: how many links it has and the newest link's hash.

    Appending locks this row, so two writers to the same plan take turns and every link
    follows the one before it (docs/decisions/0370).
    """

    plan = models.OneToOneField(
        Plan, on_delete=models.CASCADE, primary_key=True, related_name="audit_chain"
    )
    length = models.PositiveIntegerField(default=0)
    head_sha256 = models.CharField(max_length=64, default=GENESIS)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Audit chain of {self.plan}"


class AuditChained(models.Model):
    """A row that joins its plan's audit chain once it is due (at once, unless
    ``audit_is_due`` says otherwise). The link hash covers the row's ``AUDIT_FIELDS``, an
    explicit list of its stored fields (by column name), and nothing else (plans/chain.py).

    The hook is on ``save`` so no path that records a row can leave it out of the chain.
    """

    AUDIT_FIELDS: tuple[str, ...] = ()
    #: Fields added to the model after rows of it were chained: a link covers each of them only
    #: where it is set (not ""), so a row chained before the field existed keeps the hash it was
    #: given, as Django still checks a password hashed by an older hasher; a set value, cleared
    #: or added later, still breaks the link.
    AUDIT_FIELDS_WHEN_SET: tuple[str, ...] = ()

    audit_seq = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="Place in the plan's audit chain."
    )
    audit_previous_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    audit_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            if self.audit_seq is None and self.audit_is_due():
                audit_chain_append(self)

    @classmethod
    def audit_columns(cls) -> tuple[str, ...]:
        """The stored fields a link may cover: read these, then ``audit_fields`` of the row."""
        return (*cls.AUDIT_FIELDS, *cls.AUDIT_FIELDS_WHEN_SET)

    @classmethod
    def audit_fields(cls, row: dict) -> dict:
        """What the link of ``row`` (its ``audit_columns`` as stored) covers."""
        fields = {name: row[name] for name in cls.AUDIT_FIELDS}
        fields |= {name: row[name] for name in cls.AUDIT_FIELDS_WHEN_SET if row[name] != ""}
        return fields

    @classmethod
    def audit_due(cls) -> Q:
        """Which rows must be in the chain."""
        return Q()

    def audit_is_due(self) -> bool:
        return True

    @classmethod
    def audit_unexplained(cls, plan_id: int) -> tuple[int, str] | None:
        """A row of the plan whose state since it was chained is not explained by a later link
        (its pk and why), for rows that may legitimately change after joining."""
        return None


def audit_chain_append(record: AuditChained) -> None:
    """Makes ``record`` (saved) the newest link of its plan's chain."""
    model = type(record)
    with transaction.atomic():
        chain, _ = AuditChain.objects.select_for_update().get_or_create(plan_id=record.plan_id)
        # Hashed as stored, so the verifier reading the row back computes the same value.
        stored = model.objects.filter(pk=record.pk).values(*model.audit_columns()).get()
        seq = chain.length + 1
        previous = chain.head_sha256
        digest = link_sha256(
            record=model._meta.label_lower,
            pk=record.pk,
            seq=seq,
            previous=previous,
            fields=model.audit_fields(stored),
        )
        model.objects.filter(pk=record.pk).update(
            audit_seq=seq, audit_previous_sha256=previous, audit_sha256=digest
        )
        chain.length, chain.head_sha256 = seq, digest
        chain.save(update_fields=["length", "head_sha256", "updated_at"])
    record.audit_seq, record.audit_previous_sha256, record.audit_sha256 = seq, previous, digest


class PlanEvent(AppendOnly, AuditChained):
    """One thing that happened to a plan: a transition, comment, signature, export ...

    The plan's activity feed and its audit trail are this table, read in order. Every app that
    acts on a plan appends here through ``plans.events.event_record``; what an event is about
    in an app above plans (the comment of a comment event) is linked from that app's side, so
    the log points at nothing outside plans (docs/decisions/0311).
    """

    class Kind(models.TextChoices):
        TRANSITION = "transition", "Status changed"
        COMMENT = "comment", "Comment"
        REPLY = "reply", "Reply"
        COMMENT_RESOLVED = "comment_resolved", "Comment resolved"
        COMMENT_REOPENED = "comment_reopened", "Comment reopened"
        SNAPSHOT = "snapshot", "Named draft saved"
        RESTORE = "restore", "Earlier revision restored"
        SIGNATURE = "signature", "Signed"
        SIGNATURES_VOIDED = "signatures_voided", "Signatures voided"
        PDF_READY = "pdf_ready", "Signed PDF ready"
        EXPORT = "export", "Signed PDF downloaded"
        PARTICIPATION = "participation", "Practice participation"
        MOVE = "move", "Moved to a newer form"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    action = models.CharField(max_length=32, blank=True, help_text="The workflow action taken.")
    from_status = models.CharField(max_length=32, choices=Plan.Status.choices, blank=True)
    to_status = models.CharField(max_length=32, choices=Plan.Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    question = models.ForeignKey(
        TemplateQuestion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True, help_text="What the actor wrote with the action.")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    AUDIT_FIELDS = (
        "plan_id",
        "kind",
        "action",
        "from_status",
        "to_status",
        "actor_id",
        "question_id",
        "comment",
        "ip_address",
        "created_at",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["plan", "-created_at"], name="plan_event_recent")]

    def __str__(self):
        return f"{self.plan}: {self.get_kind_display()} by {self.actor}"


class PlanningRound(models.Model):
    """One year's planning round of a PCT: the form its consortia write on, who takes part and
    by when (docs/decisions/0430)."""

    commissioner = models.ForeignKey(Commissioner, on_delete=models.PROTECT, related_name="rounds")
    period = models.CharField(max_length=20, help_text='The plan year, such as "2007/08".')
    template = models.ForeignKey(PlanTemplate, on_delete=models.PROTECT, related_name="rounds")
    consortia = models.ManyToManyField(Consortium, related_name="planning_rounds")
    deadline = models.DateField(help_text="The day plans are due at the PCT.")
    interim_dates = models.JSONField(
        default=list, blank=True, help_text="[{label, date}] in date order, dates as YYYY-MM-DD."
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-period", "commissioner__name"]
        constraints = [
            models.UniqueConstraint(fields=["commissioner", "period"], name="one_round_a_year")
        ]

    def __str__(self):
        return f"{self.commissioner} planning round {self.period}"

    @property
    def interim(self) -> list[tuple[str, date]]:
        """The interim dates as (what is due, its date), to be shown as the service shows a date."""
        return [(item["label"], date.fromisoformat(item["date"])) for item in self.interim_dates]


class RoundReminder(models.Model):
    """A deadline reminder sent: one per round, person and days before, so a second run of the
    beat sends nothing again."""

    planning_round = models.ForeignKey(
        PlanningRound, on_delete=models.CASCADE, related_name="reminders"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["planning_round", "user", "days_before"], name="one_reminder_each"
            )
        ]

    def __str__(self):
        return f"{self.planning_round}: {self.days_before} days before, to {self.user}"


class Assignment(models.Model):
    """A part of a plan, or one question, given to a person in the consortium to write by a
    date. It locks nobody out; reassigning changes the holder of the same row, whose history
    keeps who held it before (docs/decisions/0434)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="assignments")
    part = models.ForeignKey(
        TemplatePart, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    question = models.ForeignKey(
        TemplateQuestion, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    due_on = models.DateField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(cascade_delete_history=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(part__isnull=False, question__isnull=True)
                | Q(part__isnull=True, question__isnull=False),
                name="assignment_part_or_question",
            ),
            models.UniqueConstraint(
                fields=["plan", "part"], condition=Q(part__isnull=False), name="one_holder_a_part"
            ),
            models.UniqueConstraint(
                fields=["plan", "question"],
                condition=Q(question__isnull=False),
                name="one_holder_a_question",
            ),
        ]

    def __str__(self):
        return f"{self.plan}: {self.section} to {self.assignee}"

    @property
    def section(self) -> TemplatePart | TemplateQuestion:
        return self.part if self.part_id else self.question


class Participation(AppendOnly):
    """A practice confirming, or withdrawing from, its part in a plan: by its lead signing in, or
    a PCT user recording the practice's letter with its date. Only ever added; the newest
    record of a practice is where it stands (docs/decisions/0435)."""

    class State(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Means(models.TextChoices):
        SIGNED_IN = "signed_in", "by its practice lead, signed in"
        WRITTEN = "written", "in writing, recorded by the PCT"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="participations")
    practice = models.ForeignKey(
        "consortia.Practice", on_delete=models.PROTECT, related_name="participations"
    )
    state = models.CharField(max_length=16, choices=State.choices)
    means = models.CharField(max_length=16, choices=Means.choices)
    on = models.DateField(help_text="The day the practice confirmed or withdrew.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [
            models.Index(fields=["plan", "practice", "-recorded_at"], name="participation_latest")
        ]

    def __str__(self):
        return f"{self.practice} {self.get_state_display().lower()} on {self.on}"
