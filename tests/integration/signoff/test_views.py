"""The review and signing screens, as their users meet them."""

import lxml.html
import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from consortia.models import User
from plans import services as plan_services
from plans.models import Plan, PlanEvent
from signoff import services
from signoff.errors import Refused
from tests.factories import PASSWORD
from tests.pages import refused_on
from tests.review_factories import (
    SIGNATORIES,
    person,
    put_in_state,
    signature_for,
    three_signatory_plan,
)
from tests.two_factor import authenticator, recovery_code

Role = User.Role
Status = Plan.Status
pytestmark = pytest.mark.django_db


def test_an_editor_submits_from_the_plan_page_and_is_told_what_happens_next(client):
    plan = three_signatory_plan()
    client.force_login(person(Role.CONSORTIUM_EDITOR, plan))

    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Submit the plan to the PCT" in page
    response = client.post(reverse("plan_action", args=[plan.pk, "submit"]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("plan_detail", args=[plan.pk])
    assert "The plan has been submitted to the PCT" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


def test_submitting_an_incomplete_plan_lists_what_is_missing_and_whose_it_is(client):
    plan = three_signatory_plan(answered=False)
    client.force_login(person(Role.CONSORTIUM_EDITOR, plan))

    page = client.get(reverse("plan_action", args=[plan.pk, "submit"])).content.decode()
    response = client.post(reverse("plan_action", args=[plan.pk, "submit"]))

    assert "required questions are still empty" in page
    assert "2.1 Question 1" in page and "Fair shares weighting" not in page
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_a_request_for_changes_without_a_summary_is_refused_on_the_field(client):
    plan = put_in_state(three_signatory_plan(), Status.IN_REVIEW)
    client.force_login(person(Role.PCT_LEAD, plan))
    url = reverse("plan_action", args=[plan.pk, "request_changes"])

    response = client.post(url, {"comment": "  "})
    page = response.content.decode()

    assert response.status_code == 400
    assert "There is a problem" in page
    assert 'href="#id_comment"' in page
    plan.refresh_from_db()
    assert plan.status == Status.IN_REVIEW


def request_changes_page(client, *, summary: str | None = None):
    """The request-changes page of a plan in review as a PCT lead meets it, or as they are
    answered after sending ``summary``."""
    plan = put_in_state(three_signatory_plan(), Status.IN_REVIEW)
    client.force_login(person(Role.PCT_LEAD, plan))
    url = reverse("plan_action", args=[plan.pk, "request_changes"])
    return client.get(url) if summary is None else client.post(url, {"comment": summary})


def test_the_request_for_changes_gives_its_limit_before_anything_is_typed(client):
    page = request_changes_page(client).content.decode()

    assert "You can enter up to 10,000 characters" in page
    assert 'data-module="nhsuk-character-count" data-maxlength="10000"' in page
    assert " maxlength=" not in page  # the browser would cut pasted text short


def test_a_summary_over_the_limit_gives_the_limit_and_counts_what_was_typed(client):
    response = request_changes_page(client, summary="word " * 2160)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Summary must be 10,000 characters or fewer; you have typed 10,800." in page
    assert "Ensure this value" not in page


def test_the_consortium_sees_the_pcts_summary_on_the_plan_page(client):
    plan = put_in_state(three_signatory_plan(), Status.IN_REVIEW)
    lead = person(Role.PCT_LEAD, plan, full_name="Pat Lead")
    services.plan_request_changes(
        plan=plan, user=lead, summary="Say who leads <b>each</b> project."
    )
    client.force_login(person(Role.CONSORTIUM_EDITOR, plan))

    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()

    assert "The PCT has asked for changes" in page
    assert "Say who leads &lt;b&gt;each&lt;/b&gt; project." in page
    assert "Pat Lead on" in page


def test_a_lost_race_shows_what_the_other_reviewer_did(client):
    plan = put_in_state(three_signatory_plan(), Status.IN_REVIEW)
    first = person(Role.PCT_LEAD, plan, full_name="Ann Approver")
    services.plan_approve(plan=plan, user=first)
    client.force_login(person(Role.PCT_LEAD, plan))

    response = client.post(
        reverse("plan_action", args=[plan.pk, "request_changes"]), {"comment": "Too late"}
    )

    assert response.status_code == 403
    assert "Ann Approver approved the plan" in response.content.decode()


def post_signature(client, plan, chair, *, typed_name="Dr Alice Chair", password=PASSWORD, **extra):
    """The chair signs ``plan`` on the sign page, with a recovery code for the second step."""
    data = {
        "typed_name": typed_name,
        "password": password,
        "code": recovery_code(chair),
        "confirmed": "on",
    }
    return client.post(reverse("plan_sign", args=[plan.pk]), data, **extra)


def test_signing_with_a_wrong_password_keeps_the_typed_name_and_says_why(client):
    plan = put_in_state(three_signatory_plan(), Status.APPROVED)
    chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
    client.force_login(chair)

    response = post_signature(client, plan, chair, password="nope")
    page = response.content.decode()

    assert response.status_code == 400
    assert "That is not your password" in page
    assert 'href="#id_password">That is not your password' in page, "the summary leads to it"
    assert 'value="Dr Alice Chair"' in page
    assert not plan.signatures.exists()


def test_signing_with_a_wrong_code_says_so_at_the_code_box(client):
    plan = put_in_state(three_signatory_plan(), Status.APPROVED)
    chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
    client.force_login(chair)

    data = {
        "typed_name": "Dr Alice Chair",
        "password": PASSWORD,
        "code": "000000",
        "confirmed": "on",
    }
    response = client.post(reverse("plan_sign", args=[plan.pk]), data)
    page = response.content.decode()

    assert response.status_code == 400

    assert 'href="#id_code">That code is not right' in page
    assert not plan.signatures.exists()


def chair_signs_as(client, *, typed_name: str):
    """An approved plan's chair posts the sign page as ``typed_name``, which is refused."""
    plan = put_in_state(three_signatory_plan(), Status.APPROVED)
    chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
    client.force_login(chair)
    response = post_signature(client, plan, chair, typed_name=typed_name)
    assert not plan.signatures.exists()
    return response


def test_a_typed_name_over_the_limit_gives_the_limit_and_counts_what_was_typed(client):
    page = chair_signs_as(client, typed_name="x" * 10_000).content.decode()

    assert "Your full name must be 200 characters or fewer; you have typed 10,000." in page
    assert "Ensure this value" not in page


@pytest.mark.parametrize(
    ("send", "error_link", "kept_as_typed"),
    [
        pytest.param(
            lambda client: request_changes_page(client, summary="Say who\x00 leads"),
            '<a href="#id_comment">Summary holds a character that cannot be stored',
            "Say who\x00 leads</textarea>",
            id="in_the_summary",
        ),
        pytest.param(
            lambda client: chair_signs_as(client, typed_name="Dr Alice\x00 Chair"),
            '<a href="#id_typed_name">Your full name holds a character that cannot be',
            'value="Dr Alice\x00 Chair"',
            id="in_the_typed_name",
        ),
    ],
)
def test_a_null_character_is_refused_on_the_field_by_its_label(
    client, send, error_link, kept_as_typed
):
    response = send(client)

    page = response.content.decode()
    assert response.status_code == 400
    assert error_link in page
    assert kept_as_typed in page


def test_signing_records_who_where_and_what_was_signed(client):
    plan = put_in_state(three_signatory_plan(), Status.APPROVED)
    chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
    client.force_login(chair)

    page = client.get(reverse("plan_sign", args=[plan.pk])).content.decode()
    response = post_signature(
        client,
        plan,
        chair,
        HTTP_USER_AGENT="Test browser 1.0",
        REMOTE_ADDR="192.0.2.10",
        follow=True,
    )

    signature = plan.signatures.get()
    assert signature.content_sha256 in page
    assert "You have signed the plan as Consortium Executive Chair" in response.content.decode()
    assert (signature.typed_name, signature.ip_address, signature.user_agent) == (
        "Dr Alice Chair",
        "192.0.2.10",
        "Test browser 1.0",
    )
    assert PlanEvent.objects.get(plan=plan, kind="signature").ip_address == "192.0.2.10"


def test_the_next_signatory_is_offered_the_sign_button_and_no_one_else(client):
    plan = put_in_state(three_signatory_plan(), Status.SIGNING)
    pec = person(Role.PEC_COMMITTEE_CHAIR, plan)
    ceo = person(Role.PCT_CHIEF_EXECUTIVE, plan)

    client.force_login(pec)
    pec_page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    client.force_login(ceo)
    ceo_page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()

    assert "Sign the plan" in pec_page
    assert "Sign the plan" not in ceo_page
    assert "Signs after the Joint PEC Commissioning Committee Chair" in ceo_page


def sign_page(client, plan, user) -> str:
    client.force_login(user)
    return client.get(reverse("plan_sign", args=[plan.pk])).content.decode()


def test_a_signatory_whose_turn_has_not_come_is_told_who_signs_first_and_shown_no_form(client):
    plan = put_in_state(three_signatory_plan(), Status.APPROVED)

    page = sign_page(client, plan, person(Role.PCT_CHIEF_EXECUTIVE, plan))

    assert "The Joint PEC Commissioning Committee Chair signs before you" in page
    assert "The plan is waiting for the Consortium Executive Chair to sign now." in page
    assert 'name="password"' not in page and 'name="code"' not in page


def test_a_position_the_form_does_not_ask_to_sign_is_told_so_and_shown_no_form(client):
    plan = three_signatory_plan()
    plan.template.signatories = SIGNATORIES[:1]
    plan.template.save()
    put_in_state(plan, Status.APPROVED)

    page = sign_page(client, plan, person(Role.PEC_COMMITTEE_CHAIR, plan))

    assert "This form does not ask for a signature from a position you hold" in page
    assert 'name="password"' not in page and 'name="code"' not in page


def test_the_signatory_whose_turn_it_is_is_asked_for_a_code_that_is_not_optional(client):
    plan = put_in_state(three_signatory_plan(), Status.APPROVED)
    chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
    authenticator(chair)
    recovery_code(chair)

    page = sign_page(client, plan, chair)
    response = client.post(
        reverse("plan_sign", args=[plan.pk]),
        {"typed_name": chair.full_name, "password": PASSWORD, "confirmed": "on"},
    )

    assert '<label class="nhsuk-label" for="id_code">Code from your authenticator app</label>' in (
        page
    )
    assert "(optional)" not in page
    assert "one of your recovery codes" in page
    assert 'href="#id_code"' in response.content.decode()
    assert "Enter the code from your authenticator app" in response.content.decode()
    assert not plan.signatures.exists()


def test_the_sign_forms_name_box_is_empty_and_its_hint_names_the_account_beside_it(client):
    plan = put_in_state(three_signatory_plan(), Status.APPROVED)
    chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan, full_name="Mr Mark Jones")

    page = lxml.html.fromstring(sign_page(client, plan, chair))

    assert page.get_element_by_id("id_typed_name").get("value") is None
    hint = page.get_element_by_id("id_typed_name-hint").text_content()
    assert "Type your own full name: it is your signature" in hint
    assert "beside the name on your account, Mr Mark Jones." in hint


def test_the_sign_page_of_a_plan_with_changes_requested_says_so_in_words(client):
    plan = put_in_state(three_signatory_plan(), Status.CHANGES_REQUESTED)

    page = sign_page(client, plan, person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan))

    assert "Changes have been requested on the plan: “Sign the plan” is possible only when" in (
        page
    )
    assert "The plan is changes requested" not in page


