"""Everything after authoring: review comments, notifications, signatures and the rendered
PDFs. The plan's event log they write to is plans' own (``plans.models.PlanEvent``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from plans.models import AuditChained, Plan, PlanEvent, TemplatePart, TemplateQuestion


class Comment(models.Model):
    """A remark on a question, or on a quoted passage of its answer or of the form's guidance.

    A thread is a comment with ``parent`` empty and its replies; resolving applies to the
    thread. The quote is kept as written, so the comment still makes sense after the passage
    changes (it is then shown as outdated).
    """

    class Visibility(models.TextChoices):
        SHARED = "shared", "Shared with the consortium"
        INTERNAL = "internal", "PCT only"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    question = models.ForeignKey(
        TemplateQuestion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    part = models.ForeignKey(
        TemplatePart,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For comments on the form's own guidance, which is not an answer.",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    quote = models.TextField(blank=True, help_text="The passage the comment is about.")
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.SHARED
    )
    answer_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The answer's version when the comment was made."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["plan", "question"],
                condition=Q(parent__isnull=True, resolved_at__isnull=True),
                name="open_thread",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=False)
                | Q(question__isnull=False, part__isnull=True)
                | Q(question__isnull=True, part__isnull=False),
                name="thread_anchored_once",
            )
        ]

    def __str__(self):
        return f"{self.author}: {self.body[:60]}"


class CommentEvent(models.Model):
    """Which comment or reply an event of the plan's log is about.

    Kept on this side, so the log (plans) points at nothing of signoff's: the event's
    visibility is its comment's, so feeds and emails leave out the events of PCT-only threads
    (docs/decisions/0311).
    """

    event = models.OneToOneField(
        PlanEvent, on_delete=models.CASCADE, primary_key=True, related_name="comment_link"
    )
    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="event_links")

    def __str__(self):
        return f"{self.event} about {self.comment}"


class Notification(models.Model):
    """An email owed to one person about one event; sent at once or in their daily digest."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(PlanEvent, on_delete=models.CASCADE, related_name="notifications")
    reason = models.CharField(max_length=200, help_text="Why this person is told.")
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event"], name="one_notification_each")
        ]
        indexes = [
            models.Index(fields=["recipient"], condition=Q(emailed_at__isnull=True), name="unsent")
        ]

    def __str__(self):
        return f"To {self.recipient}: {self.event}"


class SignatureQuerySet(models.QuerySet):
    """Signatures are never deleted: a voided one stays on record, and only the live ones (not
    voided) count for the plan's signing (``signoff.signing.SigningState``)."""

    LIVE = Q(voided_at__isnull=True)

    def live(self):
        return self.filter(self.LIVE)

    def voided(self):
        return self.exclude(self.LIVE)


class SecondFactor(models.TextChoices):
    """What confirmed a signature beside the signatory's password (a passkey cannot sign:
    signoff.forms.SignatureForm asks for a code). "" for the signatures given before this was
    recorded: they say nothing rather than a guess."""

    NOT_RECORDED = "", "Not recorded"
    NONE = "none", "Password only (no second factor on the account)"
    AUTHENTICATOR = "authenticator", "Password and authenticator app code"
    RECOVERY_CODE = "recovery_code", "Password and recovery code"


