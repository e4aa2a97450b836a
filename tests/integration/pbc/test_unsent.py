"""A form posted by someone no longer signed in, or not yet past the second step, is kept and
sent again once they have signed in (pbc/security/unsent.py, pbc/views.unsent_post)."""

import html
import re
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from consortia.models import User
from plans.models import Answer
from signoff.models import Comment
from tests.factories import PASSWORD
from tests.plan_factories import plan_with_questions
from tests.review_factories import person
from tests.two_factor import authenticator, next_code

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
KEY = "question-1"
TESTSERVER = "http://testserver"
TYPED = "<p>Typed before lunch,\r\nsaved after it.</p>\r\n<p>Second paragraph & <b>more</b>.</p>"


@pytest.fixture
def plan():
    return plan_with_questions(questions=3)


@pytest.fixture
def editor(plan):
    return person(User.Role.CONSORTIUM_EDITOR, plan)


def answer_posted(text=TYPED, **extra):
    return {f"q-{KEY}-base_version": "0", f"q-{KEY}-text": text, "return-to": "question", **extra}


def sent_again_form(page: str) -> tuple[str, list[tuple[str, str]]]:
    """The address and the fields of the unsent page's "Send it again" form, as a browser
    would send them."""
    form = re.search(r'<form method="post" action="([^"]+)" novalidate>(.*?)</form>', page, re.S)
    assert form, "the page has no form to send it again"
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2))
    return html.unescape(form.group(1)), [(n, html.unescape(v)) for n, v in fields]


def question_part(plan) -> str:
    return plan.template.questions.select_related("part").get(key=KEY).part.key


def sent_list(page: str) -> list[str]:
    """The names under "See what was sent"."""
    listed = page[page.index('<dl class="nhsuk-summary-list">') : page.index("</dl>")]
    return re.findall(r'<dt class="nhsuk-summary-list__key">([^<]*)</dt>', listed)


def signing_in(client: Client, user, response) -> str:
    """Signs in through the sign-in page ``response`` was sent to, giving the code where the
    account has one; the address it is sent to afterwards."""
    reply = client.post(response.url, {"username": user.email, "password": PASSWORD})
    if reply.url.startswith(reverse("two_factor_verify")):
        reply = client.post(reply.url, {"code": next_code(authenticator(user))})
    return reply.url


def test_an_answer_posted_signed_out_is_kept_and_saved_as_typed_when_sent_again(plan, editor):
    client = Client()
    # Sent from the second page of the question's list: sent again there.
    url = reverse("answer_edit", args=[plan.pk, KEY]) + "?page=2"

    response = client.post(url, answer_posted())

    assert response.url == f"{reverse('login')}?{urlencode({'next': '/unsent/'})}&unsaved=kept"
    sign_in_page = html.unescape(client.get(response.url).text)
    assert "You were signed out, so what you sent was not saved" in sign_in_page
    assert "It has been kept. Sign in, and you can send it again." in sign_in_page
    assert signing_in(client, editor, response) == reverse("unsent")
    page = client.get(reverse("unsent")).text
    assert "<h1>What you sent was not saved</h1>" in page
    question = plan.template.questions.get(key=KEY)
    assert (
        f'an answer to <a href="{html.escape(url)}">{question.number} {question.title}</a>' in page
    )
    # Shown as typed to be read, never as markup, under the words the page gives its input.
    assert "&lt;p&gt;Second paragraph &amp; &lt;b&gt;more&lt;/b&gt;.&lt;/p&gt;" in page
    assert sent_list(page) == ["Answer"]
    action, fields = sent_again_form(page)
    assert action == url
    assert {name: value for name, value in fields if name != "csrfmiddlewaretoken"} == (
        answer_posted()
    )

    saved = client.post(action, dict(fields))

    assert saved.url == url  # back to the page it was sent from
    answer = Answer.objects.get(plan=plan, question__key=KEY)
    assert (answer.version, answer.updated_by) == (1, editor)
    assert "Typed before lunch," in answer.text and "Second paragraph" in answer.text
    assert client.get(reverse("unsent")).url == reverse("home")


def test_a_comment_posted_at_the_second_step_is_sent_again_once_the_code_is_given(plan):
    lead = person(User.Role.PCT_LEAD, plan)
    authenticator(lead)
    client = Client()
    client.post(reverse("login"), {"username": lead.email, "password": PASSWORD})
    prefix = f"comment-q-{KEY}"
    comment = {"question": KEY, f"{prefix}-body": "Which clinics?", f"{prefix}-quote": ""}
    part_page = reverse("part_detail", args=[plan.pk, question_part(plan)]) + "?view=all"

    response = client.post(
        reverse("comment_add", args=[plan.pk]), comment, headers={"referer": TESTSERVER + part_page}
    )

    assert response.url == (
        f"{reverse('two_factor_verify')}?{urlencode({'next': '/unsent/', 'unsaved': 'kept'})}"
    )
    code_page = html.unescape(client.get(response.url).text)
    assert "You have not finished signing in, so what you sent was not saved" in code_page
    assert "It has been kept. Enter your code, and you can send it again." in code_page
    assert not Comment.objects.filter(plan=plan).exists()
    code_given = client.post(response.url, {"code": next_code(authenticator(lead))})
    assert code_given.url == reverse("unsent")
    page = client.get(code_given.url).text
    # Back to the page the comment was written on, which the address it was sent to is not;
    # listed under the words of its form's labels.
    assert f'a form from <a href="{html.escape(part_page)}">this page</a>' in page
    assert sent_list(page) == ["Your comment"]
    action, fields = sent_again_form(page)
    client.post(action, dict(fields))
    assert Comment.objects.get(plan=plan).body == "Which clinics?"


