"""Reads inside ``consistent_reads`` see one snapshot of the database, so a cached fragment
and the key it is stored under describe one moment (plans.consistent_reads, decision 0425)."""

import threading

import pytest
from django.db import connection
from django.db.models import F

from plans.consistent_reads import consistent_reads
from plans.models import Answer
from tests.plan_factories import plan_with_questions

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def saved_by_another_process(answer: Answer) -> None:
    """A save through another connection, committed at once, as another web process does."""

    def save():
        try:
            Answer.objects.filter(pk=answer.pk).update(version=F("version") + 1)
        finally:
            connection.close()

    thread = threading.Thread(target=save)
    thread.start()
    thread.join()


def version_of(answer: Answer) -> int:
    return Answer.objects.values_list("version", flat=True).get(pk=answer.pk)


def test_a_save_made_meanwhile_is_not_seen_until_the_reads_end():
    answer = Answer.objects.filter(plan=plan_with_questions(questions=2)).first()

    with consistent_reads():
        before = version_of(answer)
        saved_by_another_process(answer)
        during = version_of(answer)

    assert during == before
    assert version_of(answer) == before + 1