def test_a_given_signature_says_signed_once(client):
    plan = put_in_state(three_signatory_plan(), Status.SIGNING)
    client.force_login(person(Role.PCT_LEAD, plan))

    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()

    text = " ".join(strip_tags(page).split())
    assert "Signed by" in text
    assert "Signed Signed" not in text


def test_a_signature_names_the_account_and_what_was_typed_where_they_differ(client):
    plan = put_in_state(three_signatory_plan(), Status.APPROVED)
    chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan, full_name="Mark Jones")
    signature_for(plan, SIGNATORIES[0], 1, chair, typed_name="Mickey Mouse")
    client.force_login(person(Role.PCT_LEAD, plan))

    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()

    text = " ".join(strip_tags(page).split())
    assert "Signed by Mark Jones on" in text
    assert "typing “Mickey Mouse” as the signature" in text


def test_an_unknown_action_is_not_found(client):
    plan = three_signatory_plan()
    client.force_login(person(Role.CONSORTIUM_EDITOR, plan))

    assert client.get(reverse("plan_action", args=[plan.pk, "delete"])).status_code == 404


def test_the_plan_page_query_count_does_not_grow_with_events_and_signatures(
    client, django_assert_max_num_queries
):
    def queries_for(plan) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(person(Role.PCT_CHIEF_EXECUTIVE, plan))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("plan_detail", args=[plan.pk])).status_code == 200
        return len(captured)

    quiet = put_in_state(three_signatory_plan(), Status.SIGNING)
    busy = put_in_state(three_signatory_plan(), Status.SIGNING)
    lead = person(Role.PCT_LEAD, busy)
    for _ in range(30):
        PlanEvent.objects.create(plan=busy, kind="transition", action="approve", actor=lead)

    assert queries_for(busy) == queries_for(quiet)
    with django_assert_max_num_queries(30):
        client.get(reverse("plan_detail", args=[busy.pk]))


