"""The Celery tasks of plans, thin wrappers over plans/rounds.py."""

from celery import shared_task

from . import round_selectors, rounds


@shared_task(acks_late=True)
def send_round_reminders() -> int:
    """The planning rounds' deadline reminders due today; the beat runs it each morning and
    running it again sends nothing twice."""
    return rounds.round_reminders_send(on=round_selectors.today())
