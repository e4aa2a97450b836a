"""What a signature binds (signoff/canonical.py): version 2 holds the stored answers and the
computed figures, never how the screens show them; version 1 signatures still verify."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation

from plans import exports, presenters, selectors, structured
from plans.content import PlanContent
from plans.models import Answer, Plan, QuestionKind
from signoff import canonical, rendering
from signoff.models import PlanDocument, Signature
from signoff.signing import SigningState
from tests.factories import UserFactory
from tests.plan_factories import demo_daccom_plan

pytestmark = pytest.mark.django_db


def sign_all(plan: Plan, *, version: int, digest: str) -> list[Signature]:
    """Every signatory of the plan's form signs ``digest``, of canonical ``version``."""
    plan.status = Plan.Status.SIGNED
    plan.save(update_fields=["status"])
    return [
        Signature.objects.create(
            plan=plan,
            role=block.key,
            title=block.title,
            position=block.position,
            user=UserFactory(),
            typed_name="A Signatory",
            signed_at=datetime.now(UTC),
            content_sha256=digest,
            canonical_version=version,
        )
        for block in SigningState.of(plan).blocks
    ]


def reworded(kind):
    """``kind.present`` with every sentence and CSS class a screen shows changed."""
    original = kind.present

    def present(data, *, context):
        screen = dict(original(data, context=context))
        screen["summary"] = "A sentence worded another way"
        screen["status_tag"] = "nhsuk-tag--purple"
        return screen

    return present


@pytest.fixture
def daccom():
    return demo_daccom_plan()


def test_the_canonical_content_says_its_version_and_lists_every_question_in_form_order(daccom):
    record = canonical.canonical_v2(PlanContent.of(daccom))

    assert record["canonical"] == 2
    assert record["template"]["slug"] == daccom.template.slug
    assert record["plan"]["period"] == daccom.period
    assert [q["key"] for q in record["questions"]] == list(
        daccom.template.questions.order_by("position").values_list("key", flat=True)
    )
    assert set(record["questions"][0]) == {"key", "text", "columns", "rows", "data", "figures"}


def test_a_table_is_hashed_as_cells_in_the_questions_column_order(daccom):
    record = canonical.canonical_v2(PlanContent.of(daccom))
    answer = (
        Answer.objects.filter(plan=daccom, question__kind=QuestionKind.TABLE)
        .exclude(rows=[])
        .first()
    )

    question = next(q for q in record["questions"] if q["key"] == answer.question.key)
    keys = [column["key"] for column in answer.question.columns]
    assert question["columns"] == keys
    assert question["rows"][0] == [str(answer.rows[0].get(key, "")) for key in keys]


def test_presentation_changes_leave_the_signed_hash_unchanged_but_change_the_v1_hash(
    daccom, monkeypatch
):
    signed = canonical.content_sha256(daccom)
    v1_before = exports.content_sha256(daccom)
    sign_all(daccom, version=canonical.CURRENT, digest=signed)

    for kind in structured.KINDS.values():
        monkeypatch.setattr(kind, "present", reworded(kind))
    monkeypatch.setitem(presenters.STATE_TAG_CLASSES, presenters.COMPLETED, "app-tag--done")
    with (
        override_settings(
            LANGUAGE_CODE="de",
            USE_THOUSAND_SEPARATOR=True,
            THOUSAND_SEPARATOR=".",
            DECIMAL_SEPARATOR=",",
            DATE_FORMAT="d.m.Y",
            SHORT_DATE_FORMAT="d.m.Y",
        ),
        translation.override("de"),
    ):
        assert canonical.content_sha256(daccom) == signed
        assert SigningState.of(daccom).content_sha256(daccom) == signed
        assert exports.content_sha256(daccom) != v1_before  # why version 2 exists


def test_changing_one_stored_answer_changes_the_hash(daccom):
    signed = canonical.content_sha256(daccom)
    answer = Answer.objects.filter(plan=daccom).exclude(text="").first()

    Answer.objects.filter(pk=answer.pk).update(text=answer.text + "<p>One more line.</p>")

    assert canonical.content_sha256(daccom) != signed


def test_changing_one_table_cell_changes_the_hash(daccom):
    signed = canonical.content_sha256(daccom)
    answer = Answer.objects.filter(plan=daccom, question__kind="table").exclude(rows=[]).first()
    rows = [dict(row) for row in answer.rows]
    key = answer.question.columns[-1]["key"]
    rows[-1][key] = f"{rows[-1].get(key, '')} changed"

    Answer.objects.filter(pk=answer.pk).update(rows=rows)

    assert canonical.content_sha256(daccom) != signed


def test_changing_one_computed_figure_changes_the_hash(daccom, monkeypatch):
    content = PlanContent.of(daccom)
    structured_item = next(
        item
        for item in content.questions()
        if item.question.kind in structured.KINDS and item.figures
    )
    signed = canonical.content_sha256(daccom)
    kind = structured.KINDS[structured_item.question.kind]
    original = kind.figures

    def figures(value, *, context):
        return {**original(value, context=context), "one_more": Decimal("1")}

    monkeypatch.setattr(kind, "figures", figures)

    assert canonical.content_sha256(daccom) != signed


