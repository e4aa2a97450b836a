"""The part page's cached blocks (plans.fragments, docs/decisions/0420): whatever changes shows
at once, nothing of one reader reaches another, and two web processes share one cache."""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.template import RequestContext, Template
from django.urls import reverse

from consortia.models import User
from plans import presenters, services
from plans.models import Answer, PlanTemplate, TemplateQuestion
from signoff import services as review_services
from tests import services as test_services
from tests.plan_factories import plan_with_questions
from tests.review_factories import person
from tests.two_factor import signed_in

Role = User.Role
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def plan():
    return plan_with_questions(questions=4)


def part_page(client, plan) -> str:
    response = client.get(reverse("part_detail", args=[plan.pk, first_question(plan).part.key]))
    assert response.status_code == 200
    return response.content.decode()


def first_question(plan) -> TemplateQuestion:
    """The first rich-text question (its part has three with the fair-shares one's PCT part)."""
    return plan.template.questions.get(key="question-1")


def save(plan, user, text):
    answer = Answer.objects.get(plan=plan, question=first_question(plan))
    return services.answer_save(
        answer=answer, user=user, text=text, base_version=answer.version, autosave=True
    )


def answer_forms(page: str) -> list[str]:
    return re.findall(r'<form class="app-answer-form".*?</form>', page, re.S)


def test_an_edit_shows_at_once(plan, editor):
    client = signed_in(editor)
    part_page(client, plan)

    save(plan, editor, "<p>Freshly written words</p>")

    assert "Freshly written words" in part_page(client, plan)


def test_a_comment_shows_at_once(plan, editor):
    client = signed_in(editor)
    part_page(client, plan)

    review_services.comment_add(
        plan=plan, user=editor, body="A comment made just now", question=first_question(plan)
    )

    assert "A comment made just now" in part_page(client, plan)


def test_a_permission_change_shows_at_once(plan, editor):
    client = signed_in(editor)
    assert answer_forms(part_page(client, plan))

    editor.role = Role.PCT_LEAD
    editor.commissioner = plan.consortium.commissioner
    editor.consortium = None
    editor.save()
    client.force_login(editor)  # a lead gives the second factor

    assert answer_forms(part_page(client, plan)) == []


def test_a_change_to_a_draft_form_shows_at_once(plan, editor):
    # A published form never changes (docs/decisions/0331): only a draft's questions do.
    PlanTemplate.objects.filter(pk=plan.template_id).update(status=PlanTemplate.Status.DRAFT)
    client = signed_in(editor)
    part_page(client, plan)

    TemplateQuestion.objects.filter(pk=first_question(plan).pk).update(
        note="<p>A note added to the draft form</p>", note_ref="N1"
    )

    assert "A note added to the draft form" in part_page(client, plan)


def test_each_reader_gets_their_own_csrf_token_in_a_cached_block(plan, editor):
    other = person(Role.CONSORTIUM_EDITOR, plan)
    first, second = signed_in(editor), signed_in(other)
    part_page(first, plan)

    page = part_page(second, plan)

    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert tokens
    secret = second.cookies["csrftoken"].value
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}


def test_a_readers_choices_never_reach_another(plan, editor):
    lead = person(Role.PCT_LEAD, plan)
    part_page(signed_in(lead), plan)  # the lead may keep a comment internal

    page = part_page(signed_in(editor), plan)

    assert "only: the consortium does not see it" not in page
    assert "only: the consortium does not see it" in part_page(signed_in(lead), plan)


def test_a_reviewers_page_is_not_the_editors(plan, editor):
    part_page(signed_in(editor), plan)

    page = part_page(signed_in(person(Role.PCT_LEAD, plan)), plan)

    assert answer_forms(page) == []


@pytest.mark.redis
def test_an_edit_through_one_process_shows_at_once_through_another(plan, editor):
    """Two clients on one Redis cache stand in for two web processes (as production runs:
    pbc/settings/production.py keeps the cache in Redis)."""
    with test_services.one_redis_cache(f"test-fragments-{plan.pk}"):
        reader, writer = signed_in(editor), signed_in(editor)
        part_page(reader, plan)
        key = first_question(plan).key
        response = test_services.save_as_json(writer, plan, key, "<p>Saved through the other</p>")
        assert response.status_code == 200

        assert "Saved through the other" in part_page(reader, plan)