def test_moving_to_a_newer_form_is_offered_only_while_the_consortium_may_edit(client):
    from tests.plan_factories import demo_daccom_plan

    demo_daccom_plan()
    # The demo's draft on DacCom's earlier form, which has a newer version to move to.
    plan = Plan.objects.get(consortium__slug="daccom", template__slug="daccom-locality-plan-v2")
    client.force_login(person(Role.CONSORTIUM_EDITOR, plan))
    url = reverse("plan_detail", args=[plan.pk])

    draft_page = client.get(url).content.decode()
    put_in_state(plan, Status.APPROVED)
    approved_page = client.get(url).content.decode()

    assert "Move the plan to" in draft_page
    assert "Move the plan to" not in approved_page


def test_email_settings_posted_with_nothing_chosen_say_what_is_missing(client):
    plan = three_signatory_plan()
    client.force_login(person(Role.CONSORTIUM_EDITOR, plan))

    response = client.post(reverse("notification_settings"), {})

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_the_plan_page_reads_the_reviewers_last_words_only_in_the_states_that_show_them():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.two_factor import signed_in

    plan = three_signatory_plan()
    client = signed_in(person(User.Role.CONSORTIUM_EDITOR, plan))
    url = reverse("plan_detail", args=[plan.pk])

    def events_read() -> bool:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return any("plans_planevent" in query["sql"] for query in captured)

    assert not events_read()  # a draft shows no reviewer's words
    put_in_state(plan, Plan.Status.CHANGES_REQUESTED)
    assert events_read()


