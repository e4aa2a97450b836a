from decimal import Decimal

from monitoring.presenters import CHART_WIDTH, LABEL_WIDTH, savings_chart
from monitoring.selectors import Delivery, TargetDelivery


def target(reference: str, planned: str, actual: str | None) -> TargetDelivery:
    return TargetDelivery(
        reference, "", Decimal(planned), Decimal(actual) if actual else None, None
    )


def test_the_chart_scales_bars_to_the_largest_figure_and_says_its_totals_in_words():
    delivery = Delivery(
        source=None,
        targets=[target("1.1", "153000", "40000"), target("8.1", "800000", None)],
    )

    chart = savings_chart(delivery)

    span = CHART_WIDTH - LABEL_WIDTH - 10
    first, last = chart["rows"]
    assert last.planned.width == span
    assert first.planned.width == int(Decimal(153000) * span / 800000)
    assert first.actual.width == int(Decimal(40000) * span / 800000)
    assert last.actual.width == 0
    assert chart["summary"] == (
        # Blanks are not £0 (docs/decisions/0415).
        "Planned savings £953k, actual to date £40k (1 of 2 targets has no actual to date), "
        "forecast for the year not given, across 2 targets."
    )


def test_an_empty_delivery_draws_an_empty_chart():
    chart = savings_chart(Delivery(source=None))

    assert chart["rows"] == []
    assert "across 0 targets" in chart["summary"]
