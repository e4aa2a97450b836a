"""A table filled in from the consortium's records when its plan was started is not done until
someone saves it (docs/decisions/0494). The answers already stored that were never saved
(version 0) but hold the rows of a prefilled question are marked as such."""

from django.db import migrations, models

HELP = (
    "Rows filled in from the consortium's records when the plan was started, not yet saved by "
    "a person."
)


def forwards(apps, schema_editor):
    Answer = apps.get_model("plans", "Answer")
    (
        Answer.objects.filter(version=0, carried_forward=False, autosaved=False)
        .exclude(question__prefill="")
        .exclude(rows=[])
        .update(prefilled=True)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0016_one_plan_a_round"),
    ]

    operations = [
        migrations.AddField(
            model_name="answer",
            name="prefilled",
            field=models.BooleanField(default=False, help_text=HELP),
        ),
        migrations.AddField(
            model_name="historicalanswer",
            name="prefilled",
            field=models.BooleanField(default=False, help_text=HELP),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
