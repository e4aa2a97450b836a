"""The demo's participation: 12 of DacCom's 19 practices have confirmed in writing, recorded by
Dacorum PCT's lead, and the practice manager leads the 13th, so signing in as them shows a
practice confirming and the payment moving (docs/decisions/0438). Running it again changes
nothing."""

from datetime import date

from consortia.models import User

from .models import Participation, Plan
from .participation import participation_record_written

CONFIRMED_PRACTICES = 12
#: The demo plan's year begins in April 2006; the practices wrote before it did.
LETTERS_DATED = date(2006, 3, 1)


def load_demo_participation() -> None:
    plan = Plan.objects.filter(
        consortium__slug="daccom", template__slug="daccom-locality-plan-2006"
    ).first()
    if plan is None or Participation.objects.filter(plan=plan).exists():
        return
    pct_lead = User.objects.get(email="lead.dacorum-pct@example.org")
    practices = list(plan.consortium.practices.all())
    for practice in practices[:CONFIRMED_PRACTICES]:
        participation_record_written(
            plan=plan, practice=practice, confirmed_on=LETTERS_DATED, user=pct_lead
        )
    thirteenth = practices[CONFIRMED_PRACTICES]
    thirteenth.lead = User.objects.get(email="editor.daccom@example.org")
    thirteenth.save(update_fields=["lead"])
