"""The import pages: upload, the preview (nothing written), apply, and refusals in words."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consortia.models import User
from plans import history, word_import
from plans.models import Plan, PlanSnapshot
from plans.word_views import SESSION_KEY
from tests.factories import UserFactory
from tests.pages import announced
from tests.plan_factories import demo_daccom_plan
from tests.queries import page_queries
from tests.word_documents import (
    daccom_2006_07_docx,
    entity_docx,
    linked_image_docx,
    macro_docx,
    many_paragraphs_docx,
    old_word_doc,
    password_protected_docx,
    simple_docx,
    zip_bomb_docx,
)

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def plan_and_editor(client):
    demo = demo_daccom_plan()
    from plans import services

    plan = services.plan_create(
        consortium=demo.consortium, template=demo.template, period="2007/08", title="Imported"
    )
    editor = UserFactory(consortium=demo.consortium)
    client.force_login(editor)
    return plan, editor


def upload(client, plan, name, data, content_type=DOCX):
    return client.post(
        reverse("plan_word_import", args=[plan.pk]),
        {"file": SimpleUploadedFile(name, data, content_type=content_type)},
    )


def test_upload_shows_a_preview_writes_nothing_until_applied_then_announces_what_it_saved(
    client, plan_and_editor
):
    plan, _editor = plan_and_editor
    response = upload(client, plan, "daccom.docx", daccom_2006_07_docx(plan.template))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Check what was found in daccom.docx" in page
    assert "4.2 Services to be commissioned" in page
    assert "Text that matched no question" in page
    assert "Total planned savings: £2,676,000" in page
    assert plan.answers.filter(version__gt=0).count() == 0
    assert not PlanSnapshot.objects.filter(plan=plan).exists()

    form = every_matched_piece(client)
    done = client.post(response["Location"], form)
    assert done.status_code == 200
    assert "Answers imported" in done.content.decode()
    assert announced(done) == [f"{len(done.context['result'].saved)} answers imported from Word."]
    assert PlanSnapshot.objects.filter(plan=plan).count() == 1
    assert "difficult for DacCom" in plan.answers.get(question__key="risks").text
    # Applied once: the pending import is gone, and posting again says so.
    again = client.post(response["Location"], form)
    assert again.status_code == 302


def test_what_will_be_saved_is_said_where_it_is_more_than_the_text_found(client, plan_and_editor):
    import lxml.html

    plan, _editor = plan_and_editor
    response = upload(client, plan, "daccom.docx", daccom_2006_07_docx(plan.template))
    page = lxml.html.document_fromstring(client.get(response["Location"]).content)

    said = {}
    for card in page.xpath("//section[contains(@class, 'nhsuk-card')]"):
        heading = card.xpath("string(.//h2)").strip()
        (saved,) = card.xpath(".//h3[. = 'What will be saved']") or [None]
        said[heading] = (
            "" if saved is None else "something" if saved.getnext() is not None else "nothing"
        )
    # The heading once stood with nothing under it in every text answer's card.
    assert "nothing" not in said.values()
    assert said["4.3 Referral Management"] == ""
    assert said["2.1 Directors"] == "something"  # the rows


def every_matched_piece(client) -> dict:
    """The preview's form with every piece that matched a question ticked, as found."""
    form = {"action": "apply", "apply": [str(p["id"]) for p in _pieces(client) if p["key"]]}
    form.update({f"target-{p['id']}": p["key"] for p in _pieces(client)})
    return form


def test_answers_imported_from_word_say_so_in_their_history_and_count_as_the_editors_saves(
    client, plan_and_editor
):
    plan, _editor = plan_and_editor
    response = upload(client, plan, "daccom.docx", daccom_2006_07_docx(plan.template))
    client.get(response["Location"])
    client.post(response["Location"], every_matched_piece(client))

    page = client.get(reverse("question_history", args=[plan.pk, "risks"])).content.decode()

    assert ">Imported from a Word document<" in page and ">Saved<" not in page
    assert "risks" in [line["line_key"] for line in history.saves_by_day(plan)]


