"""Parallel clients hammer one answer on PostgreSQL: no save is ever silently lost; and what
a save in flight holds up, and what it does not."""

import threading
from collections import Counter

import pytest
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse

from consortia.models import User
from plans import services
from plans.models import Answer, Plan
from tests.factories import UserFactory
from tests.plan_factories import plan_with_questions

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 20
SAVES_EACH = 50


def test_twenty_clients_saving_one_answer_lose_nothing():
    plan = plan_with_questions(questions=10)
    answer = plan.answers.get(question__key="question-1")
    url = reverse("answer_edit", args=[plan.pk, "question-1"])
    editors = [
        UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium)
        for _ in range(CLIENTS)
    ]
    outcomes: list[tuple[str, int, str]] = []
    problems: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def editor_session(number: int, user):
        client = Client()
        client.force_login(user)
        known_version = 0
        start.wait()
        try:
            for attempt in range(SAVES_EACH):
                text = f"<p>client {number} save {attempt}</p>"
                response = client.post(
                    url,
                    {"q-question-1-base_version": known_version, "q-question-1-text": text},
                    HTTP_ACCEPT="application/json",
                )
                body = response.json()
                with lock:
                    if response.status_code == 200:
                        outcomes.append(("accepted", body["version"], text))
                        known_version = body["version"]
                    elif response.status_code == 409:
                        current = body["conflict"]["version"]
                        if current <= known_version:
                            problems.append(f"409 without a newer version: {body}")
                        outcomes.append(("refused", current, text))
                        known_version = current
                    else:
                        problems.append(f"HTTP {response.status_code}: {body}")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=editor_session, args=(number, user))
        for number, user in enumerate(editors)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    answer.refresh_from_db()
    counts = Counter(kind for kind, _, _ in outcomes)
    accepted = [(version, text) for kind, version, text in outcomes if kind == "accepted"]
    revisions = list(
        answer.history.filter(history_type="~").order_by("version").values_list("version", "text")
    )
    print(
        f"\n{CLIENTS} clients x {SAVES_EACH} saves: {counts['accepted']} accepted, "
        f"{counts['refused']} refused with 409, final version {answer.version}, "
        f"{len(revisions)} revisions, silent overwrites: 0"
    )

    assert problems == []
    assert counts["accepted"] + counts["refused"] == CLIENTS * SAVES_EACH
    assert answer.version == counts["accepted"]
    # Every accepted save is its own revision, holding exactly the text that was accepted.
    assert sorted(accepted) == revisions
    assert len({version for version, _ in accepted}) == counts["accepted"]
    assert answer.text == revisions[-1][1]


def in_another_connection(work) -> str:
    """What ``work()`` gives from another database connection (as another web worker would
    run it), or the error it raised; a lock it would wait for more than 3 s for is an error."""
    outcome = []

    def run():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '3s'")
            outcome.append(work())
        except OperationalError as error:
            outcome.append(f"error: {error}")
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return outcome[0]


def test_a_save_in_flight_does_not_hold_up_saves_of_the_plans_other_answers():
    plan = plan_with_questions(questions=10)
    editor, colleague = (
        UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium) for _ in "ab"
    )
    mine, theirs = (plan.answers.get(question__key=key) for key in ("question-1", "question-2"))

    def colleague_autosaves():
        answer = Answer.objects.select_related("plan__consortium", "question").get(pk=theirs.pk)
        return services.answer_save(
            answer=answer, user=colleague, base_version=0, text="<p>Theirs</p>", autosave=True
        ).text

    with transaction.atomic():  # the first save's locks are held until this block ends
        services.answer_save(
            answer=mine, user=editor, base_version=0, text="<p>Mine</p>", autosave=True
        )
        assert in_another_connection(colleague_autosaves) == "<p>Theirs</p>"


def test_a_change_of_the_plans_state_waits_for_a_save_in_flight():
    plan = plan_with_questions(questions=10)
    editor = UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium)

    def lock_the_plan_as_a_change_of_state_does():
        with transaction.atomic():
            return Plan.objects.select_for_update(of=("self",), nowait=True).get(pk=plan.pk).status

    with transaction.atomic():
        services.answer_save(
            answer=plan.answers.get(question__key="question-1"),
            user=editor,
            base_version=0,
            text="<p>Draft</p>",
            autosave=True,
        )
        assert in_another_connection(lock_the_plan_as_a_change_of_state_does).startswith("error")
    assert in_another_connection(lock_the_plan_as_a_change_of_state_does) == Plan.Status.DRAFT
