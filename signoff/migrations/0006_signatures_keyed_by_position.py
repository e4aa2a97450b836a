"""A signature names its signatory by the form's position (signoff.signing.signatory_key), no
longer by the access role it was given under."""

from django.db import migrations

# Kept in step with plans 0006: the key of each role's position.
ROLE_KEYS = {
    "consortium_executive_chair": "consortium-executive-chair",
    "pec_committee_chair": "pct-joint-pec-commissioning-committee-chair",
    "pct_chief_executive": "pct-chief-executive",
    "consortium_editor": "consortium-practice-manager",
    "pct_lead": "pct-lead",
}


def _rename(apps, names: dict[str, str]) -> None:
    Signature = apps.get_model("signoff", "Signature")
    for old, new in names.items():
        # Signatures are never deleted and carry no history: a plain update loses nothing.
        Signature.objects.filter(role=old).update(role=new)


def forward(apps, schema_editor):
    _rename(apps, ROLE_KEYS)


def backward(apps, schema_editor):
    _rename(apps, {key: role for role, key in ROLE_KEYS.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("signoff", "0005_signature_key_length"),
        ("plans", "0006_signatories_as_positions"),
    ]

    operations = [migrations.RunPython(forward, backward)]