def test_figures_are_written_as_canonical_strings():
    figures = {"total": Decimal("2676000.00"), "rate": Decimal("1.90"), "due": date(2007, 3, 31)}

    assert canonical.canonical_value(figures) == {
        "total": "2676000",
        "rate": "1.9",
        "due": "2007-03-31",
    }
    assert canonical.canonical_value([3, True, None]) == ["3", True, None]


def test_a_figure_with_no_canonical_form_is_refused_not_guessed():
    with pytest.raises(canonical.NotCanonical):
        canonical.canonical_value({"share": 0.5})


def test_the_canonical_bytes_are_sorted_compact_utf8_json(daccom):
    record = canonical.canonical_v2(PlanContent.of(daccom))

    data = canonical.canonical_bytes(record)

    assert data == json.dumps(
        json.loads(data), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def test_an_old_version_1_signature_still_verifies_and_its_signed_pdf_may_be_made(daccom):
    digest = exports.content_sha256(daccom)
    sign_all(daccom, version=canonical.LEGACY, digest=digest)
    document = PlanDocument.objects.create(
        plan=daccom, kind=PlanDocument.Kind.SIGNED, content_sha256=digest
    )

    state = SigningState.of(daccom)

    assert state.canonical_version == canonical.LEGACY
    assert state.content_sha256(daccom) == digest
    assert rendering.signed_content(daccom, document) == list(state.signatures)


def test_new_signatures_hash_version_2():
    assert Signature._meta.get_field("canonical_version").default == canonical.CURRENT
    assert SigningState(blocks=(), signatures=(), signed_keys=frozenset()).canonical_version == 2


# A typed table whose money column has pence in one cell and not the others (decision 0493).
MIXED_PENCE_COLUMNS = [
    {"key": "scheme", "label": "Scheme"},
    {"key": "budget", "label": "Budget (£)", "type": "money", "total": "sum"},
    {"key": "savings", "label": "Savings (£)", "type": "money", "total": "sum"},
    {"key": "net", "label": "Net (£)", "type": "money", "formula": "budget - savings",
     "total": "sum"},
]  # fmt: skip
MIXED_PENCE_ROWS = [
    {"scheme": "Falls service", "budget": "45000", "savings": "1000"},
    {"scheme": "Diabetes clinic", "budget": "120000.50", "savings": "2000"},
]


def mixed_pence_plan() -> Plan:
    """A plan of fixed names (its id aside) with the mixed-pence table saved in it."""
    from consortia.models import Commissioner
    from plans import services, template_files
    from tests.factories import CommissionerFactory, ConsortiumFactory
    from tests.plan_factories import template_definition

    pct = Commissioner.objects.filter(slug="mixed-pence-pct").first() or CommissionerFactory(
        slug="mixed-pence-pct", name="Mixed Pence PCT"
    )
    consortium = ConsortiumFactory(commissioner=pct, slug="mixed-pence", name="Mixed Pence")
    definition = template_definition(questions=4, issuer=pct.slug, family="mixed-pence-form")
    definition["parts"][0]["questions"][0]["columns"] = MIXED_PENCE_COLUMNS
    plan = services.plan_create(
        consortium=consortium,
        template=template_files.store(definition),
        period="2006/07",
        title="Mixed pence plan",
    )
    table = plan.answers.select_related("question").get(question__key="practices")
    context = selectors.kind_context(plan)
    table.rows = structured.kind_for(table.question).clean(MIXED_PENCE_ROWS, context=context)
    table.save(update_fields=["rows"])
    return plan


def fingerprint_with_plan_id_1(record: dict, *, at: tuple) -> str:
    """The SHA-256 of canonical ``record`` with the plan's id (found at ``at``) set to 1: the
    id is the database's, the rest is fixed by the test."""
    import hashlib

    holder = record
    for key in at:
        holder = holder[key]
    holder["id"] = 1
    return hashlib.sha256(canonical.canonical_bytes(record)).hexdigest()


# Worked out before decision 0493 changed how a money column prints: never to change.
MIXED_PENCE_V1 = "a1b9fbada69a84db1dbadc0922216d2f69418eb8eb88f4894cdef5f84bc43b9a"
MIXED_PENCE_V2 = "1ac27c0fbd18834ea04b17565bddea3988b58cdc28acf867b3b3192a9f012165"


def test_a_mixed_pence_money_column_leaves_both_versions_fingerprints_as_they_were():
    """Version 1 hashes the export as the pages presented it and version 2 the figures: a
    money column printed with pence in every cell (decision 0493) moves neither."""
    plan = mixed_pence_plan()
    v1 = exports.canonical_content(plan)
    table = next(q for q in v1["parts"][0]["questions"] if q["key"] == "practices")
    assert table["answer"]["rows"][1]["budget"] == "120000.5"

    assert fingerprint_with_plan_id_1(v1, at=("plan",)) == MIXED_PENCE_V1
    v2 = canonical.canonical_v2(PlanContent.of(plan))
    assert fingerprint_with_plan_id_1(v2, at=("plan",)) == MIXED_PENCE_V2
