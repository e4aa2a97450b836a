"""Records what confirmed each signature beside the password. Signatures given before say
nothing ("" is "Not recorded", never a guess), and their audit chain links stay valid: the
link covers the field only where it is set (Signature.AUDIT_FIELDS_WHEN_SET, docs/decisions/0498)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("signoff", "0011_plan_document_approved"),
    ]

    operations = [
        migrations.AddField(
            model_name="signature",
            name="second_factor",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not recorded"),
                    ("none", "Password only (no second factor on the account)"),
                    ("authenticator", "Password and authenticator app code"),
                    ("recovery_code", "Password and recovery code"),
                ],
                default="",
                help_text="What confirmed the signature with the password; empty for signatures given before it was recorded.",
                max_length=16,
            ),
        ),
    ]