def _pieces(client):
    import json

    pending = client.session[SESSION_KEY]
    return json.loads(next(iter(pending.values()))["preview"])["pieces"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("plan.doc", old_word_doc(), "save as &gt; word document (.docx)"),
        ("plan.odt", b"PK\x03\x04", "opendocument text file (.odt)"),
        ("plan.docm", macro_docx(), "macros (.docm)"),
        ("plan.docx", macro_docx(), "contains macros"),
        ("plan.docx", b"not a zip at all", "damaged or is not a word document"),
    ],
)
def test_unreadable_files_are_refused_with_what_to_do(client, plan_and_editor, name, data, message):
    plan, _editor = plan_and_editor
    response = upload(client, plan, name, data)
    assert response.status_code == 400
    assert message in response.content.decode().lower()


def test_only_the_consortiums_editors_may_import(client, plan_and_editor):
    plan, _editor = plan_and_editor
    lead = UserFactory(
        role=User.Role.PCT_LEAD, consortium=None, commissioner=plan.consortium.commissioner
    )
    client.force_login(lead)
    assert client.get(reverse("plan_word_import", args=[plan.pk])).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("plan_word_import", args=[plan.pk])).status_code == 404


def test_a_stale_or_forged_token_is_refused_with_a_message(client, plan_and_editor):
    plan, _editor = plan_and_editor
    response = client.get(reverse("plan_word_preview", args=[plan.pk, "forged"]), follow=True)
    assert "no longer waiting" in response.content.decode()


def test_hostile_uploads_are_refused_or_read_safely_never_a_server_error(client, plan_and_editor):
    plan, _editor = plan_and_editor
    for name, data in (
        ("linked.docx", linked_image_docx()),
        ("bomb.docx", zip_bomb_docx()),
        ("entities.docx", entity_docx()),
        ("locked.docx", password_protected_docx()),
    ):
        response = upload(client, plan, name, data)
        assert response.status_code == 400, name
        assert "There is a problem" in response.content.decode()
    long = upload(client, plan, "long.docx", many_paragraphs_docx(10_000))
    assert long.status_code == 302
    page = client.get(long["Location"])
    assert page.status_code == 200
    assert "Text that matched no question" in page.content.decode()
    assert plan.answers.filter(version__gt=0).count() == 0


def test_updating_the_preview_moves_a_piece_to_the_chosen_question_and_writes_nothing(
    client, plan_and_editor
):
    plan, _editor = plan_and_editor
    response = upload(client, plan, "daccom.docx", daccom_2006_07_docx(plan.template))
    pieces = _pieces(client)
    risks = next(p for p in pieces if p["key"] == "risks")
    form = {"action": "refresh", "apply": [str(risks["id"])]}
    form[f"target-{risks['id']}"] = "locally-agreed-initiatives"
    page = client.post(response["Location"], form)
    assert page.status_code == 200
    html = page.content.decode()
    card = html[html.index(">4.5 Locally Agreed Initiatives</h2>") :]
    card = card[: card.index("</section>")]
    assert "difficult for DacCom in isolation" in card
    assert plan.answers.filter(version__gt=0).count() == 0


def test_the_plan_page_offers_the_import_to_its_editors_and_the_word_copy_to_all(
    client, plan_and_editor
):
    plan, _editor = plan_and_editor
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert reverse("plan_word_import", args=[plan.pk]) in page
    assert reverse("plan_word_export", args=[plan.pk]) in page
    client.force_login(
        UserFactory(
            role=User.Role.PCT_LEAD, consortium=None, commissioner=plan.consortium.commissioner
        )
    )
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert reverse("plan_word_import", args=[plan.pk]) not in page
    assert reverse("plan_word_export", args=[plan.pk]) in page


def test_plan_1s_word_copy_uploaded_to_the_daccom_draft_offers_its_directors_for_directors(client):
    """The walk's steps: download plan 1's .docx, upload it at plan 2's import page."""
    demo = demo_daccom_plan()
    directors = demo.answers.get(question__key="directors")
    directors.rows = [{"name": "Dr Mary McMinn", "discipline": "Finance"}, {}]
    directors.save()
    draft = Plan.objects.get(consortium=demo.consortium, template__slug="daccom-locality-plan-v2")
    client.force_login(UserFactory(consortium=demo.consortium))
    exported = client.get(reverse("plan_word_export", args=[demo.pk]))
    response = upload(client, draft, "plan.docx", exported.content)
    page = client.get(response["Location"]).content.decode()
    pieces = {p["id"]: p for p in _pieces(client)}
    named = [p for p in pieces.values() if p["key"] == "consortium-name"]
    assert [p["html"] for p in named] == ["<p>DacCom PbC Limited</p>"]
    (offered,) = [p for p in pieces.values() if p["key"] == "directors"]
    assert offered["heading"] == "2.1 Directors"
    assert "Dr Mary McMinn" in page
    assert page.count("Found under “Name”") == 1


