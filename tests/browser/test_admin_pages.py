"""Every page of the admin the site administrator can open passes axe: the index, and each
registered model's list, add form and a record's change form, Django's own pages among them."""

from datetime import date

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from consortia.models import Consortium, User
from monitoring.models import MonitoringReturn
from plans.models import Plan, PlanEvent
from signoff.models import SealCertificate
from tests.browser.conftest import axe_violations
from tests.browser.test_admin import sign_in_as_site_admin
from tests.factories import invitation_sent
from tests.plan_factories import demo_daccom_plan_with_comments
from tests.review_factories import plan_document, signature_for
from tests.two_factor import recovery_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def a_record_of_every_model(plan: Plan, admin_user: User) -> None:
    """A record of each model the demo plans leave without one."""
    Group.objects.create(name="Reviewers").permissions.set(Permission.objects.all()[:3])
    attempt = {
        "user_agent": "Firefox",
        "ip_address": "192.0.2.1",
        "username": "someone@example.org",
        "http_accept": "text/html",
        "path_info": "/sign-in/",
    }
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**attempt)
    recovery_code(admin_user)
    invitation_sent(by=admin_user, organisation=plan.consortium, email="new.editor@example.org")
    plan_document(plan)
    block = {"key": "chair", "title": "Chair of the consortium"}
    signature_for(plan, block, 1, User.objects.filter(consortium=plan.consortium).first())
    SealCertificate.objects.create(
        fingerprint_sha256="ab" * 32,
        subject="CN=PBC Plans seal",
        serial_number="1",
        not_valid_before=timezone.now(),
        not_valid_after=timezone.now(),
        pem="-----BEGIN CERTIFICATE-----",
    )
    MonitoringReturn.objects.create(
        plan=plan,
        label="Q1 2006/07",
        period_end=date(2006, 6, 30),
        due_on=date(2006, 7, 31),
        opened_at=timezone.now(),
        opened_by=admin_user,
    )


def every_admin_page(admin_user: User) -> list[str]:
    """The index, and for each model its list, its add form and its first record's change form
    (those the site administrator may open)."""
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    pages = [reverse("admin:index")]
    for model in filter(admin.site.is_registered, apps.get_models()):
        model_admin = admin.site.get_model_admin(model)
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        record = model_admin.get_queryset(request).first()
        assert record is not None, f"No {model._meta.verbose_name} to open the change form of"
        pages += [reverse(f"{name}_changelist"), reverse(f"{name}_change", args=[record.pk])]
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
    return pages


def lists_searched_filtered_and_by_date() -> list[str]:
    """Lists as they are after a search that finds nothing, a filter and a date chosen."""
    year = PlanEvent.objects.first().created_at.year
    return [
        f"{reverse('admin:consortia_practice_changelist')}?q=no+such+practice",
        f"{reverse('admin:plans_plan_changelist')}?status__exact=draft",
        f"{reverse('admin:plans_planevent_changelist')}?created_at__year={year}",
    ]


def test_every_admin_page_is_accessible(page, live_server):
    plan = demo_daccom_plan_with_comments()
    admin_user = sign_in_as_site_admin(page, live_server)
    a_record_of_every_model(plan, admin_user)

    found = {}

    def check(name: str) -> None:
        if violations := axe_violations(page):
            found[name] = violations

    for path in every_admin_page(admin_user) + lists_searched_filtered_and_by_date():
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1").first).to_be_visible()
        check(path)

    page.goto(f"{live_server.url}{reverse('admin:consortia_consortium_changelist')}")
    page.get_by_role("checkbox").nth(1).check()
    expect(page.get_by_text(f"1 of {Consortium.objects.count()} selected")).to_be_visible()
    check("a consortium selected for an action")

    page.goto(f"{live_server.url}{reverse('admin:consortia_commissioner_add')}")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Please correct the errors below.")).to_be_visible()
    check("a commissioner saved with its fields left empty")

    assert found == {}