def comment_threads(plan, author, *, key: str, count: int) -> None:
    question = plan.template.questions.get(key=key)
    for _ in range(count):
        services.comment_add(plan=plan, user=author, body="Why so?", question=question)


def only_typed(plan, editor, *keys: str) -> None:
    """Answers saved only as they were typed (autosaved), never saved by pressing Save."""
    for answer in plan.answers.filter(question__key__in=keys):
        plan_services.answer_save(
            answer=answer,
            user=editor,
            text="<p>Half a sen</p>",
            base_version=answer.version,
            autosave=True,
        )


def warning_of(page: str) -> str:
    """The text of the page's warning callout, or "" where there is none."""
    if "nhsuk-warning-callout" not in page:
        return ""
    return " ".join(
        strip_tags(page.split("nhsuk-warning-callout", 1)[1].split("</div>")[0]).split()
    )


def test_the_submit_page_warns_of_open_comments_and_answers_only_typed_and_still_submits(client):
    plan = three_signatory_plan(questions=7)
    editor = person(Role.CONSORTIUM_EDITOR, plan)
    lead = person(Role.PCT_LEAD, plan)
    comment_threads(plan, lead, key="question-1", count=3)
    comment_threads(plan, editor, key="question-2", count=1)
    only_typed(plan, editor, "question-4", "question-5")
    client.force_login(editor)
    url = reverse("plan_action", args=[plan.pk, "submit"])

    page = client.get(url).content.decode()
    warning = warning_of(page)

    assert "4 comment threads are still open" in warning
    assert "2.1 Question 1: 3 open comments" in warning
    assert "2.2 Question 2: 1 open comment" in warning
    assert f'href="/plans/{plan.pk}/parts/two/#question-question-1"' in page
    assert "2 answers are in progress" in warning
    assert "2.4 Question 4" in warning and "2.5 Question 5" in warning
    assert f'href="/plans/{plan.pk}/parts/two/#question-question-5"' in page
    assert client.post(url).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


