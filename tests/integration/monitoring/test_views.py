"""The monitoring pages: the main journey through the client, scope, refusals on the page, the
CSV figures and the pages' query budgets."""

import csv
import io
from datetime import date
from decimal import Decimal

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consortia.models import User
from monitoring.models import MonitoringReturn, ReturnLine
from plans import services
from plans.content import PlanContent
from plans.finance import format_money
from signoff import services as signoff_services
from signoff.canonical import content_sha256
from signoff.services import plan_reopen
from tests.factories import CommissionerFactory, ConsortiumFactory, UserFactory
from tests.monitoring_factories import accepted, editor_of, lead_of, open_quarter
from tests.plan_factories import demo_daccom_plan
from tests.review_factories import approve, demo_user, person
from tests.riverside import NOTE, riverside_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
Status = MonitoringReturn.Status


def posted_return(item: MonitoringReturn, *, action: str, **overrides) -> dict:
    """The return form as a person would send it, every line filled, ``overrides`` by field."""
    item.refresh_from_db()
    data = {"action": action, "base_version": item.version, "commentary": "On track overall."}
    for line in item.lines.all():
        p = f"line-{line.pk}"
        if line.kind == ReturnLine.Kind.TARGET:
            data[f"{p}-actual"] = "0"
            data[f"{p}-forecast"] = f"{line.planned_saving:f}"
            data[f"{p}-note"] = ""
        else:
            data[f"{p}-status"] = (
                "on_track" if line.kind == ReturnLine.Kind.MILESTONE else "not_met"
            )
            data[f"{p}-note"] = ""
    by_reference = {line.reference: f"line-{line.pk}" for line in item.lines.all()}
    for key, value in overrides.items():
        reference, name = key.split("__")
        data[f"{by_reference[reference]}-{name}"] = value
    return data


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_pct_opens_a_return_the_consortium_fills_it_and_the_dashboard_shows_it(
    client, signed_daccom
):
    plan = signed_daccom
    signed_hash = content_sha256(plan)
    lead, editor = lead_of(plan), editor_of(plan)

    client.force_login(lead)
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert reverse("monitoring:plan", args=[plan.pk]) in page
    response = client.post(
        reverse("monitoring:plan", args=[plan.pk]),
        {"label": "Q1 2006/07", "period_end": "2006-06-30", "due_on": "2006-07-31"},
    )
    item = MonitoringReturn.objects.get(plan=plan)
    assert response.url == reverse("monitoring:return", args=[item.pk])

    client.force_login(editor)
    form = client.get(response.url).content.decode()
    assert "Savings target 1.1" in form and "Submit the return" in form
    submitted = client.post(
        response.url,
        posted_return(
            item,
            action="submit",
            **{
                "1.1__actual": "40000",
                "1.1__forecast": "150000",
                "1.1__note": '=HYPERLINK("x")',
                "6.2a__status": "done",
                "6.2a__done_on": "2006-06-20",
                "(b)__status": "met",
            },
        ),
    )
    assert submitted.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED

    client.force_login(lead)
    client.post(response.url, {"action": "accept", "comment": ""})
    item.refresh_from_db()
    assert item.status == Status.ACCEPTED
    dashboard = client.get(reverse("monitoring:plan", args=[plan.pk])).content.decode()
    assert "£2,676,000" in dashboard and "£40,000" in dashboard and "£153,000" in dashboard
    assert "Planned against actual savings by target" in dashboard
    assert "1 of 4 criteria met in full" in dashboard
    assert "£17,812.50 of the £71,250 reward is due" in dashboard
    # The PCT-wide dashboard gives each plan the same reward figure.
    everyone_page = client.get(reverse("monitoring:to_do")).content.decode()
    assert "Reward due" in everyone_page and "£17,812.50 of £71,250" in everyone_page

    rows = csv_rows(client.get(reverse("monitoring:plan_figures", args=[plan.pk, "csv"])))
    target = next(row for row in rows if row[1] == "1.1")
    assert target[4:5] + target[7:10] == ["153000.00", "40000.00", "150000.00", "-3000.00"]
    assert target[10] == '\'=HYPERLINK("x")'
    everyone = csv_rows(client.get(reverse("monitoring:round_figures", args=["csv"])))
    assert sum(1 for row in everyone[1:] if row[0] == plan.consortium.name) == len(
        [t for t in item.lines.all() if t.kind == ReturnLine.Kind.TARGET]
    )
    book = load_workbook(
        io.BytesIO(client.get(reverse("monitoring:plan_figures", args=[plan.pk, "xlsx"])).content)
    )
    cells = {row[1].value: row for row in book.active.iter_rows(min_row=2)}
    first = cells["1.1"]
    assert [first[i].value for i in (4, 7, 8, 9)] == [153000, 40000, 150000, -3000]
    assert all(first[i].data_type == "n" for i in (4, 7, 8, 9))
    assert first[10].value == '=HYPERLINK("x")' and first[10].data_type == "s"
    assert cells["6.2a"][6].value.date() == date(2006, 6, 20)
    planned = sum(row[4].value for row in cells.values() if row[0].value == "Savings target")
    assert planned == 2676000  # the pages' £2,676,000 (£2.68m)
    per_pct = load_workbook(
        io.BytesIO(client.get(reverse("monitoring:round_figures", args=["xlsx"])).content)
    ).active
    assert sum(row[5].value for row in per_pct.iter_rows(min_row=2)) == 2676000

    plan.refresh_from_db()
    assert content_sha256(plan) == signed_hash


