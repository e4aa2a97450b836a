from django.db import migrations, models

HELP = (
    "The version of the plan's canonical content that content_sha256 is of "
    "(signoff/canonical.py); signatures given before version 2 are of version 1."
)


def version_field(default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(default=default, help_text=HELP)


class Migration(migrations.Migration):
    """Signatures record the canonical content version they hash: those given before version 2
    hash version 1; new ones default to 2 (signoff/canonical.py)."""

    dependencies = [("signoff", "0009_seal_certificate")]

    operations = [
        migrations.AddField(
            model_name="signature", name="canonical_version", field=version_field(1)
        ),
        migrations.AlterField(
            model_name="signature", name="canonical_version", field=version_field(2)
        ),
    ]