def test_a_block_found_in_the_cache_is_shown_without_working_out_its_figures_or_form(
    plan, editor, monkeypatch
):
    client = signed_in(editor)
    first = part_page(client, plan)

    def refused(*args, **kwargs):
        raise AssertionError("a cached block's figures were worked out again")

    monkeypatch.setattr(presenters, "present_answer", refused)
    again = part_page(client, plan)

    assert answer_forms(again) and len(answer_forms(again)) == len(answer_forms(first))


def test_an_edit_works_out_only_the_changed_blocks_figures_again(plan, editor, monkeypatch):
    client = signed_in(editor)
    part_page(client, plan)
    presented = []
    present_answer = presenters.present_answer
    monkeypatch.setattr(
        presenters,
        "present_answer",
        lambda row, *args, **kwargs: (
            presented.append(row.question.key) or present_answer(row, *args, **kwargs)
        ),
    )

    save(plan, editor, "<p>Only this one changed</p>")
    page = part_page(client, plan)

    assert presented == [first_question(plan).key]
    assert "Only this one changed" in page


# --- Each question's comment block (signoff.presenters.comments: CommentBlock.key) ---------


def comment_on_first_question(plan, user, body, **kwargs):
    return review_services.comment_add(
        plan=plan, user=user, body=body, question=first_question(plan), **kwargs
    )


def test_a_pct_only_comment_never_reaches_a_consortium_reader_from_the_cache(plan, editor):
    lead = person(Role.PCT_LEAD, plan)
    comment_on_first_question(plan, lead, "Kept inside the PCT", visibility="internal")
    assert "Kept inside the PCT" in part_page(signed_in(lead), plan)

    page = part_page(signed_in(editor), plan)

    assert "Kept inside the PCT" not in page


def test_a_reply_and_a_resolve_show_at_once_in_a_cached_comment_block(plan, editor):
    client = signed_in(editor)
    thread = comment_on_first_question(plan, editor, "Is this figure right?")
    part_page(client, plan)

    review_services.comment_reply(thread=thread, user=editor, body="Checked: it is")
    assert "Checked: it is" in part_page(client, plan)

    review_services.comment_resolve(thread=thread, user=editor)
    assert "Resolved by" in part_page(client, plan)


def test_every_form_in_a_cached_comment_block_carries_the_readers_own_csrf_token(plan, editor):
    other = person(Role.CONSORTIUM_EDITOR, plan)
    comment_on_first_question(plan, editor, "A thread to reply to")
    first, second = signed_in(editor), signed_in(other)
    part_page(first, plan)

    page = part_page(second, plan)

    assert "pbc:csrf-token" not in page
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) >= 3  # the answer form, the reply and the resolve forms
    secret = second.cookies["csrftoken"].value
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}


def test_the_editors_assets_rendered_once_carry_each_responses_own_nonce(plan, editor):
    client = signed_in(editor)

    nonces = []
    for _ in range(2):
        response = client.get(reverse("part_detail", args=[plan.pk, first_question(plan).part.key]))
        importmap = re.search(
            r'<script type="importmap" nonce="([^"]+)"', response.content.decode()
        )
        assert importmap and importmap.group(1) in response.headers["Content-Security-Policy"]
        nonces.append(importmap.group(1))

    assert nonces[0] != nonces[1]


def test_djangos_own_csrf_token_in_a_cached_block_is_each_readers_own(rf):
    block = Template(
        "{% load plans_tags %}{% cached_fragment key %}<form>{% csrf_token %}</form>"
        "{% endcached_fragment %}"
    )

    for _ in range(2):  # the second is served from the cache
        request = rf.get("/")
        html = block.render(RequestContext(request, {"key": "fragment:test:csrf-token"}))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
