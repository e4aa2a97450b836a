from datetime import date
from decimal import Decimal

import pytest

from monitoring import selectors, services
from monitoring.models import MonitoringReturn, ReturnLine
from monitoring.services import LineInput
from signoff.canonical import content_sha256
from signoff.errors import Refused
from tests.monitoring_factories import editor_of, lead_of, open_quarter, save_filled
from tests.review_factories import demo_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

Status = MonitoringReturn.Status


def test_the_daccom_plan_is_monitored_for_two_quarters_and_its_signed_content_never_changes(
    signed_daccom,
):
    plan = signed_daccom
    signed_hash = content_sha256(plan)
    signatures = list(plan.signatures.values_list("pk", "content_sha256", "voided_at"))
    lead, editor = lead_of(plan), editor_of(plan)

    q1 = open_quarter(plan, "Q1 2006/07", date(2006, 6, 30), date(2006, 7, 31))
    q2 = open_quarter(plan, "Q2 2006/07", date(2006, 9, 30), date(2006, 10, 31))
    assert q1.content_sha256 == signed_hash
    target = q1.lines.get(kind=ReturnLine.Kind.TARGET, reference="1.1")
    assert target.planned_saving == Decimal("153000.00")
    assert q1.lines.get(kind=ReturnLine.Kind.MILESTONE, reference="6.2a").key == "m1"

    for quarter in (q1, q2):
        save_filled(
            quarter,
            editor,
            commentary="Referral management is live in all 19 practices.",
            overrides={
                "1.1": LineInput(actual_to_date="40,000", forecast_for_year="£150000"),
                "6.2a": LineInput(status="done", done_on=date(2006, 6, 20), note="Live."),
                "(b)": LineInput(status="met", note="Minutes of the 19 practices."),
            },
        )
        services.return_submit(monitoring_return=quarter, user=editor)
    services.return_accept(monitoring_return=q1, user=lead)
    services.return_send_back(monitoring_return=q2, user=lead, comment="Give the Q2 figures.")

    q1.refresh_from_db()
    q2.refresh_from_db()
    assert (q1.status, q2.status) == (Status.ACCEPTED, Status.SENT_BACK)
    assert q2.review_comment == "Give the Q2 figures."
    line = q1.lines.get(reference="1.1")
    assert (line.actual_to_date, line.forecast_for_year) == (Decimal("40000"), Decimal("150000"))
    assert q1.lines.get(reference="6.2a").status == "done"
    assert q1.lines.get(reference="(b)").status == "met"

    shown = selectors.delivery(plan)
    assert shown.source == q1
    first = next(t for t in shown.targets if t.reference == "1.1")
    assert (first.planned, first.actual, first.variance) == (
        Decimal("153000.00"),
        Decimal("40000.00"),
        Decimal("-3000.00"),
    )
    assert shown.planned_total == Decimal("2676000.00")
    assert shown.criteria_met == 1
    assert shown.rag_counts == {"green": 4, "amber": 0, "red": 0}
    # DES funding held back by the PCT as reward, a quarter of it for one criterion of four.
    assert shown.reward_released == (shown.reward_pot / 4).quantize(Decimal("0.01"))

    plan.refresh_from_db()
    assert content_sha256(plan) == signed_hash
    assert plan.status == plan.Status.SIGNED
    assert list(plan.signatures.values_list("pk", "content_sha256", "voided_at")) == signatures
    assert q1.history.count() >= 4
    assert line.history.count() == 2


def test_only_the_pct_lead_opens_a_return_and_only_for_a_signed_plan(signed_daccom):
    plan = signed_daccom
    with pytest.raises(Refused, match="Only the PCT's lead"):
        services.return_open(
            plan=plan,
            user=editor_of(plan),
            label="Q1",
            period_end=date(2006, 6, 30),
            due_on=date(2006, 7, 31),
        )
    open_quarter(plan, "Q1", date(2006, 6, 30), date(2006, 7, 31))
    with pytest.raises(Refused, match="There is already a return for Q1"):
        open_quarter(plan, "Q1", date(2006, 6, 30), date(2006, 7, 31))
    with pytest.raises(Refused, match="cannot be due before"):
        open_quarter(plan, "Q3", date(2006, 12, 31), date(2006, 12, 1))
    plan.status = plan.Status.DRAFT
    plan.save(update_fields=["status"])
    with pytest.raises(Refused, match="signed plans only"):
        open_quarter(plan, "Q2", date(2006, 9, 30), date(2006, 10, 31))


