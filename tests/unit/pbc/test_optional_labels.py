"""The NHS.UK field template adds "(optional)" to a field that is not required, so a label that
said it too read "(optional) (optional)"."""

from datetime import date

import pytest
from crispy_forms.utils import render_crispy_form

from consortia.models import Consortium
from plans.models import PlanTemplate
from plans.round_forms import RoundOpenForm
from plans.workflow import TRANSITIONS, Action
from signoff.forms import ActionForm

TEMPLATES, CONSORTIA = PlanTemplate.objects.none(), Consortium.objects.none()


@pytest.mark.parametrize(
    ("form", "label"),
    [
        (
            lambda: RoundOpenForm(
                templates=TEMPLATES, consortia=CONSORTIA, today=date(2026, 11, 27)
            ),
            "Interim dates",
        ),
        (lambda: ActionForm(transition=TRANSITIONS[Action.APPROVE]), "Note for the consortium"),
    ],
)
def test_an_optional_fields_label_says_optional_once(form, label):
    html = render_crispy_form(form())

    assert f"{label} (optional)</label>" in html
    assert "(optional) (optional)" not in html
