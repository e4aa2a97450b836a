"""Loads the demo organisations, people and log-ins; safe to run again (nothing is duplicated)."""

from base64 import b32encode
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .credentials import AUTHENTICATOR_NAME, second_factor_required
from .models import Commissioner, Consortium, Person, PersonRole, Practice, User

DEMO_FILE = Path(__file__).parent / "demo" / "organisations.yaml"
# Printed by `make run`; demo accounts exist only where the demo loader was run.
DEMO_PASSWORD = "plans-demo-2026"  # noqa: S105
# The demo's signatories, reviewers and administrator share one authenticator key, printed with
# the log-ins: add it to an authenticator app once, or print the current code with
# `manage.py demo_code` (docs/decisions/0340-two-factor-for-signatories.md).
DEMO_TOTP_KEY = "7062632d706c616e732d64656d6f2d746f747021"


def demo_authenticator_key() -> str:
    """DEMO_TOTP_KEY as an authenticator app asks for it (base 32)."""
    return b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()


# The positions the demo's signatory log-ins hold (body, name): the ones the forms' sign-off
# blocks name, as migration 0004 made them from the signatory roles, and a Director of Finance
# for the PCT officer.
SIGNATORY_POSITIONS = {
    User.Role.CONSORTIUM_EXECUTIVE_CHAIR: ("", "Executive Chair"),
    User.Role.PEC_COMMITTEE_CHAIR: ("Joint PEC Commissioning Committee", "Chair"),
    User.Role.PCT_CHIEF_EXECUTIVE: ("", "Chief Executive"),
    User.Role.PCT_OFFICER: ("", "Director of Finance"),
}


def appoint_by_role(user: User) -> None:
    """Gives ``user`` the position their signatory role stands for, unless someone holds it."""
    if user.role not in SIGNATORY_POSITIONS:
        return
    body, name = SIGNATORY_POSITIONS[user.role]
    position = services.position_get_or_create(
        commissioner=user.commissioner, consortium=user.consortium, body=body, name=name
    )
    if not position.appointments.filter(ended_on__isnull=True).exists():
        services.position_assign(
            position=position, user=user, started_on=timezone.localdate(user.date_joined)
        )


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    organisation: str


def _load_people(people, *, commissioner, consortium):
    for person_data in people:
        person, _ = Person.objects.update_or_create(
            name=person_data["name"],
            commissioner=commissioner,
            consortium=consortium,
        )
        for position, role in enumerate(person_data.get("roles", [])):
            PersonRole.objects.update_or_create(
                person=person,
                kind=role["role"],
                detail=role.get("detail") or "",
                defaults={"position": position},
            )


def _demo_user(email, *, full_name, role, commissioner=None, consortium=None) -> User:
    user, created = User.objects.update_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "role": role,
            "commissioner": commissioner,
            "consortium": consortium,
            "is_staff": role == User.Role.SITE_ADMIN,
            "is_superuser": role == User.Role.SITE_ADMIN,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if second_factor_required(user) and not TOTPDevice.objects.filter(user=user).exists():
        TOTPDevice.objects.create(
            user=user, name=AUTHENTICATOR_NAME, key=DEMO_TOTP_KEY, confirmed=True
        )
    appoint_by_role(user)
    return user


def _chair_name(consortium: Consortium) -> str:
    chair = PersonRole.objects.filter(
        person__consortium=consortium, kind=PersonRole.Kind.EXECUTIVE_CHAIR
    ).first()
    return chair.person.name if chair else f"{consortium.name} Executive Chair (demo)"


@transaction.atomic
def load_organisations() -> list[DemoLogin]:
    data = yaml.load(DEMO_FILE.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    logins = [DemoLogin("admin@example.org", User.Role.SITE_ADMIN.label, "All organisations")]
    _demo_user("admin@example.org", full_name="Site administrator", role=User.Role.SITE_ADMIN)
    commissioners = {}
    for pct in data["pcts"]:
        commissioner, _ = Commissioner.objects.update_or_create(
            slug=pct["slug"], defaults={"name": pct["name"]}
        )
        commissioners[pct["slug"]] = commissioner
        _load_people(
            [
                {
                    "name": member["name"],
                    "roles": [{"role": "pct_support", "detail": member["role"]}],
                }
                for member in pct.get("support_team", [])
            ],
            commissioner=commissioner,
            consortium=None,
        )
        lead_name = next(
            (m["name"] for m in pct.get("support_team", []) if "lead" in m["role"].lower()),
            f"{commissioner.name} lead (demo)",
        )
        for prefix, role, name in (
            ("lead", User.Role.PCT_LEAD, lead_name),
            ("pec-chair", User.Role.PEC_COMMITTEE_CHAIR, f"{commissioner.name} PEC Chair (demo)"),
            (
                "chief-executive",
                User.Role.PCT_CHIEF_EXECUTIVE,
                f"{commissioner.name} Chief Executive (demo)",
            ),
            (
                "finance",
                User.Role.PCT_OFFICER,
                f"{commissioner.name} Director of Finance (demo)",
            ),
        ):
            email = f"{prefix}.{commissioner.slug}@example.org"
            _demo_user(email, full_name=name, role=role, commissioner=commissioner)
            logins.append(DemoLogin(email, role.label, commissioner.name))
    for item in data["consortia"]:
        commissioner = commissioners[item["pct"]]
        consortium, _ = Consortium.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "legal_name": item.get("legal_name") or "",
                "commissioner": commissioner,
                "declared_population": item.get("declared_population"),
            },
        )
        for position, practice in enumerate(item.get("practices", [])):
            Practice.objects.update_or_create(
                code=practice["code"],
                defaults={
                    "consortium": consortium,
                    "name": practice["name"],
                    "list_size": practice.get("list_size"),
                    "sites": practice.get("sites") or "",
                    "is_demo": bool(practice.get("demo")),
                    "position": position,
                },
            )
        _load_people(item.get("people", []), commissioner=commissioner, consortium=consortium)
        for prefix, role, name in (
            ("editor", User.Role.CONSORTIUM_EDITOR, f"{consortium.name} Practice Manager (demo)"),
            ("chair", User.Role.CONSORTIUM_EXECUTIVE_CHAIR, _chair_name(consortium)),
        ):
            email = f"{prefix}.{consortium.slug}@example.org"
            _demo_user(
                email, full_name=name, role=role, commissioner=commissioner, consortium=consortium
            )
            logins.append(DemoLogin(email, role.label, consortium.name))
    return logins
