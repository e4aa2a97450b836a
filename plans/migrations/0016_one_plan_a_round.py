"""One plan a consortium in each planning round (docs/decisions/0462). Safe on existing data:
plans have only ever been started in a round by ``round_plan_start``, which refused a second
under a lock on the consortium."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consortia", "0007_people_event_handover_cancelled"),
        ("plans", "0015_moved_plans_store_the_forms_rates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("planning_round__isnull", False)),
                fields=("consortium", "planning_round"),
                name="one_plan_a_round",
            ),
        ),
    ]
