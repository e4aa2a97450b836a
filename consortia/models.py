from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac

from .names import validate_shown_as_stored

practice_code_validator = RegexValidator(
    r"^[A-Z][0-9]{5}$",
    "Enter the national practice code: a capital letter then five digits, like E82001.",
)


class Commissioner(models.Model):
    """A PCT in the seed documents (an ICB today): it issues the plan form and reviews plans."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Consortium(models.Model):
    """A group of GP practices that writes one commissioning plan a year ("PBC group")."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    legal_name = models.CharField(max_length=200, blank=True)
    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="consortia"
    )
    declared_population = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The registered population the consortium declares, where it gives one.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "consortia"

    def __str__(self):
        return self.name

    def clean(self):
        # Its people and users carry the PCT too; moving the consortium alone would leave them
        # holding roles in a consortium outside their PCT.
        if self.pk and self.commissioner_id:
            moved = self.people.exclude(commissioner_id=self.commissioner_id).exists() or (
                self.users.exclude(commissioner_id=self.commissioner_id).exists()
            )
            if moved:
                raise ValidationError(
                    {
                        "commissioner": "This consortium's people and users belong to its "
                        "current PCT: move or remove them before moving the consortium."
                    }
                )


class Practice(models.Model):
    consortium = models.ForeignKey(Consortium, on_delete=models.PROTECT, related_name="practices")
    name = models.CharField(max_length=200)
    code = models.CharField(
        "national practice code", max_length=6, unique=True, validators=[practice_code_validator]
    )
    list_size = models.PositiveIntegerField(
        "registered list size",
        null=True,
        blank=True,
        help_text="Registered patients; leave empty where it is not known.",
    )
    sites = models.TextField(blank=True, help_text="Surgeries and branch sites, one a line.")
    is_demo = models.BooleanField(
        default=False, help_text="Invented for the demo: the source documents name no practice."
    )
    position = models.PositiveIntegerField(default=0)
    lead = models.ForeignKey(
        "User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices_led",
        verbose_name="practice lead",
        help_text="The consortium's person who confirms the practice's participation in a plan.",
    )

    class Meta:
        ordering = ["consortium", "position", "name"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def clean(self):
        # Only someone of the practice's own consortium speaks for it (docs/decisions/0435).
        if self.lead_id and self.lead.consortium_id != self.consortium_id:
            raise ValidationError(
                {"lead": "Choose a person of this practice's consortium as its lead."}
            )


class OfAnOrganisation:
    """A record of a PCT (``consortium`` empty) or of one of its consortia."""

    @property
    def organisation(self) -> Commissioner | Consortium:
        return self.consortium or self.commissioner

    def clean(self):
        super().clean()
        if (
            self.consortium_id
            and self.commissioner_id
            and self.consortium.commissioner_id != self.commissioner_id
        ):
            raise ValidationError(
                {
                    "consortium": f"{self.consortium} belongs to {self.consortium.commissioner}, "
                    f"not {self.commissioner}: choose a consortium of {self.commissioner}."
                }
            )


class Person(OfAnOrganisation, models.Model):
    """Someone named in a plan: a director, committee member, lead or member of the PCT team."""

    name = models.CharField(max_length=200)
    commissioner = models.ForeignKey(Commissioner, on_delete=models.PROTECT, related_name="people")
    consortium = models.ForeignKey(
        Consortium,
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
        help_text="Empty for the PCT's own staff.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name


class PersonRole(models.Model):
    class Kind(models.TextChoices):
        DIRECTOR = "director", "Director"
        EXECUTIVE_MEMBER = "executive_member", "Executive committee member"
        EXECUTIVE_CHAIR = "executive_chair", "Executive committee chair"
        CLINICAL_LEAD = "clinical_lead", "Clinical lead"
        MANAGERIAL_LEAD = "managerial_lead", "Managerial lead"
        PCT_SUPPORT = "pct_support", "PCT support team"

    CONSORTIUM_KINDS = frozenset(
        {
            Kind.DIRECTOR,
            Kind.EXECUTIVE_MEMBER,
            Kind.EXECUTIVE_CHAIR,
            Kind.CLINICAL_LEAD,
            Kind.MANAGERIAL_LEAD,
        }
    )

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    detail = models.CharField(
        max_length=200,
        blank=True,
        help_text="Discipline for a director, area for a clinical lead, role in the PCT team.",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "detail"], name="unique_person_role")
        ]

    def __str__(self):
        return f"{self.person}: {self.get_kind_display()}" + (
            f" ({self.detail})" if self.detail else ""
        )

    def clean(self):
        if self.kind in self.CONSORTIUM_KINDS and not self.person.consortium_id:
            raise ValidationError({"kind": "This role belongs to a consortium member."})
        if self.kind == self.Kind.PCT_SUPPORT and self.person.consortium_id:
            raise ValidationError({"kind": "The PCT support team is the PCT's own staff."})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An email address is needed.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, role=User.Role.SITE_ADMIN)
        return self.create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        """The account an address typed at any sign-in names: addresses are stored lowercased,
        so ``Editor.Banes@Example.org`` is editor.banes@example.org's (as the lockout counts it,
        pbc.auth.axes_username)."""
        return self.get(email=email.lower())