class Signature(AuditChained):
    """One signatory's sign-off, bound to the SHA-256 of the approved plan's content.

    Signatures are never deleted: reopening the plan voids them, and the record stays. Each
    joins the plan's audit chain when it is given, covering what was signed; its voiding is
    the chain's "signatures voided" event (docs/decisions/0370).
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(
        max_length=200,
        help_text="The signatory's key in the form's sign-off block (its `key`).",
    )
    title = models.CharField(max_length=200, help_text="As the form prints it.")
    position = models.PositiveIntegerField(help_text="Order in the form's sign-off block.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    typed_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    content_sha256 = models.CharField(max_length=64)
    canonical_version = models.PositiveSmallIntegerField(
        default=2,
        help_text="The version of the plan's canonical content that content_sha256 is of "
        "(signoff/canonical.py); signatures given before version 2 are of version 1.",
    )
    second_factor = models.CharField(
        max_length=16,
        choices=SecondFactor.choices,
        blank=True,
        default=SecondFactor.NOT_RECORDED,
        help_text="What confirmed the signature with the password; empty for signatures given "
        "before it was recorded.",
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_reason = models.TextField(blank=True)

    objects = SignatureQuerySet.as_manager()

    AUDIT_FIELDS = (
        "plan_id",
        "role",
        "title",
        "position",
        "user_id",
        "typed_name",
        "signed_at",
        "ip_address",
        "user_agent",
        "content_sha256",
    )
    # Recorded since session 35: the signatures chained before keep their links
    # (docs/decisions/0498).
    AUDIT_FIELDS_WHEN_SET = ("second_factor",)

    class Meta:
        ordering = ["plan", "position", "signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "role"],
                condition=SignatureQuerySet.LIVE,
                name="one_live_signature_per_role",
            )
        ]

    def __str__(self):
        return f"{self.typed_name} ({self.title})"

    @property
    def signer(self) -> str:
        """Who signed: the account holder's name, as the PDF's certificate prints it."""
        return self.user.full_name or self.typed_name

    @property
    def confirmed_with(self) -> str:
        """What confirmed it ("Password and authenticator app code"), or "" where not recorded."""
        return self.get_second_factor_display() if self.second_factor else ""

    @property
    def typed_otherwise(self) -> bool:
        """Whether the signature they typed is something other than the account's name."""
        return self.typed_name.casefold() != self.signer.casefold()

    @classmethod
    def audit_unexplained(cls, plan_id: int) -> tuple[int, str] | None:
        """Reopening voids every live signature and records "signatures voided" in the chain,
        so a signature is void exactly when such an event follows its link."""
        voidings = PlanEvent.objects.filter(
            plan_id=plan_id, kind=PlanEvent.Kind.SIGNATURES_VOIDED, audit_seq__isnull=False
        ).values_list("audit_seq", flat=True)
        last_voiding = max(voidings, default=0)
        rows = cls.objects.filter(plan_id=plan_id, audit_seq__isnull=False).order_by("audit_seq")
        for pk, seq, voided_at in rows.values_list("pk", "audit_seq", "voided_at"):
            if voided_at is None and seq < last_voiding:
                return pk, "it is shown as live, but the plan was reopened after it was given"
            if voided_at is not None and seq > last_voiding:
                return pk, "it is shown as void, but no reopening after it voided it"
        return None


class PlanDocument(AuditChained):
    """A PDF of a plan, signed, approved or draft, and where its rendering has got to.

    A document joins the plan's audit chain when it is ready (its file never changes after),
    with the file's bytes hashed into its link.

    The PDF is kept in the database, so the web and worker containers share no disk and the
    file lands in the same transaction that marks it ready. One signed document per content
    hash: however often the task runs, there is one. A plan whose form ends at approval gets
    one approved document, sealed like a signed one, per approval (decision 0457).
    """

    class Kind(models.TextChoices):
        SIGNED = "signed", "Signed plan"
        APPROVED = "approved", "Approved plan"
        DRAFT = "draft", "Draft"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    content_sha256 = models.CharField(max_length=64, help_text="Of the plan content rendered.")
    revision = models.PositiveIntegerField(
        default=0, help_text="The plan's revision count when requested (printed on drafts)."
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    failure_reason = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    file_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)

    AUDIT_FIELDS = (
        "plan_id",
        "kind",
        "state",
        "content_sha256",
        "revision",
        "requested_by_id",
        "requested_at",
        "finished_at",
        "pdf",
        "file_sha256",
        "page_count",
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "content_sha256"],
                condition=Q(kind="signed"),
                name="one_signed_pdf_per_content",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} PDF of {self.plan} ({self.get_state_display()})"

    @classmethod
    def audit_due(cls) -> Q:
        return Q(state=cls.State.READY)

    def audit_is_due(self) -> bool:
        return self.state == self.State.READY


class SealCertificate(models.Model):
    """A certificate the service has sealed PDFs with: the current one and every one it
    replaced, so a PDF sealed before a rotation still verifies as sealed and the verification
    page can say which certificate sealed it. Only the public certificate is kept here; the
    key stays in the deployment's key file (docs/decisions/0371)."""

    fingerprint_sha256 = models.CharField(max_length=64, unique=True)
    subject = models.CharField(max_length=500)
    serial_number = models.CharField(max_length=100)
    not_valid_before = models.DateTimeField()
    not_valid_after = models.DateTimeField()
    pem = models.TextField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    replaced_at = models.DateTimeField(
        null=True, blank=True, help_text="When a newer certificate took over sealing."
    )

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"{self.subject} ({self.fingerprint_sha256[:16]}…)"
