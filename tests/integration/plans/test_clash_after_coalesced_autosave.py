"""A clash with someone whose autosaves were coalesced into one revision (docs/decisions/0004)
still offers both changes: the version the other editor started from is kept aside when its
revision is overwritten (docs/decisions/0499). When that kept copy is gone, the clash is the
one without a merge, and nothing typed is lost."""

import html
import re
from contextlib import suppress

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from consortia.models import User
from plans import history, services
from plans.models import Answer
from tests.factories import UserFactory
from tests.plan_factories import plan_with_every_kind

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
JSON = {"HTTP_ACCEPT": "application/json"}
KEY = "question-1"
FIRST = "<p>Our aim is fewer admissions.</p><p>We will review every referral.</p>"
THEIRS = FIRST.replace("fewer admissions", "fewer emergency admissions")
YOURS = FIRST.replace("every referral", "every referral each month")
BOTH = (
    "<p>Our aim is fewer emergency admissions.</p><p>We will review every referral each month.</p>"
)


@pytest.fixture
def plan():
    return plan_with_every_kind()


def editor_client(plan) -> Client:
    client = Client()
    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium))
    return client


def post(client, plan, text, *, base_version, autosave=False, merge_from=None, **extra):
    data = {f"q-{KEY}-base_version": base_version, f"q-{KEY}-text": text}
    if autosave:  # the page's script saving after a pause in typing
        data["autosave"] = "1"
    if merge_from is not None:  # the clash's "Use both changes" button
        data["merge-from"] = merge_from
    return client.post(reverse("answer_edit", args=[plan.pk, KEY]), data, **extra)


def answer(plan) -> Answer:
    return plan.answers.get(question__key=KEY)


@pytest.fixture
def their_autosaves_coalesced(plan, django_capture_on_commit_callbacks):
    """The other person's autosave made version 1, which this editor's tab opened; their next
    autosave, minutes later, overwrote that revision with version 2."""
    them = editor_client(plan)
    with django_capture_on_commit_callbacks(execute=True):
        post(them, plan, FIRST, base_version=0, autosave=True, **JSON)
        post(them, plan, THEIRS, base_version=1, autosave=True, **JSON)
    saved = answer(plan)
    assert saved.version == 2
    assert not saved.history.filter(version=1).exists()  # coalesced away


def test_a_clash_after_their_autosaves_were_coalesced_offers_both_changes_without_script(
    plan, their_autosaves_coalesced
):
    response = post(editor_client(plan), plan, YOURS, base_version=1)

    page = response.content.decode()
    assert response.status_code == 409
    assert ">Use both changes</button>" in page
    assert 'name="merge-from" value="1"' in page
    assert "no longer in this answer's history" not in page


def test_a_clash_after_their_autosaves_were_coalesced_offers_both_changes_in_the_script_reply(
    plan, their_autosaves_coalesced
):
    response = post(editor_client(plan), plan, YOURS, base_version=1, **JSON)

    assert response.status_code == 409
    assert ">Use both changes</button>" in response.json()["conflict"]["html"]


def test_both_changes_after_coalesced_autosaves_are_put_together_and_save(
    plan, their_autosaves_coalesced
):
    me = editor_client(plan)
    page = post(me, plan, YOURS, base_version=1, merge_from="1").content.decode()
    in_the_form = re.search(rf'<textarea name="q-{KEY}-text"[^>]*>(.*?)</textarea>', page, re.S)

    response = post(me, plan, html.unescape(in_the_form[1]), base_version=2)

    assert response.status_code == 302
    assert answer(plan).text == BOTH


def cache_unreachable(*args, **kwargs):
    raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.mark.parametrize("unreachable", [False, True], ids=["expired", "cache-unreachable"])
@pytest.mark.parametrize("json_reply", [False, True], ids=["form", "script"])
def test_when_the_kept_version_is_gone_the_clash_offers_no_merge_and_loses_nothing(
    plan, their_autosaves_coalesced, json_reply, unreachable, monkeypatch
):
    cache.clear()  # the kept version expired, or the cache was emptied
    if unreachable:  # or the cache cannot be read at all: still the clash, never an error
        monkeypatch.setattr(cache, "get", cache_unreachable)

    response = post(
        editor_client(plan), plan, YOURS, base_version=1, **(JSON if json_reply else {})
    )

    shown = response.json()["conflict"]["html"] if json_reply else response.content.decode()
    assert response.status_code == 409
    assert "no longer in this answer's history" in html.unescape(shown)
    assert "Use both changes" not in shown
    assert answer(plan).text == THEIRS  # theirs kept
    if not json_reply:
        assert "each month" in shown  # yours still in the form, to save over theirs or copy


def test_an_autosave_rolled_back_keeps_no_version_aside(plan, django_capture_on_commit_callbacks):
    them = UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium)
    services.answer_save(answer=answer(plan), user=them, base_version=0, text=FIRST, autosave=True)

    with (
        django_capture_on_commit_callbacks(execute=True),
        suppress(RuntimeError),
        transaction.atomic(),
    ):
        services.answer_save(
            answer=answer(plan), user=them, base_version=1, text=THEIRS, autosave=True
        )
        raise RuntimeError("the request failed after the save")

    assert answer(plan).version == 1
    assert history.base_at_version(answer(plan), 1).text == FIRST  # its revision, untouched
    assert cache.get(history._kept_base_key(answer(plan).pk, 1)) is None
