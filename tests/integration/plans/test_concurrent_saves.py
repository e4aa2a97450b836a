"""Parallel clients hammer one answer on PostgreSQL: no save is ever silently lost."""

import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from consortia.models import User
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
