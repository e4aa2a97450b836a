"""A plan moved to a newer form before the move stored that form's rates still holds the older
version's (docs/decisions/0459): its answer is refused ("The form sets this at £2.40 a
patient"), so its figures are missing from its pages, PDF and downloads until someone saves it.

Forwards, each such answer of a plan still being written or reviewed gets the figure its form
sets, as a move now stores it and as the answer's next save would: a revision records it, and
its version rises so a page opened before is out of date. A plan approved or later is left as
it is: its content is what was signed, or is being signed. Reversed, an answer nobody has
saved since gets its earlier figures back.
"""

from decimal import Decimal, InvalidOperation

from django.db import migrations
from django.utils import timezone

from plans.kinds.base import stored

#: The figures a form sets that a kind also stores in its answers (``settled``), by kind.
SETTLED = {
    "des_funding": ("rate_per_patient", "practices_share_percent"),
    "outcome_framework": ("rate_per_patient",),
}
#: Draft, submitted, in review, changes requested: the content is not yet approved.
BEING_WRITTEN = ("draft", "submitted", "in_review", "changes_requested")
REASON = "stored the rates its form sets in place of those of the older version"
BEFORE = "as it was before the rates its form sets were stored"


def _figure(value) -> Decimal | None:
    try:
        number = Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None
    return number if number is not None and number.is_finite() else None


def _revision(apps, answer, reason: str):
    """The answer as it stands, recorded in its history as the service's."""
    Answer = apps.get_model("plans", "Answer")
    HistoricalAnswer = apps.get_model("plans", "HistoricalAnswer")
    revision = HistoricalAnswer(
        history_date=timezone.now(), history_type="~", history_change_reason=reason
    )
    for field in Answer._meta.concrete_fields:
        setattr(revision, field.attname, getattr(answer, field.attname))
    revision.save()


def forwards(apps, schema_editor):
    Answer = apps.get_model("plans", "Answer")
    HistoricalAnswer = apps.get_model("plans", "HistoricalAnswer")
    answers = Answer.objects.filter(
        question__kind__in=SETTLED, plan__status__in=BEING_WRITTEN
    ).select_related("question")
    for answer in answers.order_by("pk"):
        data = dict(answer.data or {})
        for name in SETTLED[answer.question.kind]:
            fixed = _figure((answer.question.parameters or {}).get(name))
            held = _figure(data.get(name))
            if fixed is not None and held is not None and held != fixed:
                data[name] = stored(fixed)
        if data == answer.data:
            continue
        if not HistoricalAnswer.objects.filter(id=answer.pk).exists():
            _revision(apps, answer, BEFORE)
        answer.data, answer.version = data, answer.version + 1
        # An update, not a save: the revision below is the history's one record of it.
        Answer.objects.filter(pk=answer.pk).update(data=data, version=answer.version)
        _revision(apps, answer, REASON)


def backwards(apps, schema_editor):
    Answer = apps.get_model("plans", "Answer")
    HistoricalAnswer = apps.get_model("plans", "HistoricalAnswer")
    for fix in HistoricalAnswer.objects.filter(history_change_reason=REASON).order_by("-pk"):
        answer = (
            Answer.objects.select_related("question").filter(pk=fix.id, version=fix.version).first()
        )
        before = (
            HistoricalAnswer.objects.filter(id=fix.id, history_id__lt=fix.history_id)
            .order_by("-history_id")
            .first()
        )
        if answer is None or before is None:
            continue  # saved since: what its editor saved stands
        data, held = dict(answer.data or {}), before.data or {}
        for name in SETTLED.get(answer.question.kind, ()):
            if name in held:
                data[name] = held[name]
        Answer.objects.filter(pk=answer.pk).update(data=data, version=answer.version + 1)
        fix.delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0014_planevent_move")]

    operations = [migrations.RunPython(forwards, backwards)]
