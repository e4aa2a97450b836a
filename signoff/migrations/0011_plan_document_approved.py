from django.db import migrations, models


class Migration(migrations.Migration):
    """A plan whose form ends at approval gets a sealed PDF of kind "approved" (decision 0457)."""

    dependencies = [("signoff", "0010_signature_canonical_version")]

    operations = [
        migrations.AlterField(
            model_name="plandocument",
            name="kind",
            field=models.CharField(
                choices=[
                    ("signed", "Signed plan"),
                    ("approved", "Approved plan"),
                    ("draft", "Draft"),
                ],
                max_length=16,
            ),
        ),
    ]