def test_a_period_typed_again_in_another_case_or_spacing_is_the_same_return(signed_daccom):
    plan = signed_daccom
    open_quarter(plan, "Q2 2006/07", date(2006, 9, 30), date(2006, 10, 31))
    for typed in (" q2 2006/07 ", "Q2  2006/07", "q2\t2006/07"):
        with pytest.raises(services.OpenRefused, match=r"already a return for Q2 2006/07\.$"):
            open_quarter(plan, typed, date(2006, 9, 30), date(2006, 10, 31))
    assert list(MonitoringReturn.objects.values_list("label", flat=True)) == ["Q2 2006/07"]
    assert open_quarter(plan, " Q3   2006/07 ").label == "Q3 2006/07"


@pytest.mark.parametrize(
    ("period_end", "due_on", "field", "message"),
    [
        (date(1, 1, 1), date(9999, 12, 31), "period_end", "from 1 April 2006 to 31 March 2008"),
        (date(2006, 3, 31), date(2006, 4, 30), "period_end", "the plan is for 2006/07"),
        (date(2008, 4, 1), date(2008, 4, 30), "period_end", "from 1 April 2006"),
        (date(2006, 6, 30), date(9999, 12, 31), "due_on", "Choose a due date by 31 December 2008"),
        (date(2006, 6, 30), date(2006, 6, 29), "due_on", "cannot be due before its period ends"),
    ],
)
def test_dates_far_from_the_plans_year_are_refused_by_their_field(
    signed_daccom, period_end, due_on, field, message
):
    plan = signed_daccom
    assert plan.period == "2006/07"
    with pytest.raises(services.OpenRefused, match=message) as refused:
        open_quarter(plan, "Q1", period_end, due_on)
    assert list(refused.value.problems) == [field]
    assert not MonitoringReturn.objects.exists()


def test_a_period_end_outside_the_plans_year_and_a_due_date_before_it_are_refused_at_once(
    signed_daccom,
):
    with pytest.raises(services.OpenRefused) as refused:
        open_quarter(signed_daccom, "Q1", date(2009, 6, 30), date(2009, 6, 1))
    assert refused.value.problems == {
        "period_end": "Choose a date the period ends from 1 April 2006 to 31 March 2008: the "
        "plan is for 2006/07.",
        "due_on": "The return cannot be due before its period ends.",
    }
    assert not MonitoringReturn.objects.exists()


def test_a_late_return_after_the_year_and_one_due_at_the_end_of_the_year_after_next_open(
    signed_daccom,
):
    plan = signed_daccom
    assert open_quarter(plan, "Q4", date(2007, 3, 31), date(2008, 12, 31)).due_on.year == 2008
    assert open_quarter(plan, "Catch-up", date(2008, 3, 31), date(2008, 4, 30))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (LineInput(actual_to_date="forty"), "must be an amount in pounds"),
        (LineInput(actual_to_date="-1"), "£0 or more"),
        (LineInput(actual_to_date="10.001"), "Enter an amount in pounds and pence, like 1,500.25"),
        (LineInput(actual_to_date="NaN"), "must be an amount in pounds"),
        (LineInput(actual_to_date="1e3"), "must be an amount in pounds"),
        (LineInput(actual_to_date="1_000"), "must be an amount in pounds"),
        (LineInput(actual_to_date="\u0661\u0662\u0663"), "must be an amount in pounds"),
        (LineInput(actual_to_date="9" * 400), "more than this service can record"),
    ],
)
def test_a_figure_that_is_not_money_is_refused_and_nothing_is_saved(signed_daccom, typed, message):
    plan = signed_daccom
    q1 = open_quarter(plan, "Q1", date(2006, 6, 30), date(2006, 7, 31))
    with pytest.raises(Refused, match=message):
        save_filled(q1, editor_of(plan), commentary="Typed.", overrides={"1.1": typed})
    q1.refresh_from_db()
    assert q1.commentary == ""
    assert not q1.lines.exclude(status="").exists()


