"""Practices confirming participation, on PostgreSQL: the services and who may use them, the
DES payment following the confirmations on the page and in the PDF, the signed figures, and
the page's query budget (plans/participation.py, docs/decisions/0435-0438)."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import strip_tags

from consortia.models import Practice, User
from plans import exports, participation, participation_demo, round_selectors, selectors
from plans.content import PlanContent
from plans.errors import AnswerInvalid
from plans.models import Participation, PlanEvent
from signoff import canonical
from signoff.canonical import content_sha256
from tests.factories import PracticeFactory, UserFactory
from tests.integration.signoff.pdf_helpers import draft_pdf, pdf_text
from tests.northbrook import imported, northbrook_plan, organisation
from tests.plan_factories import demo_daccom_plan, plan_with_questions
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def lead_of(practice: Practice, **kwargs) -> User:
    lead = UserFactory(
        consortium=practice.consortium, full_name=f"Lead of {practice.name}", **kwargs
    )
    practice.lead = lead
    practice.save(update_fields=["lead"])
    return lead


def pct_user(plan, role=User.Role.PCT_LEAD) -> User:
    return UserFactory(role=role, commissioner=plan.consortium.commissioner, full_name="PCT Lead")


def small_plan(practices: int = 3):
    """A plan on a form that asks its practices to confirm participation."""
    plan = plan_with_questions(asks_participation=True)
    for position in range(practices):
        PracticeFactory(
            consortium=plan.consortium, list_size=1000 * (position + 1), position=position
        )
    return plan


def standing(plan, practice):
    return next(s for s in selectors.practice_standings(plan) if s.practice_id == practice.pk)


def confirm_first(plan, practices, by):
    for practice in practices:
        participation.participation_record_written(
            plan=plan, practice=practice, confirmed_on=round_selectors.today(), user=by
        )


def confirmed_in_writing_ten_days_ago():
    """A small plan whose first practice's written confirmation, dated ten days ago, the PCT
    has recorded: the plan, the practice, the PCT user and the letter's date."""
    plan = small_plan()
    practice = plan.consortium.practices.first()
    pct = pct_user(plan)
    letter = round_selectors.today() - timedelta(days=10)
    participation.participation_record_written(
        plan=plan, practice=practice, confirmed_on=letter, user=pct
    )
    return plan, practice, pct, letter


# --- the services ----------------------------------------------------------------------------


def test_a_practice_lead_confirms_and_the_plan_log_records_it():
    plan = small_plan()
    practice = plan.consortium.practices.first()
    lead = lead_of(practice)
    participation.participation_confirm(plan=plan, practice=practice, user=lead)
    now = standing(plan, practice)
    assert (now.state, now.means, now.on) == ("confirmed", "signed_in", round_selectors.today())
    event = plan.events.get(kind=PlanEvent.Kind.PARTICIPATION)
    assert event.actor == lead and practice.name in event.comment


def test_once_the_plan_is_frozen_for_signature_participation_is_refused_and_offered_to_nobody(
    client,
):
    plan = small_plan()
    practice = plan.consortium.practices.first()
    lead = lead_of(practice)
    plan.status = plan.Status.SIGNING
    plan.save(update_fields=["status"])
    with pytest.raises(AnswerInvalid, match="The plan is being signed: the practices taking part"):
        participation.participation_confirm(plan=plan, practice=practice, user=lead)
    assert not Participation.objects.filter(plan=plan).exists()
    client.force_login(lead)
    url = reverse("plan_participation", kwargs={"plan_id": plan.pk})
    page = unescape(" ".join(strip_tags(client.get(url).content.decode()).split()))
    assert "frozen with its figures" in page and f"Confirm {practice.name}" not in page
    # A page opened before the plan froze: the post is refused with the reason, nothing saved.
    posted = client.post(url, {"practice": practice.pk, "decision": "confirm"}, follow=True)
    assert posted.redirect_chain == [(url, 302)]
    assert "frozen with its figures" in unescape(posted.content.decode())
    assert not Participation.objects.filter(plan=plan).exists()


