"""Events point at their comment from signoff's side (CommentEvent), and the event log's table
is handed to plans, rows and ids kept (docs/decisions/0310, 0311)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

BATCH = 2000


def links_from_events(apps, schema_editor):
    """One CommentEvent for every event that named its comment."""
    PlanEvent = apps.get_model("signoff", "PlanEvent")
    CommentEvent = apps.get_model("signoff", "CommentEvent")
    pairs = (
        PlanEvent.objects.filter(about_comment__isnull=False)
        .order_by("pk")
        .values_list("pk", "about_comment_id")
    )
    batch = []
    for event_id, comment_id in pairs.iterator(chunk_size=BATCH):
        batch.append(CommentEvent(event_id=event_id, comment_id=comment_id))
        if len(batch) == BATCH:
            CommentEvent.objects.bulk_create(batch)
            batch = []
    CommentEvent.objects.bulk_create(batch)


def events_from_links(apps, schema_editor):
    PlanEvent = apps.get_model("signoff", "PlanEvent")
    CommentEvent = apps.get_model("signoff", "CommentEvent")
    PlanEvent.objects.update(
        about_comment_id=Subquery(
            CommentEvent.objects.filter(event_id=OuterRef("pk")).values("comment_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("signoff", "0002_event_about_comment"),
    ]

    operations = [
        migrations.CreateModel(
            name="CommentEvent",
            fields=[
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="comment_link",
                        serialize=False,
                        to="signoff.planevent",
                    ),
                ),
                (
                    "comment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="event_links",
                        to="signoff.comment",
                    ),
                ),
            ],
        ),
        migrations.RunPython(links_from_events, events_from_links),
        migrations.RemoveField(model_name="planevent", name="about_comment"),
        # The table takes plans' name now; plans.0003 adopts it as its own model.
        migrations.AlterModelTable(name="planevent", table="plans_planevent"),
    ]