@pytest.mark.parametrize(
    "referer", ["", "https://elsewhere.example/plans/", "http://testserver//elsewhere.example/x"]
)
def test_a_page_not_named_by_the_browser_or_not_this_sites_is_not_offered_as_a_link(
    plan, editor, referer
):
    client = Client()
    comment = {"question": KEY, f"comment-q-{KEY}-body": "Typed"}
    response = client.post(
        reverse("comment_add", args=[plan.pk]), comment, headers={"referer": referer}
    )
    signing_in(client, editor, response)

    page = client.get(reverse("unsent")).text

    assert "this browser sent a form, but no one was signed in" in page
    assert "elsewhere" not in page


def test_every_page_says_what_waits_until_it_is_sent_again_or_discarded(plan, editor):
    client = Client()
    response = client.post(reverse("answer_edit", args=[plan.pk, KEY]), answer_posted())
    signing_in(client, editor, response)

    home = client.get(reverse("home")).text
    discarded = client.post(reverse("unsent"), follow=True)

    assert "Something this browser sent before you signed in was not saved." in home
    assert "What was not saved has been discarded." in discarded.text
    assert "was not saved. <a" not in client.get(reverse("home")).text
    assert Answer.objects.get(plan=plan, question__key=KEY).version == 0


def test_a_post_carrying_a_password_is_never_kept(plan, editor):
    client = Client()
    url = reverse("plan_sign", args=[plan.pk])

    response = client.post(url, {"typed_name": "A Person", "password": PASSWORD, "confirmed": "on"})

    assert response.url == f"{reverse('login')}?next={url}&unsaved=1"
    assert "use your browser's back button" in html.unescape(client.get(response.url).text)
    signing_in(client, editor, response)
    assert client.get(reverse("unsent")).url == reverse("home")
    assert "pbc_unsent" not in client.session


def test_only_this_browsers_session_holds_what_it_sent(plan, editor):
    Client().post(reverse("answer_edit", args=[plan.pk, KEY]), answer_posted())
    other = Client()
    other.force_login(editor)

    assert other.get(reverse("unsent")).url == reverse("home")
    assert "was not saved" not in other.get(reverse("home")).text


def test_a_scripts_save_signed_out_is_left_to_the_script_which_saves_only_for_its_typist(
    plan, editor
):
    """The script keeps the text in its tab and saves it only for the person who typed it
    (docs/decisions/0504): kept in the browser's session, it would be offered to whoever signs
    in next on that browser."""
    client = Client()
    url = reverse("answer_edit", args=[plan.pk, KEY])

    refused = client.post(url, answer_posted(autosave="1"), HTTP_ACCEPT="application/json")

    assert refused.status_code == 401
    assert "pbc_unsent" not in client.session


def test_a_body_that_is_not_a_forms_is_not_kept(plan):
    client = Client()
    url = reverse("answer_edit", args=[plan.pk, KEY])

    response = client.post(url, '{"text": "x"}', content_type="application/json")

    assert response.url == f"{reverse('login')}?next={url}&unsaved=1"
    assert "pbc_unsent" not in client.session


def test_a_post_kept_over_an_hour_ago_is_no_longer_offered(plan, editor):
    """The next to sign in on the browser an hour later is more likely someone else."""
    client = Client()
    response = client.post(reverse("answer_edit", args=[plan.pk, KEY]), answer_posted())
    signing_in(client, editor, response)
    session = client.session
    sent_at = datetime.fromisoformat(session["pbc_unsent"]["sent_at"])
    session["pbc_unsent"]["sent_at"] = (sent_at - timedelta(minutes=61)).isoformat()
    session.save()

    assert "was not saved" not in client.get(reverse("home")).text
    assert client.get(reverse("unsent")).url == reverse("home")
    assert "pbc_unsent" not in client.session


def test_a_post_refused_unread_for_a_stale_token_leaves_the_kept_one_waiting(plan, editor):
    client = Client(enforce_csrf_checks=True)
    url = reverse("answer_edit", args=[plan.pk, KEY])
    client.get(reverse("login"))  # the token the sign-in form carries
    client.post(url, {**answer_posted(), "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    client.force_login(editor)

    refused = client.post(url, {**answer_posted(), "csrfmiddlewaretoken": "stale" * 8})

    assert refused.status_code == 403
    assert "pbc_unsent" in client.session
