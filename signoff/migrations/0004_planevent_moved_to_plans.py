"""signoff lets go of the event log: its links and notifications point at plans.PlanEvent (the
same table and rows), and the admin's content type and permissions follow the model."""

import django.db.models.deletion
from django.db import migrations, models


def _content_type_moves(apps, *, old: str, new: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model="planevent").update(app_label=new)


def content_type_to_plans(apps, schema_editor):
    _content_type_moves(apps, old="signoff", new="plans")


def content_type_to_signoff(apps, schema_editor):
    _content_type_moves(apps, old="plans", new="signoff")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("plans", "0004_planevent"),
        ("signoff", "0003_comment_event"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="event",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to="plans.planevent",
                    ),
                ),
                migrations.AlterField(
                    model_name="commentevent",
                    name="event",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="comment_link",
                        serialize=False,
                        to="plans.planevent",
                    ),
                ),
                migrations.DeleteModel(name="PlanEvent"),
            ],
        ),
        migrations.RunPython(content_type_to_plans, content_type_to_signoff),
    ]