def test_the_plans_own_export_uploaded_back_is_shown_and_reported_unchanged(client):
    from signoff.word_export import plan_docx

    demo = demo_daccom_plan()
    editor = UserFactory(consortium=demo.consortium)
    client.force_login(editor)
    response = upload(client, demo, "plan.docx", plan_docx(plan=demo, user=editor))
    page = client.get(response["Location"]).content.decode()
    pieces = _pieces(client)
    preview = word_import.Preview.from_json({"pieces": pieces})
    ticked = {key for key in word_import.default_choices(demo, preview, editor).values() if key}
    assert ticked
    assert page.count("the document holds the same, so it will not be saved again") == len(ticked)

    form = {"action": "apply", "apply": [str(p["id"]) for p in pieces if p["key"]]}
    form.update({f"target-{p['id']}": p["key"] for p in pieces})
    done = client.post(response["Location"], form).content.decode()
    assert "Nothing was imported" in done
    assert "answers unchanged" in done
    assert "so they were not saved again" in done
    assert "named draft" not in done
    assert not PlanSnapshot.objects.filter(plan=demo).exists()


def test_the_preview_costs_the_same_queries_however_many_answers_the_document_holds(client):
    from signoff.word_export import plan_docx

    demo = demo_daccom_plan()
    editor = UserFactory(consortium=demo.consortium)
    client.force_login(editor)
    url = upload(client, demo, "plan.docx", plan_docx(plan=demo, user=editor))["Location"]
    session = client.session
    pending = session[SESSION_KEY]
    (token,) = pending
    preview = json.loads(pending[token]["preview"])
    answers = [piece for piece in preview["pieces"] if piece["key"]]
    assert len(answers) > 30

    every_answer = page_queries(client, url)
    pending[token]["preview"] = json.dumps({**preview, "pieces": answers[:2]})
    session[SESSION_KEY] = pending
    session.save()
    two_answers = page_queries(client, url)

    assert every_answer == two_answers


def test_text_matched_to_a_table_question_is_said_to_go_in_as_rows_and_left_unticked(client):
    demo_daccom_plan()
    banes = Plan.objects.get(consortium__slug="banes", template__slug="banes-plan")
    from plans import services

    plan = services.plan_create(
        consortium=banes.consortium, template=banes.template, period="2008/09", title="Imported"
    )
    client.force_login(UserFactory(consortium=banes.consortium))
    document = simple_docx(
        "Pathway development work in progress and planned for 07/08",
        "Musculo-skeletal, ophthalmology and ENT pathways are being developed.",
        "Dermatology has a business case.",
        "Communication within the consortium",
        "Quarterly meetings with all practices.",
    )
    response = upload(client, plan, "banes.docx", document)
    page = client.get(response["Location"]).content.decode()
    (pathways,) = [p for p in _pieces(client) if p["key"] == "pathway-development"]
    assert pathways["confidence"] == word_import.HIGH
    assert (
        "This is text, not a table: it would go in as 2 rows of one cell in the first column "
        "(“Development area”). Check it or untick it." in page
    )
    assert page.count("This is text, not a table") == 1
    box = f'value="{pathways["id"]}" aria-describedby="warning-{pathways["id"]}">'
    assert box in page  # not ticked, and the warning read with it
    (communication,) = [p for p in _pieces(client) if p["key"] != "pathway-development"]
    assert f'value="{communication["id"]}" checked>' in page

    client.post(
        response["Location"],
        {
            "action": "apply",
            "apply": [str(communication["id"])],
            f"target-{communication['id']}": communication["key"],
        },
    )
    assert plan.answers.get(question__key="pathway-development").version == 0
