"""A figure is printed whole: a negative amount's minus sign stays on the line of its pounds, so
no reader of the printed plan takes "-£14,749.25" split over two lines for a positive amount."""

import pytest

from plans import services
from tests.factories import UserFactory
from tests.integration.signoff.pdf_helpers import draft_pdf
from tests.integration.signoff.test_pdf_long_words import printed_text, table_answer
from tests.plan_factories import plan_with_questions

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# Eight columns, as a PCT's schemes table has, so each is narrow on the page.
SCHEMES = [
    {"key": "scheme", "label": "Scheme"},
    {"key": "budget", "label": "Budget (£)", "type": "money", "total": "sum"},
    {"key": "savings", "label": "Planned savings (£)", "type": "money", "total": "sum"},
    {"key": "uplift", "label": "Uplift (%)", "type": "percent"},
    {"key": "start", "label": "Start date", "type": "date"},
    {"key": "agreed", "label": "Agreed with PCT", "type": "yes_no", "total": "count_yes"},
    {"key": "area", "label": "Area", "type": "choice",
     "options": ["Prescribing", "Secondary care", "Community"]},
    {"key": "net", "label": "Net cost (£)", "type": "money", "formula": "budget - savings",
     "total": "sum"},
]  # fmt: skip


def test_a_negative_amount_in_a_narrow_column_keeps_its_minus_sign_on_its_line():
    plan = plan_with_questions(questions=4)
    answer = table_answer(plan)
    answer.question.columns = SCHEMES
    answer.question.save(update_fields=["columns"])
    rows = [
        {"scheme": "COPD community service", "budget": "120000.50", "savings": "45000",
         "uplift": "2.5", "start": "2008-04-01", "agreed": "yes", "area": "Community"},
        {"scheme": "Prescribing switch of statins", "budget": "15250.75", "savings": "30000",
         "uplift": "0", "start": "2008-06-01", "agreed": "yes", "area": "Prescribing"},
        {"scheme": "Outpatient triage", "budget": "12000", "savings": "2500.25",
         "uplift": "10", "start": "2008-09-15", "agreed": "no", "area": "Secondary care"},
    ]  # fmt: skip
    services.answer_save(
        answer=answer,
        user=UserFactory(consortium=plan.consortium),
        base_version=answer.version,
        rows=rows,
    )

    rendered = draft_pdf(plan)

    words = printed_text(rendered.pdf).split()
    assert "-£14,749.25" in words, [word for word in words if "14,749" in word or word == "-"]
    assert "-" not in words
    assert "£75,000.50" in words