class User(AbstractUser):
    """A person who signs in. Their access role and organisation decide what they may do."""

    class Role(models.TextChoices):
        CONSORTIUM_EDITOR = "consortium_editor", "Practice manager (consortium editor)"
        CONSORTIUM_EXECUTIVE_CHAIR = "consortium_executive_chair", "Consortium executive chair"
        PCT_LEAD = "pct_lead", "PCT lead (reviewer)"
        PEC_COMMITTEE_CHAIR = "pec_committee_chair", "Joint PEC Commissioning Committee Chair"
        PCT_CHIEF_EXECUTIVE = "pct_chief_executive", "PCT chief executive"
        PCT_OFFICER = "pct_officer", "PCT officer (signs for a position they hold)"
        SITE_ADMIN = "site_admin", "Site administrator"

    CONSORTIUM_ROLES = frozenset({Role.CONSORTIUM_EDITOR, Role.CONSORTIUM_EXECUTIVE_CHAIR})
    COMMISSIONER_ROLES = frozenset(
        {Role.PCT_LEAD, Role.PEC_COMMITTEE_CHAIR, Role.PCT_CHIEF_EXECUTIVE, Role.PCT_OFFICER}
    )

    username = None
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200, validators=[validate_shown_as_stored])
    role = models.CharField(max_length=32, choices=Role.choices)
    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    consortium = models.ForeignKey(
        Consortium, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )

    class Notify(models.TextChoices):
        IMMEDIATELY = "immediately", "As each thing happens"
        DAILY = "daily", "Once a day, in one email"

    notify = models.CharField(
        "email me", max_length=16, choices=Notify.choices, default=Notify.IMMEDIATELY
    )
    #: Mixed into the hash of the password that each session holds: a new value ends every
    #: session at its next request, with no scan of the session store. Empty, the hash is
    #: Django's own (docs/decisions/0485-own-password-sessions-and-leavers-who-come-back.md).
    session_salt = models.CharField(max_length=32, blank=True, default="", editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]
    objects = UserManager()

    class Meta:
        ordering = ["full_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="unique_email_ignoring_case")]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def _session_hash(self, secret=None) -> str:
        # Django's own key salt and value, so sessions from before session_salt stay valid.
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            self.password + self.session_salt,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_session_auth_hash(self):
        return self._session_hash()

    def get_session_auth_fallback_hash(self):
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=fallback_secret)

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self):
        super().clean()
        self.email = self.email.lower()
        if self.role in self.CONSORTIUM_ROLES:
            if not self.consortium_id:
                raise ValidationError(
                    {"consortium": "Choose the consortium this person works for."}
                )
            if self.commissioner_id and self.commissioner_id != self.consortium.commissioner_id:
                raise ValidationError(
                    {"consortium": "This consortium belongs to another PCT than the one chosen."}
                )
            self.commissioner_id = self.consortium.commissioner_id
        elif self.role in self.COMMISSIONER_ROLES:
            if not self.commissioner_id:
                raise ValidationError({"commissioner": "Choose the PCT this person works for."})
            if self.consortium_id:
                raise ValidationError({"consortium": "PCT staff do not belong to a consortium."})
        # The access role alone opens the admin (docs/decisions/0102-admin-access-follows-role.md).
        self.is_staff = self.role == self.Role.SITE_ADMIN