def test_every_problem_in_a_return_is_refused_at_once_each_by_its_line_and_field(
    signed_daccom,
):
    plan = signed_daccom
    q1 = open_quarter(plan, "Q1", date(2006, 6, 30), date(2006, 7, 31))
    lines = {line.reference: line.pk for line in q1.lines.all()}
    with pytest.raises(services.ReturnRefused) as refused:
        save_filled(
            q1,
            editor_of(plan),
            commentary="x" * 10_001,
            overrides={
                "1.1": LineInput(actual_to_date="abc", forecast_for_year="-1"),
                "6.2a": LineInput(status="on_track", done_on=date(2006, 6, 1)),
            },
        )
    assert [(p.line_id, p.field) for p in refused.value.problems] == [
        (lines["6.2a"], "done_on"),
        (lines["1.1"], "actual_to_date"),
        (lines["1.1"], "forecast_for_year"),
        (None, "commentary"),
    ]
    assert not q1.lines.exclude(status="").exists()


def test_a_return_is_submitted_only_when_full_and_not_changed_once_accepted(signed_daccom):
    plan = signed_daccom
    editor = editor_of(plan)
    q1 = open_quarter(plan, "Q1", date(2006, 6, 30), date(2006, 7, 31))
    with pytest.raises(services.ReturnRefused) as refused:
        services.return_submit(monitoring_return=q1, user=editor)
    assert len(refused.value.problems) == q1.lines.count()
    lines = {line.reference: line.pk for line in q1.lines.all()}
    assert (
        services.Problem(lines["6.2a"], "status", "Choose the status of Milestone 6.2a to submit.")
        in refused.value.problems
    )
    assert (
        services.Problem(
            lines["1.1"],
            "actual_to_date",
            "Enter the actual savings to date of Savings target 1.1 to submit.",
        )
        in refused.value.problems
    )
    save_filled(q1, editor, base_version=0)
    with pytest.raises(Refused, match="only a submitted return"):
        services.return_accept(monitoring_return=q1, user=lead_of(plan))
    services.return_submit(monitoring_return=q1, user=editor)
    with pytest.raises(Refused, match="Say what"):
        services.return_send_back(monitoring_return=q1, user=lead_of(plan), comment=" ")
    services.return_accept(monitoring_return=q1, user=lead_of(plan))
    with pytest.raises(Refused, match="cannot change"):
        save_filled(q1, editor, base_version=0)
    q2 = open_quarter(plan, "Q2", date(2006, 9, 30), date(2006, 10, 31))
    with pytest.raises(Refused, match="Choose the status"):
        save_filled(q2, editor, overrides={"6.2a": LineInput(status="finished")})


def test_a_save_from_a_page_loaded_before_another_save_is_refused_and_keeps_the_other(
    signed_daccom,
):
    plan = signed_daccom
    editor, chair = editor_of(plan), demo_user("chair", plan.consortium.slug)
    q1 = open_quarter(plan)
    loaded = q1.version
    save_filled(
        q1, chair, base_version=loaded, overrides={"1.1": LineInput(actual_to_date="40000")}
    )
    with pytest.raises(services.StaleReturn) as stale:
        save_filled(
            q1,
            editor,
            base_version=loaded,
            commentary="Typed in the other tab.",
            overrides={"1.3": LineInput(actual_to_date="100000")},
        )

    assert stale.value.current.saved_by == chair
    q1.refresh_from_db()
    assert (q1.version, q1.saved_by, q1.commentary) == (loaded + 1, chair, "")
    assert q1.lines.get(reference="1.1").actual_to_date == Decimal("40000")
    assert q1.lines.get(reference="1.3").actual_to_date == Decimal("0")
