"""Plain text (table cells, names, titles) is kept exactly as typed, "a<b>c" included, and every
output prints it literally and escaped: the page, the JSON export, the Word export and the PDF."""

import io
import json

import docx
import pytest
from django.urls import reverse

from consortia.models import User
from plans.models import Answer
from signoff import pdf
from signoff.canonical import content_sha256
from signoff.word_export import plan_docx
from tests.factories import UserFactory
from tests.plan_factories import demo_daccom_plan, plan_with_every_kind

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
JSON = {"HTTP_ACCEPT": "application/json"}
TYPED = [
    "GP <5 sessions & >2 days; a<b>c",
    "GP <script>alert(1)</script> \U0001f600",
    "Dr A &amp; Dr B <Appendix 2>",
]


def save_rows(client, plan, key: str, column: str, typed: list[str]):
    prefix = f"q-{key}"
    answer = Answer.objects.get(plan=plan, question__key=key)
    data = {f"{prefix}-base_version": answer.version, f"{prefix}-rows": len(typed)}
    for i, value in enumerate(typed):
        data[f"{prefix}-rows[{i}].{column}"] = value
    return client.post(reverse("answer_edit", args=[plan.pk, key]), data, **JSON)


@pytest.fixture
def daccom(client):
    plan = demo_daccom_plan()
    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium))
    return plan


def test_a_table_cell_keeps_what_looks_like_markup_as_typed_on_the_daccom_form(client, daccom):
    response = save_rows(client, daccom, "executive-committee", "discipline", TYPED)

    assert response.status_code == 200, response.content
    rows = Answer.objects.get(plan=daccom, question__key="executive-committee").rows
    assert [row["discipline"] for row in rows] == TYPED


def test_a_table_cell_keeps_its_text_as_typed_on_another_form(client):
    plan = plan_with_every_kind()
    client.force_login(UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium))
    table = Answer.objects.filter(plan=plan, question__kind="table").first()
    column = table.question.columns[0]["key"]

    response = save_rows(client, plan, table.question.key, column, TYPED)

    assert response.status_code == 200, response.content
    table.refresh_from_db()
    assert [row[column] for row in table.rows] == TYPED


def test_every_output_prints_a_typed_cell_literally_and_nothing_in_it_runs(client, daccom):
    save_rows(client, daccom, "executive-committee", "discipline", TYPED)
    page = client.get(
        reverse("part_detail", args=[daccom.pk, "commissioning-plan"]) + "?edit=1"
    ).content.decode()
    exported = json.loads(client.get(reverse("plan_export_json", args=[daccom.pk])).content)
    word = docx.Document(io.BytesIO(plan_docx(plan=daccom, user=daccom.created_by)))
    printed = pdf.plan_html(plan=daccom, signatures=[], content_sha256=content_sha256(daccom))

    for html_out in (page, printed):
        assert "a&lt;b&gt;c" in html_out
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_out
        assert "<script>alert(1)" not in html_out
        assert "&amp;amp; Dr B &lt;Appendix 2&gt;" in html_out
    assert all(value in json.dumps(exported, ensure_ascii=False) for value in
               [json.dumps(v, ensure_ascii=False)[1:-1] for v in TYPED])  # fmt: skip
    cells = {cell.text for table in word.tables for row in table.rows for cell in row.cells}
    assert set(TYPED) <= cells
