"""Fuzz: DOMPurify's XSS fixtures and generated malformed input (tests/fuzz/payloads.py) posted
to every form and JSON endpoint, as each role.

For every target: no post answers 5xx; what is stored is within the allowlist of
plans/sanitise.py (rich text a fixed point of ``clean_html``; table cells plain text, without
NUL or lone surrogates); the pages that show it answer 200 and carry no markup beyond what the
product writes itself and the allowlist admits, and no script URL. The role whose post reaches
storage posts every payload; the other roles share the payloads between them, so payloads also
come from people who should be refused. The terminal summary prints the totals
(tests/integration/conftest.py). See docs/decisions/0345-fuzz-test-in-ci.md.
"""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consortia.models import User
from plans.kinds.business_cases import CASE_QUESTIONS
from plans.models import Answer, CompletedBy, Plan, PlanTemplate
from signoff.models import Comment, Signature
from tests.factories import PASSWORD, CommissionerFactory, ConsortiumFactory, UserFactory
from tests.fuzz.forms import filled, form_inputs
from tests.fuzz.harness import Tally, form_body, raw
from tests.fuzz.payloads import MALFORMED, Payload, dompurify
from tests.plan_factories import STRUCTURED_KINDS, plan_with_every_kind, template_definition
from tests.review_factories import person, put_in_state, three_signatory_plan
from tests.two_factor import SecondFactorClient, recovery_code

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.fuzz,
    pytest.mark.timeout(900),
]

