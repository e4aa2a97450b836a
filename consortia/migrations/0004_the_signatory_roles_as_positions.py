"""The three signatory roles become positions: each consortium's Executive Chair, each PCT's
Chief Executive and its Joint PEC Commissioning Committee's Chair, held by whoever had the role.

Where several people had one role in one organisation, the first to join holds the position; the
others can be appointed on the organisation page (a position has one holder at a time).
"""

from django.db import migrations

# (role, side, body, name): kept in step with plans 0006 and signoff 0006.
ROLE_POSITIONS = (
    ("consortium_executive_chair", "consortium", "", "Executive Chair"),
    ("pec_committee_chair", "pct", "Joint PEC Commissioning Committee", "Chair"),
    ("pct_chief_executive", "pct", "", "Chief Executive"),
)


def forward(apps, schema_editor):
    Commissioner = apps.get_model("consortia", "Commissioner")
    Consortium = apps.get_model("consortia", "Consortium")
    Position = apps.get_model("consortia", "Position")
    Appointment = apps.get_model("consortia", "Appointment")
    User = apps.get_model("consortia", "User")
    organisations = [(pct.pk, None) for pct in Commissioner.objects.all()] + [
        (consortium.commissioner_id, consortium.pk) for consortium in Consortium.objects.all()
    ]
    for commissioner_id, consortium_id in organisations:
        for role, side, body, name in ROLE_POSITIONS:
            if (side == "consortium") != (consortium_id is not None):
                continue
            position = Position.objects.create(
                commissioner_id=commissioner_id, consortium_id=consortium_id, body=body, name=name
            )
            holders = User.objects.filter(role=role, is_active=True)
            if consortium_id is None:
                holders = holders.filter(commissioner_id=commissioner_id)
            else:
                holders = holders.filter(consortium_id=consortium_id)
            holder = holders.order_by("date_joined", "pk").first()
            if holder is not None:
                Appointment.objects.create(
                    position=position, user=holder, started_on=holder.date_joined.date()
                )


def backward(apps, schema_editor):
    # Going back, signing follows the roles again; the positions made here go.
    Position = apps.get_model("consortia", "Position")
    Appointment = apps.get_model("consortia", "Appointment")
    for _role, side, body, name in ROLE_POSITIONS:
        made = Position.objects.filter(body=body, name=name, consortium__isnull=side == "pct")
        Appointment.objects.filter(position__in=made).delete()
        made.delete()


class Migration(migrations.Migration):
    dependencies = [("consortia", "0003_positions_and_appointments")]

    operations = [migrations.RunPython(forward, backward)]