def test_pages_outside_the_callers_scope_answer_404(client, signed_daccom):
    plan = signed_daccom
    item = open_quarter(plan)
    elsewhere = ConsortiumFactory(commissioner=CommissionerFactory())
    outsider = UserFactory(role="consortium_editor", consortium=elsewhere)
    client.force_login(outsider)

    for url in (
        reverse("monitoring:plan", args=[plan.pk]),
        reverse("monitoring:plan_figures", args=[plan.pk, "csv"]),
        reverse("monitoring:return", args=[item.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("monitoring:return", args=[item.pk]), {"action": "save"}).status_code
        == 404
    )
    assert csv_rows(client.get(reverse("monitoring:round_figures", args=["csv"])))[1:] == []
    assert "Q1 2006/07" not in client.get(reverse("monitoring:to_do")).content.decode()


@pytest.fixture
def editors_return(client, signed_daccom):
    """DacCom's first quarter opened and its address, with the plan's editor signed in."""
    item = open_quarter(signed_daccom)
    client.force_login(editor_of(signed_daccom))
    return item, reverse("monitoring:return", args=[item.pk])


def saved_by_its_editor(client, plan, **typed):
    """DacCom's first quarter opened, then saved by its editor with every line filled and
    ``typed`` (by reference, as posted_return takes them): the return and the answer."""
    item = open_quarter(plan)
    client.force_login(editor_of(plan))
    response = client.post(
        reverse("monitoring:return", args=[item.pk]),
        posted_return(item, action="save", **typed),
    )
    return item, response


def test_a_refused_figure_comes_back_on_the_page_with_what_was_typed(client, signed_daccom):
    item, response = saved_by_its_editor(client, signed_daccom, **{"1.1__actual": "forty thousand"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "must be an amount in pounds" in page and 'value="forty thousand"' in page
    assert not item.lines.exclude(actual_to_date=None).exists()


def test_every_refused_figure_is_named_at_once_linked_to_its_field_and_marked_beside_it(
    client, signed_daccom
):
    item, response = saved_by_its_editor(
        client, signed_daccom, **{"1.1__actual": "abc", "1.5__actual": "-100"}
    )
    fields = {line.reference: f"id_line-{line.pk}-actual" for line in item.lines.all()}

    assert response.status_code == 400
    page = lxml.html.fromstring(response.content)
    summary = page.xpath("//div[@class='nhsuk-error-summary']//li/a")
    assert [(a.get("href"), a.text_content()) for a in summary] == [
        (
            f"#{fields['1.1']}",
            "The actual savings of Savings target 1.1 must be an amount in pounds, like 40000.",
        ),
        (
            f"#{fields['1.5']}",
            "The actual savings of Savings target 1.5 must be an amount in pounds of £0 or more.",
        ),
    ]
    for reference, typed in (("1.1", "abc"), ("1.5", "-100")):
        group = page.get_element_by_id(f"div_{fields[reference]}")
        assert "nhsuk-form-group--error" in group.get("class")
        message = group.xpath(".//span[@class='nhsuk-error-message']")[0].text_content()
        assert f"Savings target {reference}" in message
        box = page.get_element_by_id(fields[reference])
        assert box.get("value") == typed and "nhsuk-input--error" in box.get("class")
    assert len(page.xpath("//span[@class='nhsuk-error-message']")) == 2
    assert page.get_element_by_id(fields["1.3"]).get("value") == "0"
    assert not item.lines.exclude(actual_to_date=None).exists()


def test_a_date_the_form_cannot_read_and_a_figure_the_return_refuses_show_together(
    client, signed_daccom
):
    _item, response = saved_by_its_editor(
        client,
        signed_daccom,
        **{"1.1__actual": "abc", "6.2a__status": "done", "6.2a__done_on": "2006-02-30"},
    )

    assert response.status_code == 400
    summary = lxml.html.fromstring(response.content).xpath(
        "//div[@class='nhsuk-error-summary']//li/a/text()"
    )
    assert summary == [  # in the page's order: milestones come before targets
        "Enter a real date.",
        "The actual savings of Savings target 1.1 must be an amount in pounds, like 40000.",
    ]


def page_form(response) -> dict:
    """The return form's fields as the page holds them, as a browser would send them."""
    page = lxml.html.fromstring(response.content)
    values = page.xpath("//form[.//button[@value='save']]")[0].form_values()
    # A browser drops the newline Django writes after a textarea's opening tag.
    return {name: value.removeprefix("\n") for name, value in values}


def unsaved_rows(response) -> list[list[str]]:
    """The table of what was typed and not saved, a list of cells a row."""
    rows = lxml.html.fromstring(response.content).xpath(
        "//table[caption='What you typed that is not saved']/tbody/tr"
    )
    return [
        [cell.xpath("string(./span[last()])") or cell.text_content() for cell in row]
        for row in rows
    ]


def test_a_save_from_a_second_tab_keeps_what_the_first_saved_and_shows_both(client, editors_return):
    item, url = editors_return
    fields = {line.reference: f"line-{line.pk}" for line in item.lines.all()}
    tab_a, tab_b = page_form(client.get(url)), page_form(client.get(url))

    tab_a[f"{fields['1.1']}-actual"] = "40000"
    assert client.post(url, {**tab_a, "action": "save"}).status_code == 302
    tab_b["commentary"] = "Typed in tab B."
    tab_b[f"{fields['1.3']}-actual"] = "100000"
    clash = client.post(url, {**tab_b, "action": "save"})

    assert clash.status_code == 409
    item.refresh_from_db()
    assert item.commentary == ""
    assert item.lines.get(reference="1.1").actual_to_date == 40000
    assert item.lines.get(reference="1.3").actual_to_date is None
    page = lxml.html.fromstring(clash.content)
    callout = page.xpath("string(//div[@class='nhsuk-warning-callout'])")
    assert "You saved this return in another window or tab at " in callout
    assert "your figures are in the form below, kept" in callout
    assert unsaved_rows(clash) == [
        ["Savings target 1.1", "Actual savings to date, in pounds", "Not given", "£40,000"],
        ["Savings target 1.3", "Actual savings to date, in pounds", "£100,000", "Not given"],
        ["The return", "Commentary", "Typed in tab B.", "Not given"],
    ]
    kept = page_form(clash)
    assert kept["commentary"] == "Typed in tab B."
    assert kept[f"{fields['1.3']}-actual"] == "100000"

    # Saved again from the clash page, the person's figures are kept, as they chose.
    assert client.post(url, {**kept, "action": "save"}).status_code == 302
    item.refresh_from_db()
    assert item.commentary == "Typed in tab B."
    assert item.lines.get(reference="1.3").actual_to_date == 100000


def test_the_return_pages_write_money_as_the_plan_pages_do_and_a_sub_penny_figure_as_typed(
    client, editors_return
):
    item, url = editors_return
    opened = client.get(url)
    legends = lxml.html.fromstring(opened.content).xpath("//legend/span/text()")
    assert "Savings target 1.1, planned £153,000" in legends  # whole pounds, as the plan has it
    other_tab = page_form(opened)
    client.post(url, posted_return(item, action="submit", **{"1.1__actual": "40000.5"}))
    other_tab[f"line-{item.lines.get(reference='1.1').pk}-actual"] = "40000.005"

    refused = client.post(url, {**other_tab, "action": "save"})

    assert refused.status_code == 400
    typed = ["Savings target 1.1", "Actual savings to date, in pounds", "40000.005", "£40,000.50"]
    assert typed in unsaved_rows(refused)
    summary = lxml.html.fromstring(refused.content).xpath(
        "string(//dt[starts-with(., 'Savings target 1.1')]/following-sibling::dd)"
    )
    assert summary == "Planned £153,000; actual to date £40,000.50; forecast £153,000"


def submitted_then_accepted(client, item: MonitoringReturn, posted: dict) -> MonitoringReturn:
    """``item`` submitted as ``posted`` by the consortium's editor, then accepted by the lead."""
    url = reverse("monitoring:return", args=[item.pk])
    client.force_login(editor_of(item.plan))
    assert client.post(url, posted).status_code == 302
    client.force_login(lead_of(item.plan))
    assert client.post(url, {"action": "accept", "comment": ""}).status_code == 302
    return item


def test_the_delivery_dashboard_writes_money_as_the_return_does_pence_kept(client, signed_daccom):
    plan = signed_daccom
    item = open_quarter(plan)
    url = reverse("monitoring:return", args=[item.pk])
    submitted_then_accepted(
        client, item, posted_return(item, action="submit", **{"1.1__actual": "40000.5"})
    )

    summary = lxml.html.fromstring(client.get(url).content).xpath(
        "string(//dt[starts-with(., 'Savings target 1.1')]/following-sibling::dd)"
    )
    dashboard = lxml.html.fromstring(client.get(reverse("monitoring:plan", args=[plan.pk])).content)
    row = dashboard.xpath("//tr[th[starts-with(normalize-space(), '1.1 ')]]")[0]
    cells = [" ".join(cell.text_content().split()) for cell in row]

    assert "actual to date £40,000.50" in summary
    assert "£40,000.50" in cells and "£153,000" in cells  # pence when there are some
    assert "£40,001" not in dashboard.text_content()


def accepted_with_forecasts(client, plan, **forecasts) -> MonitoringReturn:
    """A return submitted with actual savings and no forecast but ``forecasts`` (by target
    reference), then accepted."""
    item = open_quarter(plan)
    posted = posted_return(item, action="submit")
    for line in item.lines.filter(kind=ReturnLine.Kind.TARGET):
        posted[f"line-{line.pk}-actual"] = "1000"
        posted[f"line-{line.pk}-forecast"] = forecasts.get(line.reference, "")
    return submitted_then_accepted(client, item, posted)


def total_row(page) -> list[str]:
    row = lxml.html.fromstring(page).xpath("//tr[th[normalize-space() = 'Total']]")[0]
    return [" ".join(cell.text_content().split()) for cell in row]


def test_totals_of_blank_forecasts_say_not_given_rather_than_a_total_shortfall(
    client, signed_daccom
):
    plan = signed_daccom
    accepted_with_forecasts(client, plan)

    page = client.get(reverse("monitoring:plan", args=[plan.pk])).content.decode()
    everyone = client.get(reverse("monitoring:to_do")).content.decode()

    assert total_row(page)[3:] == ["Not given", "Not shown: no forecast given"]
    assert "forecast for the year not given" in page
    assert '--numeric">Not given</td>' in everyone  # the dashboard's Forecast column
    assert '--numeric">£0</td>' not in everyone


def test_totals_of_some_forecasts_count_the_blanks_and_compare_only_what_was_given(
    client, signed_daccom
):
    plan = signed_daccom
    item = accepted_with_forecasts(client, plan, **{"1.1": "150000"})
    targets = item.lines.filter(kind=ReturnLine.Kind.TARGET)
    planned = targets.get(reference="1.1").planned_saving
    blank = targets.count() - 1

    page = client.get(reverse("monitoring:plan", args=[plan.pk])).content.decode()
    forecast, variance = total_row(page)[3:]

    assert forecast == f"£150,000 ({blank} of {blank + 1} targets have no forecast)"
    shortfall = format_money(Decimal(150000) - planned)
    assert variance == f"{shortfall} (on the target with a forecast)"


def test_a_later_return_with_a_lower_actual_to_date_warns_but_saves(client, signed_daccom):
    plan = signed_daccom
    first = open_quarter(plan)
    submitted_then_accepted(
        client, first, posted_return(first, action="submit", **{"1.1__actual": "680000"})
    )
    second = open_quarter(plan, "Q2 2006/07", date(2006, 9, 30), date(2006, 10, 31))
    url = reverse("monitoring:return", args=[second.pk])
    client.force_login(editor_of(plan))

    saved = client.post(url, posted_return(second, action="save", **{"1.1__actual": "9000"}))
    page = " ".join(client.get(url).content.decode().split())

    assert saved.status_code == 302
    assert "Actual savings lower than reported before" in page
    assert (
        "Savings target 1.1: £9,000 to date, lower than £680,000 in the accepted return for "
        "Q1 2006/07." in page
    )


def test_saved_money_comes_back_in_its_box_in_pounds_and_pence_and_saves_again_unchanged(
    client, editors_return
):
    item, url = editors_return
    target = item.lines.get(reference="1.1")
    actual, forecast = f"line-{target.pk}-actual", f"line-{target.pk}-forecast"
    typed = {actual: "40000.5", forecast: "£153000", "action": "save"}
    assert client.post(url, {**page_form(client.get(url)), **typed}).status_code == 302

    shown = page_form(client.get(url))

    assert (shown[actual], shown[forecast]) == ("40,000.50", "153,000.00")
    assert client.post(url, {**shown, "action": "save"}).status_code == 302
    target.refresh_from_db()
    assert (target.actual_to_date, target.forecast_for_year) == (
        Decimal("40000.50"),
        Decimal("153000.00"),
    )


def test_money_typed_with_a_fraction_of_a_penny_is_refused_on_its_field_and_kept(
    client, editors_return
):
    item, url = editors_return
    field = f"line-{item.lines.get(reference='1.1').pk}-actual"

    response = client.post(
        url, {**page_form(client.get(url)), field: "£40,000.005", "action": "save"}
    )

    assert response.status_code == 400
    page = lxml.html.fromstring(response.content)
    message = (
        "The actual savings of Savings target 1.1 has more than 2 decimal places. "
        "Enter an amount in pounds and pence, like 1,500.25."
    )
    assert message in page.get_element_by_id(f"div_id_{field}").text_content()
    assert page.get_element_by_id(f"id_{field}").get("value") == "£40,000.005"
    assert item.lines.get(reference="1.1").actual_to_date is None


def test_a_saved_commentary_comes_back_in_its_box_and_a_later_save_keeps_it(client, signed_daccom):
    item, _response = saved_by_its_editor(client, signed_daccom)
    url = reverse("monitoring:return", args=[item.pk])

    assert page_form(client.get(url))["commentary"] == "On track overall."
    client.post(url, {**page_form(client.get(url)), "action": "save"})
    item.refresh_from_db()
    assert item.commentary == "On track overall."


def test_a_clash_with_someone_else_names_them_and_when_they_saved(client, signed_daccom):
    plan = signed_daccom
    item = open_quarter(plan)
    url = reverse("monitoring:return", args=[item.pk])
    chair = demo_user("chair", plan.consortium.slug)
    client.force_login(editor_of(plan))
    loaded = page_form(client.get(url))
    client.force_login(chair)
    client.post(url, {**page_form(client.get(url)), "commentary": "Chair's.", "action": "save"})
    client.force_login(editor_of(plan))

    clash = client.post(url, {**loaded, "action": "save"})

    assert clash.status_code == 409
    item.refresh_from_db()
    when = timezone.localtime(item.saved_at).strftime("%H:%M")
    callout = lxml.html.fromstring(clash.content).xpath(
        "string(//div[@class='nhsuk-warning-callout'])"
    )
    assert f"{chair.full_name} saved this return at {when} while you were editing" in callout
    assert unsaved_rows(clash) == [["The return", "Commentary", "Not given", "Chair's."]]


def test_what_was_typed_stays_on_the_page_when_the_return_was_submitted_from_another_tab(
    client, editors_return
):
    item, url = editors_return
    tab_b = page_form(client.get(url))
    assert client.post(url, posted_return(item, action="submit")).status_code == 302

    tab_b["commentary"] = "Typed after the other tab submitted."
    refused = client.post(url, {**tab_b, "action": "save"})

    assert refused.status_code == 400
    page = refused.content.decode()
    assert "The return is submitted: it cannot change." in page
    assert "What you typed is not saved" in page
    assert [
        "The return",
        "Commentary",
        "Typed after the other tab submitted.",
        "On track overall.",
    ] in unsaved_rows(refused)


def test_a_refused_submit_after_a_save_keeps_the_page_saving_without_a_clash(client, signed_daccom):
    item, _response = saved_by_its_editor(client, signed_daccom)
    url = reverse("monitoring:return", args=[item.pk])
    posted = posted_return(item, action="submit", **{"6.2a__status": ""})

    refused = client.post(url, posted)

    assert refused.status_code == 400
    assert "Choose the status of Milestone 6.2a to submit." in refused.content.decode()
    assert client.post(url, {**page_form(refused), "action": "save"}).status_code == 302


def test_a_submit_refused_for_lines_to_fill_links_each_to_its_field_and_marks_the_field(
    client, editors_return
):
    item, url = editors_return
    status = f"line-{item.lines.get(reference='6.2c').pk}-status"
    actual = f"line-{item.lines.get(reference='1.7').pk}-actual"
    posted = posted_return(item, action="submit", **{"6.2c__status": "", "1.7__actual": ""})

    refused = client.post(url, posted)

    assert refused.status_code == 400
    page = lxml.html.fromstring(refused.content)
    assert page.findtext(".//title").startswith("Error: ")
    links = page.xpath("//div[@class='nhsuk-error-summary']//li/a")
    assert [(link.get("href"), link.text_content()) for link in links] == [
        (f"#id_{status}", "Choose the status of Milestone 6.2c to submit."),
        (f"#id_{actual}", "Enter the actual savings to date of Savings target 1.7 to submit."),
    ]
    for name in (status, actual):
        assert page.get_element_by_id(f"id_{name}") is not None  # each link's target
        assert page.get_element_by_id(f"id_{name}-error").text_content().startswith("Error:")
    item.refresh_from_db()
    assert item.status == Status.OPEN


def test_the_return_form_calls_optional_only_what_submitting_does_not_need(client, editors_return):
    item, url = editors_return

    page = lxml.html.fromstring(client.get(url).content)

    def label(reference: str, name: str) -> str:
        line = item.lines.get(reference=reference)
        return page.xpath(f"string(//label[@for='id_line-{line.pk}-{name}'])")

    assert label("6.2a", "status") == "Status"
    assert label("(a)", "status") == "Status"
    assert label("1.1", "actual") == "Actual savings to date, in pounds"
    assert label("1.1", "forecast") == "Forecast savings for the year, in pounds (optional)"
    assert label("6.2a", "done_on") == "Date done (optional)"
    assert "To submit it, give every milestone and success criterion a status" in (
        page.text_content()
    )


def test_the_return_and_the_dashboard_read_as_plain_sentences(client, signed_daccom):
    plan = signed_daccom
    item = accepted(open_quarter(plan))
    client.force_login(lead_of(plan))

    page = lxml.html.fromstring(client.get(reverse("monitoring:return", args=[item.pk])).content)
    opened = page.xpath("//h1/following-sibling::p[1]")[0]
    assert f"the signed plan's fingerprint begins {item.content_sha256[:16]})." in (
        opened.text_content()
    )
    assert not opened.xpath(".//*[contains(@class, 'nhsuk-body-s')]")  # a block inside <p>
    assert "content hash" not in opened.text_content()
    dashboard = lxml.html.fromstring(client.get(reverse("monitoring:plan", args=[plan.pk])).content)
    criteria = [
        li.text_content()
        for li in dashboard.xpath("//h3[.='Success criteria and reward']/following::ul[1]/li")
    ]
    assert criteria == [
        f"{line.reference} Not met: {line.text}"
        for line in item.lines.filter(kind=ReturnLine.Kind.CRITERION)
    ]
    assert not [text for text in criteria if ".:" in text]


def test_a_period_opened_twice_or_absurd_dates_are_named_beside_their_fields(client, signed_daccom):
    plan = signed_daccom
    open_quarter(plan, "Q2 2006/07", date(2006, 9, 30), date(2006, 10, 31))
    client.force_login(lead_of(plan))
    url = reverse("monitoring:plan", args=[plan.pk])

    again = client.post(
        url, {"label": " q2 2006/07 ", "period_end": "2006-09-30", "due_on": "2006-10-31"}
    )
    absurd = client.post(
        url, {"label": "Q3 2006/07", "period_end": "0001-01-01", "due_on": "9999-12-31"}
    )

    assert (again.status_code, absurd.status_code) == (400, 400)
    for response, field, message, typed in (
        (again, "label", "There is already a return for Q2 2006/07.", " q2 2006/07 "),
        (absurd, "period_end", "from 1 April 2006 to 31 March 2008", "0001-01-01"),
    ):
        page = lxml.html.fromstring(response.content)
        summary = page.xpath("//div[@class='nhsuk-error-summary']//li/a")
        assert summary[0].get("href") == f"#id_{field}"
        assert message in summary[0].text_content()
        assert message in page.get_element_by_id(f"div_id_{field}").text_content()
        assert page.get_element_by_id(f"id_{field}").get("value") == typed
    assert MonitoringReturn.objects.filter(plan=plan).count() == 1


def test_every_fault_in_opening_a_return_is_named_at_once_each_beside_its_field(
    client, signed_daccom
):
    plan = signed_daccom
    client.force_login(lead_of(plan))

    response = client.post(
        reverse("monitoring:plan", args=[plan.pk]),
        {"label": "", "period_end": "2009-06-30", "due_on": "2009-06-01"},
    )

    assert response.status_code == 400
    page = lxml.html.fromstring(response.content)
    summary = page.xpath("//div[@class='nhsuk-error-summary']//li/a")
    assert [(link.get("href"), link.text_content().strip()) for link in summary] == [
        ("#id_label", "Enter the period the return covers, like Q1 2006/07."),
        (
            "#id_period_end",
            "Choose a date the period ends from 1 April 2006 to 31 March 2008: the plan is for "
            "2006/07.",
        ),
        ("#id_due_on", "The return cannot be due before its period ends."),
    ]
    assert not MonitoringReturn.objects.filter(plan=plan).exists()


def test_the_consortium_cannot_open_or_review_and_the_pct_cannot_fill(client, signed_daccom):
    plan = signed_daccom
    item = open_quarter(plan)
    client.force_login(editor_of(plan))
    assert (
        "Open a return"
        not in client.get(reverse("monitoring:plan", args=[plan.pk])).content.decode()
    )
    opened = client.post(
        reverse("monitoring:plan", args=[plan.pk]),
        {"label": "Q2", "period_end": "2006-09-30", "due_on": "2006-10-31"},
    )
    assert opened.status_code == 403
    refused = client.post(reverse("monitoring:return", args=[item.pk]), {"action": "accept"})
    assert refused.status_code == 400
    client.force_login(lead_of(plan))
    assert (
        "Submit the return"
        not in client.get(reverse("monitoring:return", args=[item.pk])).content.decode()
    )
    filled = client.post(
        reverse("monitoring:return", args=[item.pk]), posted_return(item, action="save")
    )
    assert filled.status_code == 400
    assert "Only the consortium" in filled.content.decode()
    assert (
        client.post(
            reverse("monitoring:return", args=[item.pk]), {"action": "nonsense"}
        ).status_code
        == 400
    )


def test_a_return_not_submitted_by_its_due_date_is_late_on_the_dashboard(client, signed_daccom):
    plan = signed_daccom
    open_quarter(plan)
    client.force_login(lead_of(plan))
    page = client.get(reverse("monitoring:to_do")).content.decode()
    assert "1 return waiting, 1 late" in page
    assert "No return accepted yet" in page


def accepted_quarter(client, plan) -> MonitoringReturn:
    """DacCom's first quarter opened, filled and submitted by its editor, accepted by the lead."""
    item = open_quarter(plan)
    return submitted_then_accepted(client, item, posted_return(item, action="submit"))


def test_a_plan_reopened_after_signing_keeps_its_returns_in_view_and_opens_no_new_one(
    client, signed_daccom
):
    plan = signed_daccom
    item = accepted_quarter(client, plan)
    second = open_quarter(plan, "Q2 2006/07", date(2006, 9, 30), date(2006, 10, 31))
    plan_reopen(plan=plan, user=lead_of(plan), reason="The savings figure is wrong.")

    page = client.get(reverse("monitoring:plan", args=[plan.pk])).content.decode()
    assert "The plan and its signatures do not change" not in page
    assert "The plan was reopened for changes after it was signed" in page
    assert "No new return can be opened until the plan is signed again" in page
    assert "Open a return" not in page and item.label in page
    refused = client.post(
        reverse("monitoring:plan", args=[plan.pk]),
        {"label": "Q3 2006/07", "period_end": "2006-12-31", "due_on": "2007-01-31"},
    )
    assert refused.status_code == 403

    return_page = client.get(reverse("monitoring:return", args=[item.pk])).content.decode()
    assert "The plan has been reopened for changes since" in return_page

    everyone = client.get(reverse("monitoring:to_do")).content.decode()
    assert "No plan you can see is signed yet" not in everyone
    assert "Reopened for changes" in everyone and item.label in everyone
    # The reward rests on the plan's rates, which are not signed while it is reopened.
    assert "Worked out once the plan is signed again" in everyone

    # A return opened before the reopening reports on what was done meanwhile: it is filled.
    client.force_login(editor_of(plan))
    filled = client.post(
        reverse("monitoring:return", args=[second.pk]), posted_return(second, action="save")
    )
    assert filled.status_code == 302


def test_a_plan_never_signed_says_returns_wait_for_its_signatures(client, db):
    plan = approve(demo_daccom_plan())
    client.force_login(lead_of(plan))

    page = client.get(reverse("monitoring:plan", args=[plan.pk])).content.decode()

    assert "The plan and its signatures do not change" not in page
    assert "Returns can be opened once the plan is signed" in page


def test_an_approved_plan_whose_form_asks_for_no_signatures_says_it_is_not_monitored(client, db):
    plan = riverside_plan(NOTE, title="Riverside Locality Note 2008/09")
    lead = person(User.Role.PCT_LEAD, plan)
    signoff_services.plan_submit(plan=plan, user=person(User.Role.CONSORTIUM_EDITOR, plan))
    signoff_services.plan_start_review(plan=plan, user=lead)
    signoff_services.plan_approve(plan=plan, user=lead)
    client.force_login(lead)

    page = client.get(reverse("monitoring:plan", args=[plan.pk])).content.decode()

    assert "Returns can be opened once the plan is signed" not in page
    assert "its form asks for no signatures" in page
    assert "Monitoring returns are opened for signed plans only" in page
    assert "Open a return" not in page


def test_the_reopen_page_tells_the_lead_what_happens_to_monitoring(client, signed_daccom):
    plan = signed_daccom
    client.force_login(lead_of(plan))

    page = client.get(reverse("plan_action", args=[plan.pk, "reopen"])).content.decode()

    assert "Monitoring returns already opened stay as they are" in page
    assert "no new return can be opened until the plan is signed again" in page


# Measured with one return, and the same with four: no page's count grows with the returns.
# The return page reads the earlier accepted return its actuals are compared with (one more).
QUERY_BUDGETS = {"plan": 8, "return": 6, "to_do": 6}


def queries_for(client, url) -> int:
    client.get(url)  # Warms up the session and any cache; then count one request.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_monitoring_pages_keep_to_their_query_budgets_however_many_returns(
    client, signed_daccom
):
    plan = signed_daccom
    lead = lead_of(plan)
    first = open_quarter(plan)
    client.force_login(lead)
    urls = {
        "plan": reverse("monitoring:plan", args=[plan.pk]),
        "return": reverse("monitoring:return", args=[first.pk]),
        "to_do": reverse("monitoring:to_do"),
    }
    few = {name: queries_for(client, url) for name, url in urls.items()}
    for quarter in range(2, 5):
        open_quarter(
            plan,
            f"Q{quarter} 2006/07",
            period_end=date(2006, 3 * quarter + 3, 28) if quarter < 4 else date(2007, 3, 31),
            due_on=date(2007, 4, 30),
        )
    many = {name: queries_for(client, url) for name, url in urls.items()}

    assert many == few == QUERY_BUDGETS


def test_the_plan_downloads_carry_its_funding_and_hours_as_numbers_its_pages_show(
    client, signed_daccom
):
    plan = signed_daccom
    client.force_login(lead_of(plan))
    content = PlanContent.of(plan)
    figures = {q.question.kind: q.figures for q in content.questions() if q.figures}
    book = load_workbook(
        io.BytesIO(client.get(reverse("monitoring:plan_figures", args=[plan.pk, "xlsx"])).content)
    )
    assert book.sheetnames == ["Delivery", "Funding", "Hours"]

    funding = {row[1].value: row[2] for row in book["Funding"].iter_rows(min_row=2)}
    assert all(value.data_type == "n" for value in funding.values())
    assert funding["Declared population"].value == 150000
    assert funding["Payment per patient, in pounds"].value == 1.9
    assert funding["Paid direct to the practices, per cent"].value == 75
    held = funding["Held by the PCT for invoices the consortium approves"]
    assert held.value == figures["des_funding"]["held_by_pct"] == 71250
    assert held.number_format == "£#,##0.00"
    total = "Aspiration and reward payments together"
    assert funding[total].value == figures["des_funding"]["total"] == 285000

    hours = {row[1].value: row[2] for row in book["Hours"].iter_rows(min_row=2)}
    assert all(value.data_type == "n" for value in hours.values())
    assert hours["Improving Outpatient Efficiency"].value == 400
    assert hours["Total"].value == figures["hours"]["total"] == 1000
    assert hours["Hours the funding buys"].value == 1000
    assert hours["Left to allocate"].value == 0

    keys = {q.question.kind: q.question.key for q in content.questions()}
    shown = {
        kind: client.get(reverse("answer_edit", args=[plan.pk, keys[kind]])).content.decode()
        for kind in ("des_funding", "hours")
    }
    assert "£285,000" in shown["des_funding"] and "£71,250" in shown["des_funding"]
    assert "1,000" in shown["hours"]

    rows = csv_rows(client.get(reverse("monitoring:plan_figures", args=[plan.pk, "csv"])))
    assert ["Funding"] in rows and ["Hours"] in rows
    assert ["5.4", total, "285000.00"] in rows and ["5.4", "Declared population", "150000"] in rows
    assert ["6.1", "Total", "1000"] in rows
    # Hours are written as their sheet shows them: "200" beside "400", never "200.00".
    hours_block = rows[rows.index(["Hours"]) + 2 :]
    assert hours_block and not [row for row in hours_block if row[2].endswith(".00")]


def test_the_figures_download_of_a_reopened_plan_reads_its_current_des_rates(client, signed_daccom):
    """A reopened plan's Funding sheet is its DES answer as stored now, at the rate and share
    stored with it: the figures its pages, its PDF and its content hash read, not the
    figures it was signed with, nor a rate of any other version of its form."""
    plan = signed_daccom
    plan_reopen(plan=plan, user=lead_of(plan), reason="The population has grown.")
    answer = plan.answers.select_related("question").get(question__kind="des_funding")
    services.answer_save(
        answer=answer,
        user=editor_of(plan),
        base_version=answer.version,
        data={"population": "160000"},
    )
    answer.refresh_from_db()
    assert (answer.data["rate_per_patient"], answer.data["practices_share_percent"]) == (
        "1.9", "75",
    )  # fmt: skip
    figures = next(q.figures for q in PlanContent.of(plan).questions() if q.answer == answer)
    client.force_login(lead_of(plan))

    rows = csv_rows(client.get(reverse("monitoring:plan_figures", args=[plan.pk, "csv"])))

    funding = {row[1]: row[2] for row in rows if row and row[0] == "5.4"}
    assert funding["Declared population"] == "160000"
    assert funding["Payment per patient, in pounds"] == "1.90"
    assert funding["Aspiration and reward payments together"] == "304000.00"  # 160,000 at £1.90
    assert funding["Held by the PCT for invoices the consortium approves"] == "76000.00"
    assert figures["total"] == 304000 and figures["held_by_pct"] == 76000