def test_the_activity_feed_says_who_recorded_a_practices_participation(client):
    plan = small_plan()
    practice = plan.consortium.practices.first()
    lead = lead_of(practice)
    participation.participation_confirm(plan=plan, practice=practice, user=lead)
    client.force_login(lead)
    page = client.get(reverse("plan_activity", kwargs={"plan_id": plan.pk}))
    text = unescape(" ".join(strip_tags(page.content.decode()).split()))
    assert "recorded a practice's participation" in text
    assert f"{practice.name} ({practice.code}) confirmed" in text


def test_a_written_confirmation_dated_in_the_future_is_refused_with_the_date():
    plan = small_plan()
    practice = plan.consortium.practices.first()
    tomorrow = round_selectors.today() + timedelta(days=1)
    with pytest.raises(AnswerInvalid, match="is in the future: enter the date on the practice's"):
        participation.participation_record_written(
            plan=plan, practice=practice, confirmed_on=tomorrow, user=pct_user(plan)
        )
    assert not Participation.objects.exists()


def test_a_written_confirmation_dated_more_than_a_year_before_the_plan_year_is_refused():
    plan = small_plan()
    practice = plan.consortium.practices.first()
    start = int(plan.period[:4])
    with pytest.raises(AnswerInvalid, match=f"more than a year before the {plan.period} plan"):
        participation.participation_record_written(
            plan=plan, practice=practice, confirmed_on=date(1900, 1, 1), user=pct_user(plan)
        )
    participation.participation_record_written(
        plan=plan, practice=practice, confirmed_on=date(start - 1, 4, 1), user=pct_user(plan)
    )
    assert Participation.objects.count() == 1


def test_a_withdrawal_dated_before_the_practices_confirmation_is_refused():
    plan, practice, pct, confirmed = confirmed_in_writing_ten_days_ago()

    with pytest.raises(AnswerInvalid, match=r"cannot be dated before .* confirmation on"):
        participation.participation_withdraw(
            plan=plan, practice=practice, withdrawn_on=confirmed - timedelta(days=1), user=pct
        )
    assert Participation.objects.count() == 1


def test_withdrawal_is_a_record_with_its_date_and_reconfirming_adds_another():
    plan, practice, pct, letter = confirmed_in_writing_ten_days_ago()
    withdrawn = round_selectors.today() - timedelta(days=2)
    participation.participation_withdraw(
        plan=plan, practice=practice, withdrawn_on=withdrawn, user=pct
    )
    assert (standing(plan, practice).state, standing(plan, practice).on) == ("withdrawn", withdrawn)
    lead = lead_of(practice)
    participation.participation_confirm(plan=plan, practice=practice, user=lead)
    assert standing(plan, practice).confirmed
    history = list(Participation.objects.filter(plan=plan).values_list("state", "on"))
    assert history == [
        ("confirmed", round_selectors.today()),
        ("withdrawn", withdrawn),
        ("confirmed", letter),
    ]
    with pytest.raises(Exception, match="cannot be deleted"):
        Participation.objects.first().delete()


def test_a_second_letter_for_a_practice_confirmed_already_is_refused_naming_its_date(client):
    plan, practice, pct, letter = confirmed_in_writing_ten_days_ago()
    client.force_login(pct)
    url = f"/plans/{plan.pk}/participation/"
    later = letter + timedelta(days=1)

    response = client.post(
        url,
        {"written": "1", "practice": practice.pk, "decision": "confirm", "on": later},
        follow=True,
    )

    page = unescape(response.content.decode())
    assert f"{practice.name} is confirmed already, on {letter:%-d %B %Y}" in page
    assert list(Participation.objects.values_list("on", flat=True)) == [letter]
    with pytest.raises(AnswerInvalid, match="is confirmed already"):
        participation.participation_confirm(plan=plan, practice=practice, user=lead_of(practice))


