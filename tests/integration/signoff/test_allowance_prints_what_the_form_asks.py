"""A payment per patient prints the practices taking part only where its form asks for their
participation (the des_funding parameter ``participation: confirmed``, docs/decisions/0329):
Riverside's management allowance asks nothing of its practices, so its PDF and Word export show
the allowance alone; DacCom's DES still lists its practices."""

import pytest

from consortia.models import User
from plans import services as plan_services
from signoff import services
from signoff.models import PlanDocument
from signoff.word_export import plan_docx
from tests.integration.signoff.pdf_helpers import pdf_text
from tests.plan_factories import demo_daccom_plan
from tests.review_factories import person
from tests.riverside import RETURN, riverside_plan, word_text

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

NOT_ASKED = ("Practices taking part", "Not confirmed", "Not paid", "Weir Road Surgery")


def allowance_plan():
    plan = riverside_plan(RETURN, title="Riverside Commissioning Intentions 2008/09")
    editor = person(User.Role.CONSORTIUM_EDITOR, plan)
    allowance = plan.answers.get(question__key="allowance")
    plan_services.answer_save(
        answer=allowance, user=editor, base_version=allowance.version, data={"population": "12000"}
    )
    return plan, editor


def test_the_allowance_prints_its_figures_and_no_practices_in_the_pdf_and_word(
    django_capture_on_commit_callbacks,
):
    plan, editor = allowance_plan()

    with django_capture_on_commit_callbacks(execute=True):
        document = services.draft_pdf_request(plan=plan, user=editor)
    document.refresh_from_db()
    assert document.state == PlanDocument.State.READY, document.failure_reason
    printed = " ".join(pdf_text(document.pdf).split())
    word = word_text(plan_docx(plan=plan, user=editor))

    for text in (printed, word):
        assert "Riverside management allowance" in text and "Allowance for the year" in text
        assert "27,000" in text  # 12,000 patients at £2.25
        for words in NOT_ASKED:
            assert words not in text, words


def test_daccoms_des_still_lists_the_practices_taking_part():
    plan = demo_daccom_plan()

    word = word_text(plan_docx(plan=plan, user=person(User.Role.CONSORTIUM_EDITOR, plan)))

    # Word keeps a table's rows, not its caption.
    assert "Participation" in word and "Boxwell Road Surgery (E82001) 11,200 Not confirmed" in word
