"""Property: whatever a table's columns are called, on PostgreSQL (whose jsonb holds a row's
keys shortest first, then by bytes) every cell prints under its own heading in the PCT lead's
read-only view and in the JSON export, for tables of 1-8 columns whose keys sort differently
from their labels."""

import json

import pytest
from django.db.models import F
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consortia.models import User
from plans.models import Answer, Plan, PlanTemplate
from tests.factories import UserFactory
from tests.integration.plans.test_table_columns import table_of
from tests.plan_factories import plan_with_questions
from tests.two_factor import SecondFactorClient

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)
LABELS = (
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghij", min_size=1, max_size=20)
    .map(lambda label: " ".join(label.split()))
    .filter(bool)
)
CELLS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)


@st.composite
def tables(draw):
    """(columns, rows): 1-8 columns whose keys, sorted, are not in the order their labels
    are, and 1-3 rows with a cell in every column."""
    width = draw(st.integers(min_value=1, max_value=8))
    keys = draw(st.lists(KEYS, min_size=width, max_size=width, unique=True))
    labels = draw(
        st.lists(LABELS, min_size=width, max_size=width, unique_by=lambda label: label.casefold())
    )
    if width > 1:
        # jsonb holds keys shortest first, then by bytes: never already the columns' order ...
        if sorted(keys, key=lambda key: (len(key), key)) == keys:
            keys.reverse()
        # ... and the keys sorted are not in the order the labels sort in.
        if sorted(range(width), key=lambda i: keys[i]) == sorted(
            range(width), key=lambda i: labels[i]
        ):
            labels.reverse()
    columns = [{"key": key, "label": label} for key, label in zip(keys, labels, strict=True)]
    rows = draw(
        st.lists(
            st.lists(CELLS, min_size=width, max_size=width),
            min_size=1,
            max_size=3,
        )
    )
    return columns, [dict(zip(keys, cells, strict=True)) for cells in rows]


def expected(columns, rows) -> list[dict[str, str]]:
    return [{column["label"]: row[column["key"]] for column in columns} for row in rows]


def test_any_tables_cells_print_under_their_headings_in_the_read_only_view_and_json():
    plan = plan_with_questions(questions=4)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.IN_REVIEW)
    # Only a draft form's questions change (a published one never does: docs/decisions/0331).
    PlanTemplate.objects.filter(pk=plan.template_id).update(status=PlanTemplate.Status.DRAFT)
    answer = Answer.objects.select_related("question").get(plan=plan, question__key="practices")
    question = answer.question
    lead = SecondFactorClient()
    lead.force_login(
        UserFactory(
            role=User.Role.PCT_LEAD, consortium=None, commissioner=plan.consortium.commissioner
        )
    )
    part = reverse("part_detail", args=[plan.pk, question.part.key])
    export = reverse("plan_export_json", args=[plan.pk])

    @settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(tables())
    def check(table):
        columns, rows = table
        question.columns = columns
        question.save(update_fields=["columns"])
        # As every save does, the new rows come with a new version.
        Answer.objects.filter(pk=answer.pk).update(rows=rows, version=F("version") + 1)

        response = lead.get(part)
        assert response.status_code == 200, response
        html = response.content.decode()
        assert 'class="app-answer-readonly"' in html
        assert table_of(html, question) == expected(columns, rows)

        record = json.loads(lead.get(export).content)
        exported = next(
            q["answer"] for p in record["parts"] for q in p["questions"] if q["key"] == "practices"
        )
        keys = [column["key"] for column in columns]
        assert [list(row) for row in exported["rows"]] == [keys] * len(rows)
        assert exported["cells"] == [[row[key] for key in keys] for row in rows]

    check()