def test_withdrawing_a_practice_that_never_confirmed_is_refused():
    plan = small_plan()
    practice = plan.consortium.practices.first()
    with pytest.raises(AnswerInvalid, match="has not confirmed"):
        participation.participation_withdraw(plan=plan, practice=practice, user=lead_of(practice))


def test_on_the_page_a_lead_withdrawing_twice_is_told_why_not_given_an_error_page(client):
    plan = small_plan()
    practice = plan.consortium.practices.first()
    client.force_login(lead_of(practice))
    url = reverse("plan_participation", kwargs={"plan_id": plan.pk})
    posted = client.post(url, {"practice": practice.pk, "decision": "withdraw"}, follow=True)
    assert posted.redirect_chain == [(url, 302)]
    assert f"{practice.name} has not confirmed" in unescape(posted.content.decode())


def test_the_lead_of_another_practice_cannot_confirm():
    plan = small_plan()
    mine, other = plan.consortium.practices.all()[:2]
    lead = lead_of(mine)
    with pytest.raises(PermissionDenied, match="practice's own lead"):
        participation.participation_confirm(plan=plan, practice=other, user=lead)
    with pytest.raises(PermissionDenied):
        participation.participation_withdraw(plan=plan, practice=other, user=lead)


def test_a_consortium_editor_cannot_record_a_written_confirmation():
    plan = small_plan()
    practice = plan.consortium.practices.first()
    editor = UserFactory(consortium=plan.consortium)
    with pytest.raises(PermissionDenied, match="PCT's staff"):
        participation.participation_record_written(
            plan=plan, practice=practice, confirmed_on=round_selectors.today(), user=editor
        )


def test_another_pcts_lead_cannot_record_a_written_confirmation():
    plan = small_plan()
    practice = plan.consortium.practices.first()
    stranger = UserFactory(role=User.Role.PCT_LEAD, full_name="Elsewhere")
    with pytest.raises(PermissionDenied):
        participation.participation_record_written(
            plan=plan, practice=practice, confirmed_on=round_selectors.today(), user=stranger
        )


def test_a_practice_lead_is_a_person_of_its_own_consortium():
    practice = PracticeFactory()
    practice.lead = UserFactory()
    with pytest.raises(ValidationError, match="a person of this practice's consortium"):
        practice.full_clean()


def test_a_practice_of_another_consortium_is_refused():
    plan = small_plan()
    elsewhere = PracticeFactory()
    with pytest.raises(AnswerInvalid, match="is not one of"):
        participation.participation_record_written(
            plan=plan, practice=elsewhere, confirmed_on=round_selectors.today(), user=pct_user(plan)
        )


def test_before_the_des_payment_is_worked_out_the_page_lists_the_practices_unpaid(client):
    plan = small_plan()
    pct = pct_user(plan)
    first = plan.consortium.practices.first()
    confirm_first(plan, [first], pct)
    client.force_login(pct)
    text = " ".join(client.get(f"/plans/{plan.pk}/participation/").content.decode().split())
    assert "1 of 3 confirmed" in text
    assert text.count("Not confirmed") == 2
    assert "Paid" not in text