class Position(OfAnOrganisation, models.Model):
    """A post whose holder signs plans for a PCT or a consortium, such as "Director of Finance".

    A form's sign-off block names positions, not people: whoever holds the position when the
    plan reaches it signs. ``body`` names a committee or board of the organisation whose post it
    is ("Joint PEC Commissioning Committee"); empty for the organisation's own posts.
    """

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="positions"
    )
    consortium = models.ForeignKey(
        Consortium,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        help_text="Empty for the PCT's own positions.",
    )
    body = models.CharField(
        max_length=200, blank=True, help_text="The committee or board the post belongs to, if any."
    )
    name = models.CharField(max_length=200, help_text="As the form prints it: Director of Finance.")

    class Meta:
        ordering = ["commissioner", "consortium", "body", "name"]
        constraints = [
            models.UniqueConstraint(
                "commissioner",
                Lower("body"),
                Lower("name"),
                condition=models.Q(consortium__isnull=True),
                name="one_pct_position_of_a_name",
            ),
            models.UniqueConstraint(
                "consortium",
                Lower("body"),
                Lower("name"),
                condition=models.Q(consortium__isnull=False),
                name="one_consortium_position_of_a_name",
            ),
        ]

    def __str__(self):
        return f"{self.label} at {self.organisation}"

    @property
    def label(self) -> str:
        return f"{self.body} {self.name}" if self.body else self.name


class Appointment(models.Model):
    """Someone holding a position from a date, until the next holder starts.

    Appointments are never deleted when a holder leaves: the position's history says who held it
    when each plan was signed. Only a handover recorded for a later day is removed, when the
    person taking over leaves before that day: it never began, so nothing was signed under it,
    and the people events keep both the handover and its undoing.
    """

    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="appointments")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="appointments")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["position"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_appointment_per_position",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="appointment_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.user} as {self.position.label} from {self.started_on}"


class Invitation(OfAnOrganisation, models.Model):
    """An email asking someone to join a PCT or a consortium with a role.

    The link carries a signed reference to the invitation and its ``nonce``; resending gives a new
    nonce, so only the latest link works, and accepting or revoking ends it
    (docs/decisions/0450-invitations-are-signed-single-use-links.md).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"
        EXPIRED = "expired", "Expired"

    email = models.EmailField("email address")
    full_name = models.CharField(max_length=200, validators=[validate_shown_as_stored])
    role = models.CharField(max_length=32, choices=User.Role.choices)
    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="invitations"
    )
    consortium = models.ForeignKey(
        Consortium, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations"
    )
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    nonce = models.CharField(max_length=64)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}> to {self.organisation}"

    def status_at(self, now) -> "Invitation.Status":
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if now >= self.expires_at:
            return self.Status.EXPIRED
        return self.Status.PENDING


class PeopleEvent(models.Model):
    """One change to people, roles or positions: who did it, what, when and from where.

    Rows are only ever added (docs/decisions/0453-people-changes-are-audit-events.md).
    """

    class Action(models.TextChoices):
        INVITED = "invited", "Invited"
        INVITATION_RESENT = "invitation_resent", "Invitation sent again"
        INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
        JOINED = "joined", "Joined"
        ROLE_CHANGED = "role_changed", "Role changed"
        DEACTIVATED = "deactivated", "Deactivated"
        REACTIVATED = "reactivated", "Reactivated"
        POSITION_ASSIGNED = "position_assigned", "Position handed over"
        POSITION_VACATED = "position_vacated", "Position left vacant"
        HANDOVER_CANCELLED = "handover_cancelled", "Handover cancelled"

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=32, choices=Action.choices)
    subject = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="people_events"
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    commissioner = models.ForeignKey(Commissioner, on_delete=models.PROTECT, related_name="+")
    consortium = models.ForeignKey(
        Consortium, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.TextField(blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}: {self.detail}"
