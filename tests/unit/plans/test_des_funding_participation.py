"""The DES funding kind pays the confirmed practices: list size x rate x share each, from the
rate and share the form sets; the signed figures carry the confirmations only once any is
recorded (plans/kinds/des_funding.py, docs/decisions/0436-0437)."""

from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string

from plans.exports import jsonable
from plans.kinds.base import KindContext, PracticeStanding
from plans.kinds.des_funding import DesFundingKind, standing_text
from plans.parameters import parameter_problems

VALUE = {"population": 150000, "rate_per_patient": "1.90", "practices_share_percent": "75"}
DES = {"rate_per_patient": "1.90", "practices_share_percent": "75"}
# DacCom's DES: paid to the practices who confirm their participation.
KIND = DesFundingKind().configured(DES | {"participation": "confirmed"})
# A management allowance paid to the consortium: the form asks nothing of the practices.
ALLOWANCE = DesFundingKind().configured(DES)


def practice(n: int, list_size: int | None, state: str = "", means: str = "written"):
    return PracticeStanding(
        practice_id=n, name=f"Surgery {n}", code=f"E8200{n}", list_size=list_size, lead_id=None,
        state=state, means=means if state else "", on=date(2007, 3, 1) if state else None,
        recorded_by="Pat PCT" if state else "",
    )  # fmt: skip


def context(*standings):
    return KindContext(declared_population=150000, participation=standings)


def test_only_confirmed_practices_with_a_list_size_are_paid():
    payments = KIND.payments(
        VALUE,
        context=context(
            practice(1, 10000, "confirmed"),
            practice(2, 5000, "withdrawn"),
            practice(3, 8000),
            practice(4, None, "confirmed"),
        ),
    )
    assert [amount for _standing, amount in payments] == [
        Decimal("14250.00"), Decimal(0), Decimal(0), Decimal(0)
    ]  # fmt: skip


def test_a_plan_with_no_record_keeps_the_figures_it_signed_before():
    unrecorded = KIND.figures(VALUE, context=context(practice(1, 10000), practice(2, 5000)))
    assert "confirmed_practices" not in unrecorded
    assert unrecorded == KIND.figures(VALUE, context=KindContext(declared_population=150000))


def test_once_recorded_the_figures_carry_the_confirmed_practices_and_their_total():
    figures = KIND.figures(
        VALUE, context=context(practice(1, 10000, "confirmed"), practice(2, 5000, "withdrawn"))
    )
    assert figures["confirmed_population"] == 10000
    assert figures["to_confirmed_practices"] == Decimal("14250.00")
    assert figures["confirmed_practices"] == [
        {"code": "E82001", "list_size": 10000, "on": date(2007, 3, 1),
         "to_practice": Decimal("14250.00")},
    ]  # fmt: skip
    # The declared population's figures stand beside them, unchanged.
    assert figures["to_practices"] == Decimal("213750.00")


def test_where_a_practice_stands_reads_as_a_sentence():
    assert standing_text(practice(1, 100)) == "Not confirmed"
    assert standing_text(practice(1, 100, "confirmed", "signed_in")) == (
        "Confirmed on 1 March 2007 by Pat PCT"
    )
    assert standing_text(practice(1, 100, "withdrawn")) == (
        "Withdrawn on 1 March 2007 in writing, recorded by Pat PCT"
    )


def test_the_presented_participation_table_is_not_in_the_export_nor_canonical_version_1():
    presented = KIND.present(
        {"population": "150000"}, context=context(practice(1, 10000, "confirmed"))
    )
    assert presented["participation"]["confirmed_count"] == 1
    assert "participation" not in jsonable(presented)


def test_a_form_that_does_not_ask_for_participation_presents_no_practices_table():
    standings = context(practice(1, 10000, "confirmed"), practice(2, 5000))

    presented = ALLOWANCE.present({"population": "150000"}, context=standings)
    unrecorded = ALLOWANCE.present({"population": "150000"}, context=context(practice(1, 10000)))

    assert presented["computed"] and "participation" not in presented
    assert "participation" not in unrecorded
    # What is presented otherwise, and so canonical version 1, is the same either way.
    asked = KIND.present({"population": "150000"}, context=standings)
    assert jsonable(presented) == jsonable(asked)


def test_the_participation_parameter_is_confirmed_or_none():
    assert parameter_problems("des_funding", {"participation": "confirmed"}) == []
    assert parameter_problems("des_funding", {"participation": "none"}) == []
    assert parameter_problems("des_funding", {"participation": "yes"}) == [
        "parameter 'participation' is 'yes'; the choices are: confirmed, none"
    ]


def test_the_forms_label_for_the_practices_share_is_printed_as_the_form_writes_it():
    kind = DesFundingKind().configured(
        {
            "rate_per_patient": "1.90",
            "practices_share_percent": "55",
            "labels": {"to_practices": "Paid in April"},
            "participation": "confirmed",
        }
    )
    figures = kind.present(
        {"population": "150000"},
        context=context(practice(1, 6000, "confirmed"), practice(2, 4000)),
    )

    assert "Paid in April: 55%" in figures["set_by_form"]
    caption = render_to_string(
        "plans/participation_table.html", {"participation": figures["participation"]}
    ).split("</caption>")[0]
    assert "a registered population of 6,000. Paid in April, for " in caption
    page = render_to_string("plans/structured/des_funding.html", {"figures": figures})
    assert "(of 2): <strong>£6,270</strong>, under “Paid in April”." in page
    assert "paid in april" not in page