DOMPURIFY = dompurify()
# Each target takes the payloads in four runs, so no one case runs long on a busy machine.
PAYLOAD_SETS = {
    "dompurify-1": DOMPURIFY[: len(DOMPURIFY) // 2],
    "dompurify-2": DOMPURIFY[len(DOMPURIFY) // 2 :],
    "malformed-1": MALFORMED[: len(MALFORMED) // 2],
    "malformed-2": MALFORMED[len(MALFORMED) // 2 :],
}
BENIGN = Payload(
    "benign",
    '<p>Plain <strong>bold</strong> <em>words</em> <a href="https://example.org">a link</a></p>'
    "<ul><li>one</li></ul><h3>Heading</h3>",
)
Role = User.Role
Status = Plan.Status


class World:
    """Two plans of one consortium, the people of every role, and a client for each."""

    def __init__(self):
        commissioner = CommissionerFactory()
        self.consortium = ConsortiumFactory(commissioner=commissioner)
        self.draft = plan_with_every_kind(consortium=self.consortium)
        self.review = three_signatory_plan(consortium=self.consortium)
        put_in_state(self.review, Status.IN_REVIEW)
        self.users = {
            "editor": person(Role.CONSORTIUM_EDITOR, self.draft),
            "lead": person(Role.PCT_LEAD, self.draft),
            "chair": person(Role.CONSORTIUM_EXECUTIVE_CHAIR, self.draft),
            "pec-chair": person(Role.PEC_COMMITTEE_CHAIR, self.draft),
            "chief-executive": person(Role.PCT_CHIEF_EXECUTIVE, self.draft),
            "admin": UserFactory(role=Role.SITE_ADMIN),
            "stranger": UserFactory(role=Role.CONSORTIUM_EDITOR),
        }
        self.clients = {}
        for role, user in self.users.items():
            client = SecondFactorClient()
            client.force_login(user)
            self.clients[role] = client
        self.clients["anonymous"] = SecondFactorClient()

    def others(self, *writers: str) -> list[str]:
        return [role for role in self.clients if role not in writers]


@pytest.fixture
def world(settings):
    # The fuzz is about what the input does, not how often it comes: limits out of the way.
    settings.PBC_RATE_LIMITS = dict.fromkeys(settings.PBC_RATE_LIMITS, "1000000/m")
    settings.AXES_FAILURE_LIMIT = 1_000_000
    return World()


def rotate(world: World, index: int, *writers: str) -> str:
    """The role, among those that should be refused, that posts payload ``index``."""
    others = world.others(*writers)
    return others[index % len(others)]


# --- answers: every question kind, saved and autosaved -----------------------------------


def edit_url(plan, key):
    return reverse("answer_edit", args=[plan.pk, key])


def with_rows(client, plan, key) -> list:
    """The answer form once every kind of row it offers has been added, so row inputs exist."""
    url = edit_url(plan, key)
    page = client.get(url).content
    pressed = set()
    for _ in range(4):
        buttons = [
            value
            for value in _row_buttons(page)
            if value.startswith("add-") and value.rstrip("-0123456789") not in pressed
        ]
        if not buttons:
            break
        version = Answer.objects.get(plan=plan, question__key=key).version
        fields = [
            (item.name, str(version) if item.name.endswith("base_version") else item.value)
            for item in form_inputs(page, action=url)
        ]
        client.post(url, data=form_body([*fields, ("row-action", buttons[0])]),
                    content_type="application/x-www-form-urlencoded")  # fmt: skip
        pressed.add(buttons[0].rstrip("-0123456789"))
        page = client.get(url).content
    return form_inputs(page, action=url)


def _row_buttons(page: bytes) -> list[str]:
    import lxml.html

    return lxml.html.document_fromstring(page).xpath("//button[@name='row-action']/@value")


def check_answer(tally: Tally, answer: Answer, payload) -> None:
    tally.stored(f"answer {answer.question.key} text", answer.text, html=True, payload=payload)
    for row in answer.rows or []:
        for key, cell in row.items():
            tally.stored(f"answer {answer.question.key} cell {key}", cell, html=False,
                         payload=payload)  # fmt: skip
    for where, value in html_in_data(answer.question.kind, answer.data or {}):
        tally.stored(f"answer {answer.question.key} {where}", value, html=True, payload=payload)


def html_in_data(kind: str, data: dict):
    """The rich text inside structured figures (the parts pages print unescaped)."""
    if kind == "business_cases":
        for i, case in enumerate(data.get("cases") or []):
            for key, _ in CASE_QUESTIONS:
                yield f"case {i} {key}", case.get(key)
    if kind == "self_assessment":
        for key, rating in (data.get("ratings") or {}).items():
            yield f"rating {key} action", rating.get("action")
        for level, comment in (data.get("funding_comments") or {}).items():
            yield f"level {level} comment", comment


def fuzz_answers(world: World, tally: Tally, payloads: list[Payload]) -> None:
    editor = world.clients["editor"]
    # What the editor may write: the PCT's own questions are read-only to them (the lead's
    # question is fuzzed in review below).
    answers = (
        Answer.objects.filter(plan=world.draft)
        .exclude(question__kind="signoff")
        .exclude(question__completed_by=CompletedBy.PCT)
        .values_list("question__key", "question__part__key", "question__kind")
    )
    questions = [(key, part) for key, part, _ in answers]
    kinds = {key: kind for key, _, kind in answers}
    forms = {key: with_rows(editor, world.draft, key) for key, _ in questions}
    part_urls = {reverse("part_detail", args=[world.draft.pk, part]) for _, part in questions}
    rich_part = reverse("part_detail", args=[world.draft.pk, dict(questions)["question-1"]])
    review_key = "fair-shares"  # completed by the PCT, open to the lead while in review
    review_url = edit_url(world.review, review_key)
    review_form = form_inputs(world.clients["lead"].get(review_url).content, action=review_url)

    def post_all(index: int, payload: Payload) -> None:
        """A rich text and the table take every payload, the structured kinds take turns (the
        malformed payloads go to every question); autosave and save alternate; hidden fields
        are forged on every fourth post; a refused role posts to the rich text."""
        versions = dict(
            Answer.objects.filter(plan=world.draft).values_list("question__key", "version")
        )
        every = index == 0 or payload in MALFORMED
        turn = STRUCTURED_KINDS[index % len(STRUCTURED_KINDS)]
        for key, inputs in forms.items():
            if kinds[key] in STRUCTURED_KINDS and not (every or kinds[key] == turn):
                continue
            if kinds[key] == "rich_text" and key != "question-1" and not every:
                continue
            fields = [
                (name, str(versions[key]) if name.endswith("base_version") else value)
                for name, value in filled(inputs, payload, hidden_too=index % 4 == 3)
            ]
            autosave = index % 2 == 0
            if autosave:
                fields.append(("autosave", "1"))
            tally.post(editor, edit_url(world.draft, key), role="editor", payload=payload,
                       fields=fields,
                       **({"HTTP_ACCEPT": "application/json"} if autosave else {}))  # fmt: skip
            if key == "question-1" and index % 2 == 0:
                other = rotate(world, index, "editor")
                tally.post(world.clients[other], edit_url(world.draft, key), role=other,
                           payload=payload, fields=fields)  # fmt: skip
        version = Answer.objects.get(plan=world.review, question__key=review_key).version
        fields = [
            (name, str(version) if name.endswith("base_version") else value)
            for name, value in filled(review_form, payload)
        ]
        tally.post(world.clients["lead"], review_url, role="lead", payload=payload,
                   fields=fields)  # fmt: skip
        if index % 4 == 1:  # a JSON body where a form is expected, as a script might send
            tally.post(editor, edit_url(world.draft, questions[0][0]), role="editor",
                       payload=payload, data=json.dumps({"text": payload.value}),
                       content_type="application/json", HTTP_ACCEPT="application/json")  # fmt: skip

    def check(index: int, payload, *, baseline=False) -> None:
        """Every stored value against the allowlist; the rich text's page after each payload,
        the structured kinds' page (each kind keeps its value for ten payloads) every fifth."""
        for answer in Answer.objects.filter(plan__in=[world.draft, world.review]).select_related(
            "question"
        ):
            check_answer(tally, answer, payload)
        for url in part_urls:
            if baseline or url == rich_part or index % 5 == 0 or payload in MALFORMED:
                tally.page(editor, url, shows=str(payload), baseline=baseline)
        if baseline or index % 2 == 0:
            tally.page(world.clients["lead"], reverse("part_detail", args=[world.review.pk, "one"]),
                       shows=str(payload), baseline=baseline)  # fmt: skip

    def final_pages(shows: str, *, baseline=False) -> None:
        urls = [edit_url(world.draft, key) for key, _ in questions]
        urls += [reverse("question_history", args=[world.draft.pk, key]) for key, _ in questions]
        urls += [reverse(name, args=[world.draft.pk]) for name in ("plan_history", "plan_detail")]
        for url in urls:
            tally.page(editor, url, shows=shows, baseline=baseline)

    post_all(0, BENIGN)
    check(0, BENIGN, baseline=True)
    final_pages("benign", baseline=True)
    for index, payload in enumerate(payloads, start=1):
        post_all(index, payload)
        check(index, payload)
    final_pages("every payload's revision")
    export = editor.get(reverse("plan_export_json", args=[world.draft.pk]))
    if export.status_code != 200:
        tally.broken_pages.append(f"answers: the JSON export answered {export.status_code}")


# --- comments and replies ----------------------------------------------------------------


COMMENTERS = ["editor", "lead", "chair", "pec-chair", "chief-executive"]


def fuzz_comments(world: World, tally: Tally, payloads: list[Payload]) -> None:
    plan = world.draft
    url = reverse("comment_add", args=[plan.pk])
    part_url = reverse("part_detail", args=[plan.pk, "one"])
    activity = reverse("plan_activity", args=[plan.pk])

    def post(index: int, payload: Payload) -> None:
        writer = COMMENTERS[index % len(COMMENTERS)]
        prefix = "comment-q-question-1"
        fields = [("question", "question-1"), (f"{prefix}-body", payload.value),
                  (f"{prefix}-quote", payload.value if index % 2 else "")]  # fmt: skip
        if index % 5 == 1:  # a PCT lead may choose who sees it
            fields.append((f"{prefix}-visibility", payload.value))
        tally.post(world.clients[writer], url, role=writer, payload=payload, fields=fields)
        stranger = rotate(world, index, *COMMENTERS)
        tally.post(world.clients[stranger], url, role=stranger, payload=payload, fields=fields)
        thread = Comment.objects.filter(plan=plan, parent=None).order_by("-pk").first()
        if thread is not None and index % 3 == 0:
            reply = reverse("comment_reply", args=[thread.pk])
            tally.post(world.clients[writer], reply, role=writer, payload=payload,
                       fields=[(f"reply-{thread.pk}-body", payload.value)])  # fmt: skip
        # The target itself is hostile input too.
        tally.post(world.clients[writer], url, role=writer, payload=payload,
                   fields=[("question", payload.value), ("part", payload.value)])  # fmt: skip

    post(0, BENIGN)
    tally.page(world.clients["editor"], part_url, shows="benign comment", baseline=True)
    tally.page(world.clients["editor"], activity, shows="benign comment", baseline=True)
    for index, payload in enumerate(payloads, start=1):
        post(index, payload)
        if index % 20 == 0:
            tally.page(world.clients["lead"], part_url, shows=f"comments up to {payload}")
            tally.page(world.clients["editor"], activity, shows=f"comments up to {payload}")
    tally.page(world.clients["editor"], part_url, shows="every comment")
    tally.page(world.clients["lead"], activity, shows="every comment")


# --- named drafts ------------------------------------------------------------------------


def fuzz_drafts(world: World, tally: Tally, payloads: list[Payload]) -> None:
    plan = world.draft
    url = reverse("plan_drafts", args=[plan.pk])
    tally.page(world.clients["editor"], url, shows="no drafts", baseline=True)
    for index, payload in enumerate(payloads):
        tally.post(world.clients["editor"], url, role="editor", payload=payload,
                   fields=[("name", payload.value)])  # fmt: skip
        other = rotate(world, index, "editor")
        tally.post(world.clients[other], url, role=other, payload=payload,
                   fields=[("name", payload.value)])  # fmt: skip
        compare = reverse("drafts_compare", args=[plan.pk])
        tally.post(world.clients["lead"], compare, role="lead", payload=payload,
                   query=[("from", payload.value), ("to", "current")])  # fmt: skip
    tally.page(world.clients["editor"], url, shows="every named draft")
    last = plan.snapshots.order_by("-pk").first()
    if last is not None:
        tally.page(world.clients["lead"],
                   reverse("drafts_compare", args=[plan.pk]) + f"?from={last.pk}&to=current",
                   shows="the last named draft")  # fmt: skip


# --- review actions and signing ----------------------------------------------------------


def fuzz_review_and_signing(world: World, tally: Tally, payloads: list[Payload]) -> None:
    plan = world.review
    lead = world.clients["lead"]
    detail = reverse("plan_detail", args=[plan.pk])
    activity = reverse("plan_activity", args=[plan.pk])
    sign = reverse("plan_sign", args=[plan.pk])
    tally.page(lead, detail, shows="nothing yet", baseline=True)
    tally.page(lead, activity, shows="nothing yet", baseline=True)
    for index, payload in enumerate(payloads):
        action = ["request-changes", "approve"][index % 2]
        url = reverse("plan_action", args=[plan.pk, action])
        tally.post(lead, url, role="lead", payload=payload, fields=[("comment", payload.value)])
        if index % 2 == 0:  # the refused roles take turns with the sign form
            other = rotate(world, index, "lead")
            tally.post(world.clients[other], url, role=other, payload=payload,
                       fields=[("comment", payload.value)])  # fmt: skip
        Plan.objects.filter(pk=plan.pk).update(status=Status.APPROVED)
        signer = ["chair", "pec-chair", "chief-executive"][index % 3]
        user = world.users[signer]
        good = index % 2 == 0  # half sign with good credentials, half with the payload
        fields = [
            ("typed_name", payload.value),
            ("password", PASSWORD if good else payload.value),
            ("code", recovery_code(user) if good else payload.value),
            ("confirmed", "on" if good else payload.value),
        ]
        tally.post(world.clients[signer], sign, role=signer, payload=payload, fields=fields)
        if index % 2 == 1:
            stranger = rotate(world, index, "chair", "pec-chair", "chief-executive")
            tally.post(world.clients[stranger], sign, role=stranger, payload=payload,
                       fields=fields)  # fmt: skip
        if index % 20 == 0:
            tally.page(lead, detail, shows=f"signatures up to {payload}")
        Signature.objects.filter(plan=plan).delete()
        Plan.objects.filter(pk=plan.pk).update(status=Status.IN_REVIEW)
    tally.page(lead, activity, shows="every action's comment")


# --- verification upload, sign-in, second step, password reset ---------------------------


def fuzz_verify_and_sign_in(world: World, tally: Tally, payloads: list[Payload]) -> None:
    verify = reverse("verify")
    login = reverse("login")
    code = reverse("two_factor_verify")
    reset = reverse("password_reset")
    roles = list(world.clients)
    kept_while_signed_out(world, tally, BENIGN, baseline=True)
    for index, payload in enumerate(payloads):
        kept_while_signed_out(world, tally, payload)
        role = roles[index % len(roles)]
        upload = SimpleUploadedFile("plan.pdf", raw(payload.value), "application/pdf")
        tally.post(world.clients[role], verify, role=role, payload=payload,
                   data={"file": upload})  # fmt: skip
        if "\x00" not in payload.value and len(payload.value) < 200:
            named = SimpleUploadedFile(payload.value.encode("utf-8", "replace").decode() or "x",
                                       b"%PDF-1.7 hostile", "application/pdf")  # fmt: skip
            tally.post(world.clients[role], verify, role=role, payload=payload,
                       data={"file": named})  # fmt: skip
        stranger = SecondFactorClient()
        tally.post(stranger, login, role="anonymous", payload=payload,
                   fields=[("username", payload.value), ("password", payload.value)])  # fmt: skip
        signatory = world.users[["lead", "chair", "admin"][index % 3]]
        halfway = SecondFactorClient()
        halfway.post(login, {"username": signatory.email, "password": PASSWORD})
        tally.post(halfway, code, role="signing in", payload=payload,
                   fields=[("code", payload.value), ("next", payload.value)])  # fmt: skip
        tally.post(stranger, reset, role="anonymous", payload=payload,
                   fields=[("email", payload.value)])  # fmt: skip


def kept_while_signed_out(world: World, tally: Tally, payload, *, baseline=False) -> None:
    """The payload, as a field's name and value and in the address of the page that sent it,
    posted to an answer and to another page by a browser no longer signed in; once signed in,
    the page that offers to send it again shows it as text (pbc/security/unsent.py): an answer's
    under its inputs' labels, another page's under the names it was sent with, and the page it
    came from as a link. A post refused before it is kept leaves nothing to show."""
    answer = (
        edit_url(world.draft, "question-1"),
        [("q-question-1-base_version", "0"), ("q-question-1-text", payload.value)],
    )
    settings_page = (reverse("notification_settings"), [])
    sent_from = f"http://testserver/plans/?{payload.value}"
    for url, fields in (answer, settings_page):
        browser = SecondFactorClient()
        fields = [*fields, (payload.value, payload.value)]
        tally.post(browser, url, role="anonymous", payload=payload, fields=fields,
                   headers={"referer": sent_from})  # fmt: skip
        browser.force_login(world.users["editor"])
        if "pbc_unsent" in browser.session:
            tally.page(browser, reverse("unsent"), shows=str(payload), baseline=baseline)


# --- account settings and the passkey (WebAuthn) JSON endpoints --------------------------


PASSKEY_JSON = [
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
]


def fuzz_accounts_and_passkeys(world: World, tally: Tally, payloads: list[Payload]) -> None:
    roles = list(world.clients)
    settings_url = reverse("notification_settings")
    set_up = reverse("two_factor_set_up")
    for index, payload in enumerate(payloads):
        role = roles[index % len(roles)]
        client = world.clients[role]
        tally.post(client, settings_url, role=role, payload=payload,
                   fields=[("notify", payload.value)])  # fmt: skip
        tally.post(client, set_up, role=role, payload=payload,
                   fields=[("code", payload.value), ("next", payload.value)])  # fmt: skip
        words = payload.value
        answer = dict.fromkeys(
            ("clientDataJSON", "attestationObject", "authenticatorData", "signature"), words
        )
        credential = {"id": words, "rawId": words, "type": words, "response": answer}
        body = json.dumps(credential).encode("utf-8", "surrogatepass")
        for name in PASSKEY_JSON:
            url = reverse(name)
            tally.post(client, url, role=role, payload=payload, data=body,
                       content_type="application/json")  # fmt: skip
            tally.post(client, url, role=role, payload=payload, data=raw(payload.value),
                       content_type="application/json")  # fmt: skip
    tally.page(world.clients["editor"], settings_url, shows="the last setting")


# --- administration: practice CSV import, template import, organisation pages ----------


def csv_file(*rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "code", "list_size"])
    writer.writerows(rows)
    return raw(out.getvalue())


def fuzz_administration(world: World, tally: Tally, payloads: list[Payload]) -> None:
    admin = world.clients["admin"]
    consortium = world.consortium
    practices = reverse("admin:consortia_consortium_import_practices", args=[consortium.pk])
    change = reverse("admin:consortia_consortium_change", args=[consortium.pk])
    template_import = reverse("admin:plans_plantemplate_import")
    confirm = reverse("admin:plans_plantemplate_import_confirm")
    organisation = reverse("consortia:consortium", kwargs={"slug": consortium.slug})
    change_form = form_inputs(admin.get(change).content, action=None)
    tally.page(world.clients["editor"], organisation, shows="benign", baseline=True)
    tally.page(admin, change, shows="benign", baseline=True)
    for index, payload in enumerate(payloads):
        upload = csv_file(
            [payload.value, f"Z{index:05d}", "100"],
            [f"Surgery {index}", "Y00001", payload.value],
            [payload.value, payload.value, payload.value],
        )
        definition = template_definition(questions=4, issuer=consortium.commissioner.slug,
                                         family=f"fuzz-import-{index}")  # fmt: skip
        definition["name"] = payload.value[:200]
        definition["return_instructions"] = payload.value
        definition["parts"][1]["guidance"] = payload.value
        definition["parts"][1]["questions"][0]["note"] = payload.value
        definition["parts"][1]["questions"][0]["prompts"] = [payload.value]
        definition["parts"][1]["questions"][1]["title"] = payload.value
        as_json = json.dumps(definition, ensure_ascii=False).encode("utf-8", "surrogatepass")
        roles = ["admin"] if index % 2 else ["admin", rotate(world, index, "admin")]
        for role in roles:
            client = world.clients[role]
            tally.post(client, practices, role=role, payload=payload,
                       data={"file": SimpleUploadedFile("practices.csv", upload)})  # fmt: skip
            tally.post(client, template_import, role=role, payload=payload,
                       data={"file": SimpleUploadedFile("form.json", as_json)})  # fmt: skip
        if index % 3 == 0 or payload in MALFORMED:
            pending = admin.session.get("plans.pending_template_import")
            if pending:
                tally.post(admin, confirm, role="admin", payload=payload,
                           fields=[("token", pending["token"]), ("import", "1")])  # fmt: skip
        tally.post(admin, template_import, role="admin", payload=payload,
                   data={"file": SimpleUploadedFile("form.yaml", raw(payload.value))})  # fmt: skip
        for template in PlanTemplate.objects.filter(family=f"fuzz-import-{index}"):
            tally.stored("template return instructions", template.return_instructions,
                         html=True, payload=payload)  # fmt: skip
            for part in template.parts.all():
                tally.stored(f"template part {part.key} guidance", part.guidance, html=True,
                             payload=payload)  # fmt: skip
            for question in template.questions.all():
                tally.stored(f"template question {question.key} note", question.note,
                             html=True, payload=payload)  # fmt: skip

        fields = filled(change_form, payload, keep={"slug", "commissioner"})
        tally.post(admin, change, role="admin", payload=payload, fields=fields)
        if index % 20 == 0:
            tally.page(world.clients["editor"], organisation, shows=f"names up to {payload}")
    tally.page(world.clients["editor"], organisation, shows="every imported name")
    tally.page(admin, change, shows="every imported name")


TARGETS = {
    "answers": fuzz_answers,
    "comments": fuzz_comments,
    "named-drafts": fuzz_drafts,
    "review-and-signing": fuzz_review_and_signing,
    "verify-and-sign-in": fuzz_verify_and_sign_in,
    "accounts-and-passkeys": fuzz_accounts_and_passkeys,
    "administration": fuzz_administration,
}


@pytest.mark.parametrize("payloads", PAYLOAD_SETS)
@pytest.mark.parametrize("target", TARGETS)
def test_hostile_input_gives_no_server_error_and_stores_nothing_outside_the_allowlist(
    world, target, payloads, record_property
):
    tally = Tally(target)
    TARGETS[target](world, tally, PAYLOAD_SETS[payloads])

    record_property("fuzz_posted", tally.posted)
    record_property("fuzz_server_errors", len(tally.server_errors))
    record_property("fuzz_stored_outside", len(tally.stored_outside))
    assert not tally.failures, "\n".join(tally.failures[:40])
