"""A script's save made once the session has ended, or from a page older than the browser's
sign-in, is told so in JSON; a person posting a form is told on the page it reaches that it
was not saved (pbc/security/signed_out.py)."""

import html
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from consortia.models import User
from plans.models import Answer
from tests.factories import PASSWORD, UserFactory
from tests.plan_factories import plan_with_questions
from tests.two_factor import authenticator

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
JSON = {"HTTP_ACCEPT": "application/json"}
KEY = "question-1"


@pytest.fixture
def plan():
    return plan_with_questions(questions=10)


def posted(plan, text="<p>Typed after the session ended.</p>"):
    return {f"q-{KEY}-base_version": 0, f"q-{KEY}-text": text, "autosave": "1"}


def test_a_scripts_save_without_a_session_is_told_it_is_signed_out_and_nothing_is_saved(plan):
    url = reverse("answer_edit", args=[plan.pk, KEY])

    response = Client().post(url, posted(plan), **JSON)

    assert response.status_code == 401
    reply = response.json()
    assert reply["signed_out"].startswith("you are signed out. Your text is still here")
    assert reply["sign_in"] == f"{reverse('login')}?next={quote(url, safe='')}"
    assert Answer.objects.get(plan=plan, question__key=KEY).version == 0


def test_a_page_opened_without_a_session_and_signing_out_say_nothing_of_unsaved_work(plan):
    client = Client()
    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium))
    signed_out = client.post(reverse("logout"), follow=True)
    opened = client.get(reverse("answer_edit", args=[plan.pk, KEY]), follow=True)

    for response in (signed_out, opened):
        assert "unsaved" not in response.redirect_chain[-1][0]
        assert "was not saved" not in response.text


def test_a_signed_in_scripts_save_is_answered_as_before(plan):
    client = Client()
    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium))

    response = client.post(reverse("answer_edit", args=[plan.pk, KEY]), posted(plan), **JSON)

    assert response.status_code == 200
    assert response.json()["version"] == 1


def stale_page_post(plan, **extra):
    """The editor's post carrying a token from before their latest sign-in."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium))
    url = reverse("answer_edit", args=[plan.pk, KEY])
    client.get(url)
    old_token = client.cookies["csrftoken"].value
    client.cookies["csrftoken"] = "b" * 32
    return client.post(url, {**posted(plan), "csrfmiddlewaretoken": old_token}, **extra)


def test_a_scripts_save_from_a_page_older_than_the_sign_in_is_told_so_in_json(plan):
    response = stale_page_post(plan, **JSON)

    assert response.status_code == 403
    assert response.json()["stale_page"].startswith("this page no longer matches your sign-in")
    assert Answer.objects.get(plan=plan, question__key=KEY).version == 0


def test_a_form_posted_from_a_page_older_than_the_sign_in_gets_a_page_saying_what_to_do(plan):
    response = stale_page_post(plan)

    page = html.unescape(response.text)
    assert response.status_code == 403
    assert "<h1>This page was out of date, so nothing was saved</h1>" in page
    assert "Use your browser's back button to return to the page." in page


def test_a_scripts_save_from_a_session_still_at_the_second_step_is_told_to_give_the_code(plan):
    """Signed in again in another tab with the password, the code not yet given: the save is
    answered in the script's words, not with the code page it cannot read."""
    lead = UserFactory(role=User.Role.PCT_LEAD, commissioner=plan.consortium.commissioner)
    authenticator(lead)
    client = Client()
    client.post(reverse("login"), {"username": lead.email, "password": PASSWORD})
    url = reverse("answer_edit", args=[plan.pk, KEY])

    response = client.post(url, posted(plan), **JSON)

    assert response.status_code == 401
    reply = response.json()
    assert reply["signed_out"].startswith("you have not finished signing in. Your text is")
    assert reply["sign_in"] == f"{reverse('two_factor_verify')}?next={quote(url, safe='')}"
    assert Answer.objects.get(plan=plan, question__key=KEY).version == 0
    assert client.post(url, posted(plan)).url.startswith(reverse("two_factor_verify"))