def test_the_page_refuses_a_letter_dated_tomorrow_beside_its_date(client):
    plan = small_plan()
    practice = plan.consortium.practices.first()
    client.force_login(pct_user(plan))
    tomorrow = round_selectors.today() + timedelta(days=1)
    response = client.post(
        f"/plans/{plan.pk}/participation/",
        {"written": "1", "practice": practice.pk, "decision": "confirm", "on": tomorrow},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["on"] == [
        f"The date {tomorrow:%-d %B %Y} is in the future: enter the date on the practice's letter."
    ]
    assert not Participation.objects.exists()


def test_on_the_page_a_lead_cannot_confirm_another_practice_nor_an_editor_record_a_letter(client):
    plan = small_plan()
    mine, other = plan.consortium.practices.all()[:2]
    client.force_login(lead_of(mine))
    url = f"/plans/{plan.pk}/participation/"
    assert client.post(url, {"practice": other.pk, "decision": "confirm"}).status_code == 403
    written = {"written": "1", "practice": other.pk, "decision": "confirm", "on": "2007-01-01"}
    assert client.post(url, written).status_code == 403
    assert client.post(url, {"practice": "x" * 30, "decision": "confirm"}).status_code == 404
    assert client.post(url, {"practice": mine.pk, "decision": "confirm"}).status_code == 302
    assert [s.state for s in selectors.practice_standings(plan)][:2] == ["confirmed", ""]


def test_the_page_names_the_des_question_by_its_whole_title_never_cut_mid_word(client):
    plan = small_plan()
    des = plan.template.questions.get(kind="des_funding")
    des.title = (
        "Directed enhanced service funding for practice based commissioning, paid direct to "
        "the practices that confirm their participation"
    )
    des.save(update_fields=["title"])
    client.force_login(pct_user(plan))

    text = shown(client.get(f"/plans/{plan.pk}/participation/"))

    assert f"{des.number} {des.title}" in text
    assert "…" not in text


# Session and user, the plan, the DES question, the answers, the practices with their newest
# records (one query), the messages: none per practice.
PAGE_QUERIES = 7


@pytest.mark.parametrize("practices", [3, 19])
def test_the_participation_page_costs_the_same_for_3_or_19_practices(client, practices):
    plan = small_plan(practices)
    pct = pct_user(plan)
    confirm_first(plan, plan.consortium.practices.all()[:2], pct)
    client.force_login(pct)
    assert page_queries(client, f"/plans/{plan.pk}/participation/") == PAGE_QUERIES


# --- DacCom: 12 of 19 confirmed --------------------------------------------------------------


def words(text: str) -> str:
    return " ".join(text.split())


def draft_pdf_text(plan) -> str:
    rendered = draft_pdf(plan)
    return words(pdf_text(rendered.pdf))


def test_daccom_pays_its_12_confirmed_practices_and_a_13th_moves_the_total(client):
    plan = demo_daccom_plan()
    practices = list(plan.consortium.practices.all())
    assert len(practices) == 19 and sum(p.list_size for p in practices) == 150_000
    participation_demo.load_demo_participation()
    participation_demo.load_demo_participation()
    assert Participation.objects.filter(plan=plan).count() == 12
    client.force_login(User.objects.get(email="lead.dacorum-pct@example.org"))
    page = words(client.get(f"/plans/{plan.pk}/participation/").content.decode())
    assert "12 of 19 confirmed, a registered population of 99,000" in page
    # 99,000 patients x £1.90 x 75%, the template's rate and share.
    assert "£141,075" in page
    assert page.count("Not confirmed") == 7
    des = plan.template.parts.get(questions__kind="des_funding").questions.get(kind="des_funding")
    question_page = words(client.get(f"/plans/{plan.pk}/questions/{des.key}/").content.decode())
    assert "12 of 19 confirmed" in question_page and "£141,075" in question_page
    part_url = reverse("part_detail", args=[plan.pk, des.part.key])
    assert "12 of 19 confirmed" in words(client.get(part_url).content.decode())
    text = draft_pdf_text(plan)
    assert "12 of 19 confirmed" in text and "141,075" in text
    assert text.count("Not confirmed") == 7
    signed_before = content_sha256(plan)

    # The demo's practice manager leads the 13th practice.
    manager = User.objects.get(email="editor.daccom@example.org")
    practices[12].refresh_from_db()
    participation.participation_confirm(plan=plan, practice=practices[12], user=manager)
    page = words(client.get(f"/plans/{plan.pk}/participation/").content.decode())
    # 104,600 patients: the 13th practice's 5,600 more.
    assert "13 of 19 confirmed, a registered population of 104,600" in page
    assert "£149,055" in page
    assert "13 of 19 confirmed" in draft_pdf_text(plan)
    # The part page's cached block follows the confirmation too.
    assert "13 of 19 confirmed" in words(client.get(part_url).content.decode())
    assert content_sha256(plan) != signed_before


# --- A form that asks nothing of its practices (docs/decisions/0329, 0458) -------------------


def plan_page_text(client, plan) -> str:
    return words(client.get(reverse("plan_detail", args=[plan.pk])).content.decode())


def test_the_plan_page_links_the_practices_taking_part_only_where_the_form_asks(client):
    daccom = demo_daccom_plan()
    client.force_login(User.objects.get(email="editor.daccom@example.org"))
    assert "who has confirmed participation" in plan_page_text(client, daccom)
    northbrook = organisation()
    allowance = northbrook_plan(northbrook, imported())
    without_des = plan_with_questions(consortium=northbrook.consortium)
    client.force_login(northbrook.editor)
    for plan in (allowance, without_des):
        assert "who has confirmed participation" not in plan_page_text(client, plan)


def test_the_participation_page_of_a_form_that_does_not_ask_says_so_and_records_nothing(client):
    northbrook = organisation()
    plan = northbrook_plan(northbrook, imported())
    mill_lane = plan.consortium.practices.get(code="N81001")
    client.force_login(pct_user(plan))
    url = reverse("plan_participation", kwargs={"plan_id": plan.pk})
    page = client.get(url)
    text = words(unescape(strip_tags(page.content.decode())))
    assert page.status_code == 200
    assert "does not ask Northbrook Health Consortium's practices to confirm" in text
    assert "Record a practice's letter" not in text
    written = {"written": "1", "practice": mill_lane.pk, "decision": "confirm", "on": "2007-03-01"}
    for posted in (written, {"practice": mill_lane.pk, "decision": "confirm"}):
        assert client.post(url, posted).status_code == 200
    assert not Participation.objects.filter(plan=plan).exists()


def shown(response) -> str:
    """The page's words, each cell apart from the next."""
    return words(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_daccom_5_4_says_which_payment_is_every_practices_and_which_the_confirmed_ones(client):
    """5.4 shows two amounts paid direct to practices: the declared population's (£213,750)
    and the confirmed practices' (£141,075). Each says which it is, on the editing page, the
    page a PCT lead reads and the PDF; the words are not in what a signature binds."""
    plan = demo_daccom_plan()
    participation_demo.load_demo_participation()
    des = plan.answers.get(question__kind="des_funding").question
    whole = "Paid direct to the practices, if every practice took part 75% £214k (£213,750)"
    pays = "The plan pays the 12 practices that have confirmed (of 19): £141,075"
    confirmed = "Paid direct to the practices, for the 12 practices that have confirmed £141,075"

    client.force_login(User.objects.get(email="editor.daccom@example.org"))
    editing = shown(client.get(f"/plans/{plan.pk}/questions/{des.key}/"))
    client.force_login(User.objects.get(email="lead.dacorum-pct@example.org"))
    part = reverse("part_detail", args=[plan.pk, des.part.key])
    read = shown(client.get(part))
    for text in (editing, read, draft_pdf_text(plan)):
        assert "DES funding" in text and "if every practice took part" in text
        assert whole in text
        assert pays in text
        assert confirmed in text
    assert "DES funding for a population of 150,000 at £1.90 a patient, if every" in read
    # Words of the page only: neither what a signature binds (version 2) nor the old
    # export a version 1 signature hashed holds them, so the hashes are as before.
    for hashed in (
        canonical.canonical_bytes(canonical.canonical_v2(PlanContent.of(plan))),
        exports.canonical_bytes(exports.canonical_content(plan)),
    ):
        assert "took part" not in hashed.decode() and "have confirmed" not in hashed.decode()