def test_the_approve_page_warns_the_pct_lead_of_open_comments_and_answers_only_typed(client):
    plan = three_signatory_plan(questions=7)
    editor = person(Role.CONSORTIUM_EDITOR, plan)
    lead = person(Role.PCT_LEAD, plan)
    only_typed(plan, editor, "question-4")
    put_in_state(plan, Status.IN_REVIEW)
    comment_threads(plan, lead, key="question-1", count=2)
    client.force_login(lead)

    warning = warning_of(
        client.get(reverse("plan_action", args=[plan.pk, "approve"])).content.decode()
    )

    assert "2 comment threads are still open" in warning
    assert "1 answer is in progress" in warning and "2.4 Question 4" in warning
    assert "You can still approve the plan" in warning


def test_a_plan_with_nothing_open_is_submitted_without_a_warning(client):
    plan = three_signatory_plan()
    client.force_login(person(Role.CONSORTIUM_EDITOR, plan))

    page = client.get(reverse("plan_action", args=[plan.pk, "submit"])).content.decode()

    assert warning_of(page) == ""


def test_the_submit_page_costs_the_same_queries_however_many_comments_and_answers_are_open(
    client,
):
    def queries_for(plan) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(plan.editor)
        url = reverse("plan_action", args=[plan.pk, "submit"])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few, many = three_signatory_plan(questions=6), three_signatory_plan(questions=12)
    for plan, count in ((few, 1), (many, 6)):
        editor, lead = person(Role.CONSORTIUM_EDITOR, plan), person(Role.PCT_LEAD, plan)
        plan.editor = editor
        keys = [f"question-{n}" for n in range(1, count + 1) if n != 3]
        only_typed(plan, editor, *keys)
        for key in keys:
            comment_threads(plan, lead, key=key, count=count)
        services.comment_add(
            plan=plan, user=lead, body="And this?", part=plan.template.parts.get(key="two")
        )

    assert queries_for(few) == queries_for(many)
    warning = warning_of(
        client.get(reverse("plan_action", args=[many.pk, "submit"])).content.decode()
    )
    assert "5 answers are in progress" in warning
    assert "31 comment threads are still open" in warning
    assert "The guidance of 2 Part two: 1 open comment" in warning


def test_the_readiness_check_is_offered_only_while_the_plan_can_be_submitted(client):
    plan = three_signatory_plan()
    client.force_login(person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan))
    url = reverse("plan_detail", args=[plan.pk])
    ready = "Check whether the plan is ready to submit"

    offered = {}
    for status in (Status.DRAFT, Status.CHANGES_REQUESTED, Status.SUBMITTED, Status.SIGNED):
        plan.status = status
        plan.save(update_fields=["status"])
        offered[status] = ready in client.get(url).content.decode()

    assert offered == {
        Status.DRAFT: True,
        Status.CHANGES_REQUESTED: True,
        Status.SUBMITTED: False,
        Status.SIGNED: False,
    }


def test_a_signature_name_with_a_right_to_left_override_is_refused_on_the_name_field(client):
    plan = put_in_state(three_signatory_plan(), Status.APPROVED)
    chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
    client.force_login(chair)

    response = post_signature(client, plan, chair, typed_name="Dr Alice \u202eriahC")

    assert response.status_code == 400
    assert refused_on(response, "typed_name", "change the direction of text (U+202E)")
    assert not plan.signatures.exists()


def test_the_signing_service_refuses_a_name_with_a_direction_mark_too():
    plan = put_in_state(three_signatory_plan(), Status.APPROVED)
    chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)

    with pytest.raises(Refused, match="U\\+200F"):
        services.signature_add(
            plan=plan,
            user=chair,
            password=PASSWORD,
            code=recovery_code(chair),
            typed_name="Alice\u200f Chair",
            confirmed=True,
        )

    assert not plan.signatures.exists()
