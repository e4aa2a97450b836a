"""The emails: sent after the commit, at once or in one daily digest, each only once."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from consortia.models import User
from plans.models import Plan
from signoff import services, tasks
from signoff.models import Notification
from tests.factories import UserFactory
from tests.review_factories import person, put_in_state, three_signatory_plan
from tests.worker import broker_for_this_process, celery_worker, email_written

Role = User.Role
Status = Plan.Status
DAILY = User.Notify.DAILY
pytestmark = pytest.mark.django_db


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = "https://plans.example.org"
    return settings.SITE_URL


def in_review():
    plan = put_in_state(three_signatory_plan(), Status.IN_REVIEW)
    plan.consortium.name = "DacCom"
    plan.consortium.save()
    lead = person(Role.PCT_LEAD, plan, full_name="Jo Bloggs")
    return plan, lead


def test_a_request_for_changes_emails_the_editor_once_the_transaction_commits(
    django_capture_on_commit_callbacks, site_url
):
    plan, lead = in_review()
    editor = person(Role.CONSORTIUM_EDITOR, plan, email="pm@daccom.example.org")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.plan_request_changes(
            plan=plan, user=lead, summary="Section 4.2 needs this year's figures."
        )
        assert mail.outbox == [], "nothing is sent before the commit"

    assert len(callbacks) == 1
    (email,) = mail.outbox
    assert email.to == [editor.email]
    assert email.subject == "DacCom plan 2006/07: changes requested by Jo Bloggs"
    assert "Section 4.2 needs this year's figures." in email.body
    assert f"{site_url}/plans/{plan.pk}/" in email.body
    assert f"{site_url}/account/notifications/" in email.body
    assert Notification.objects.get(recipient=editor).emailed_at is not None


def test_nothing_is_sent_when_the_transaction_is_rolled_back(django_capture_on_commit_callbacks):
    plan, lead = in_review()
    person(Role.CONSORTIUM_EDITOR, plan)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.plan_request_changes(plan=plan, user=lead, summary="Redo.")

    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_comment_email_quotes_the_comment_and_links_to_the_question(
    django_capture_on_commit_callbacks, site_url
):
    plan, lead = in_review()
    editor = person(Role.CONSORTIUM_EDITOR, plan)
    asked = plan.template.questions.get(key="question-2")

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(plan=plan, user=lead, body="Which year are these for?", question=asked)

    (email,) = mail.outbox
    assert email.to == [editor.email]
    assert email.subject == "DacCom plan 2006/07: Jo Bloggs commented on 2.2 Question 2"
    assert "Which year are these for?" in email.body
    assert f"{site_url}/plans/{plan.pk}/questions/question-2/" in email.body


def test_the_daily_digest_sends_one_email_listing_everything_then_nothing_more(
    django_capture_on_commit_callbacks,
):
    plan, lead = in_review()
    editor = person(Role.CONSORTIUM_EDITOR, plan, notify=DAILY)
    other_plan, _ = in_review()
    also = UserFactory(role=Role.CONSORTIUM_EDITOR, consortium=other_plan.consortium)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_request_changes(plan=plan, user=lead, summary="First: redo 2.1.")
        services.plan_submit(plan=plan, user=person(Role.CONSORTIUM_EDITOR, plan))
        services.plan_start_review(plan=plan, user=lead)
        services.comment_add(
            plan=plan,
            user=lead,
            body="Second: which year?",
            question=plan.template.questions.get(key="question-2"),
        )
    immediate = [email for email in mail.outbox if editor.email in email.to]
    assert immediate == [], "a daily reader gets no email as things happen"

    mail.outbox.clear()
    tasks.send_daily_digests()

    (digest,) = [email for email in mail.outbox if editor.email in email.to]
    assert digest.subject == "PBC Plans: 2 updates on 1 plan"
    assert "DacCom plan 2006/07" in digest.body
    assert "changes requested by Jo Bloggs" in digest.body
    assert "First: redo 2.1." in digest.body
    assert "Second: which year?" in digest.body
    assert not Notification.objects.filter(recipient=editor, emailed_at__isnull=True).exists()
    assert also.email not in {address for email in mail.outbox for address in email.to}

    mail.outbox.clear()
    tasks.send_daily_digests()
    tasks.send_digest(user_id=editor.pk)
    assert mail.outbox == []


def test_the_send_digests_command_sends_the_digests_once():
    plan, lead = in_review()
    editor = person(Role.CONSORTIUM_EDITOR, plan, notify=DAILY)
    services.plan_request_changes(plan=plan, user=lead, summary="Redo.")
    first, second = io.StringIO(), io.StringIO()

    call_command("send_digests", stdout=first)
    call_command("send_digests", stdout=second)

    assert [email.to for email in mail.outbox] == [[editor.email]]
    assert first.getvalue().strip() == "Sent 1 digest (1 update)."
    assert second.getvalue().strip() == "Sent 0 digests (0 updates)."


def test_the_email_task_sends_each_notification_once_however_often_it_runs():
    plan, lead = in_review()
    editor = person(Role.CONSORTIUM_EDITOR, plan, notify=DAILY)
    services.plan_request_changes(plan=plan, user=lead, summary="Redo.")
    notification = Notification.objects.get(recipient=editor)

    for _ in range(3):
        tasks.send_notification_email(notification_id=notification.pk)

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_notification_for_someone_who_can_no_longer_see_the_plan_is_dropped_unsent():
    plan, lead = in_review()
    editor = person(Role.CONSORTIUM_EDITOR, plan, notify=DAILY)
    services.plan_request_changes(plan=plan, user=lead, summary="Redo.")
    editor.is_active = False
    editor.save()

    tasks.send_daily_digests()
    tasks.send_digest(user_id=editor.pk)
    notification_id = Notification.objects.get(recipient=editor).pk
    editor.is_active = True
    editor.role = Role.PCT_LEAD
    editor.consortium = None
    editor.commissioner = UserFactory(role=Role.PCT_LEAD).commissioner
    editor.save()
    tasks.send_notification_email(notification_id=notification_id)

    assert mail.outbox == []
    assert not Notification.objects.filter(pk=notification_id).exists()


def test_choosing_emails_as_things_happen_sends_what_the_digest_was_holding(
    django_capture_on_commit_callbacks,
):
    plan, lead = in_review()
    editor = person(Role.CONSORTIUM_EDITOR, plan, notify=DAILY)
    services.plan_request_changes(plan=plan, user=lead, summary="Redo 2.1.")
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        services.notification_preference_set(user=editor, notify=User.Notify.IMMEDIATELY)

    (email,) = mail.outbox
    assert "Redo 2.1." in email.body
    editor.refresh_from_db()
    assert editor.notify == User.Notify.IMMEDIATELY


class TestThePreferencePage:
    def test_the_header_links_to_it_and_it_shows_the_current_choice(self, client):
        user = UserFactory(notify=DAILY)
        client.force_login(user)

        home = client.get(reverse("home")).content.decode()
        page = client.get(reverse("notification_settings")).content.decode()

        assert 'href="/account/notifications/"' in home
        assert "As each thing happens" in page
        assert 'value="daily" checked' in page
        assert 'class="nhsuk-radios__input"' in page

    def test_saving_a_choice_keeps_it(self, client):
        user = UserFactory()
        client.force_login(user)

        response = client.post(reverse("notification_settings"), {"notify": DAILY}, follow=True)

        user.refresh_from_db()
        assert user.notify == DAILY
        assert "Your email settings have been saved." in response.content.decode()

    def test_a_choice_that_is_not_offered_is_refused_on_the_field(self, client):
        user = UserFactory()
        client.force_login(user)

        response = client.post(reverse("notification_settings"), {"notify": "hourly"})

        assert response.status_code == 400
        assert "There is a problem" in response.content.decode()
        user.refresh_from_db()
        assert user.notify == User.Notify.IMMEDIATELY

    def test_it_needs_signing_in(self, client):
        response = client.get(reverse("notification_settings"))

        assert response.status_code == 302
        assert reverse("login") in response["Location"]


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_emails_the_pct_lead_when_a_plan_is_submitted(client, tmp_path):
    plan = three_signatory_plan()
    plan.consortium.name = "DacCom"
    plan.consortium.save()
    editor = person(Role.CONSORTIUM_EDITOR, plan, full_name="Pat Manager")
    lead = person(Role.PCT_LEAD, plan, email="lead@pct.example.org")
    outbox = tmp_path / "mail"
    outbox.mkdir()
    client.force_login(editor)

    with (
        broker_for_this_process(),
        celery_worker(
            extra_env={"DJANGO_EMAIL_FILE_PATH": str(outbox), "PBC_SITE_URL": "https://x.org"}
        ),
    ):
        response = client.post(reverse("plan_action", args=[plan.pk, "submit"]))
        message = email_written(outbox)

    assert response.status_code == 302
    assert f"To: {lead.email}" in message
    assert "DacCom plan 2006/07: submitted by Pat Manager" in message
    assert f"https://x.org/plans/{plan.pk}/" in message
    assert Notification.objects.get(recipient=lead).emailed_at is not None


HOSTILE_MARKUP = '<![><img src="]><img src=x onerror=alert(1)//">'


@pytest.mark.parametrize(
    "words",
    [f"Before {HOSTILE_MARKUP} after", "Keep savings under £100k for 1.1, a<b>c; see <Appendix 2>"],
)
def test_a_comments_words_are_emailed_and_digested_as_written(
    django_capture_on_commit_callbacks, words
):
    plan, lead = in_review()
    at_once = person(Role.CONSORTIUM_EDITOR, plan)
    daily = person(Role.CONSORTIUM_EDITOR, plan, notify=DAILY)
    asked = plan.template.questions.get(key="question-2")

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(plan=plan, user=lead, body=words, question=asked)
    tasks.send_daily_digests()

    by_recipient = {email.to[0]: email for email in mail.outbox}
    for reader in (at_once, daily):
        assert words in by_recipient[reader.email].body
