"""The read-only API: a bearer token per person, revocable; every endpoint scoped like the
pages (404 outside); the OpenAPI schema valid; figures equal to the JSON export's."""

import json
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openapi_spec_validator import validate

from consortia.dates import long_date, long_moment
from monitoring import services
from monitoring.api import LAST_PAGE, api
from monitoring.models import ApiToken
from tests.factories import CommissionerFactory, ConsortiumFactory, UserFactory
from tests.monitoring_factories import editor_of, lead_of, open_quarter
from tests.pages import announced
from tests.queries import page_queries

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
API_LIST_QUERIES = 3


def bearer(user) -> dict:
    _token, key = services.token_create(user=user, name="Finance spreadsheet")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def endpoints(plan, item) -> list[str]:
    return [
        f"/api/v1/plans/{plan.pk}",
        f"/api/v1/plans/{plan.pk}/content",
        f"/api/v1/plans/{plan.pk}/figures",
        f"/api/v1/plans/{plan.pk}/returns",
        f"/api/v1/returns/{item.pk}",
    ]


@pytest.fixture
def monitored(signed_daccom):
    return signed_daccom, open_quarter(signed_daccom)


def test_each_endpoint_answers_in_scope_and_404_outside_it(client, monitored):
    plan, item = monitored
    same_pct = ConsortiumFactory(commissioner=plan.consortium.commissioner)
    other_pct = ConsortiumFactory(commissioner=CommissionerFactory())
    inside = [editor_of(plan), lead_of(plan)]
    outside = [
        UserFactory(role="consortium_editor", consortium=same_pct),
        UserFactory(role="pct_lead", commissioner=other_pct.commissioner),
    ]

    for user in inside:
        headers = bearer(user)
        for url in endpoints(plan, item):
            assert client.get(url, **headers).status_code == 200, (user.role, url)
        listed = client.get("/api/v1/plans", **headers).json()
        assert plan.pk in [p["id"] for p in listed["items"]]
    for user in outside:
        headers = bearer(user)
        for url in endpoints(plan, item):
            assert client.get(url, **headers).status_code == 404, (user.role, url)
        listed = client.get("/api/v1/plans", **headers).json()
        assert plan.pk not in [p["id"] for p in listed["items"]]


def test_a_plan_names_its_consortium_and_form_by_their_slugs(client, monitored):
    plan, _item = monitored

    answer = client.get(f"/api/v1/plans/{plan.pk}", **bearer(editor_of(plan))).json()

    assert answer["consortium"] == plan.consortium.slug
    assert answer["template"] == plan.template.slug
    assert answer["status"] == plan.status


def test_no_token_or_a_revoked_one_opens_nothing_and_nothing_can_be_written(client, monitored):
    plan, item = monitored
    editor = editor_of(plan)
    token, key = services.token_create(user=editor, name="Old laptop")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(f"/api/v1/plans/{plan.pk}", **headers).status_code == 200
    assert client.post(f"/api/v1/plans/{plan.pk}", **headers).status_code == 405

    services.token_revoke(token_id=token.pk, user=editor)

    for url in endpoints(plan, item):
        assert client.get(url, **headers).status_code == 401
        assert client.get(url).status_code == 401
        client.force_login(editor)  # a session is not a token
        assert client.get(url).status_code == 401
        client.logout()


def test_the_figures_and_content_equal_the_json_export_and_returns_carry_decimals(
    client, monitored
):
    plan, item = monitored
    headers = bearer(editor_of(plan))
    client.force_login(editor_of(plan))
    export = json.loads(client.get(reverse("plan_export_json", args=[plan.pk])).content)
    client.logout()

    figures = client.get(f"/api/v1/plans/{plan.pk}/figures", **headers).json()
    content = client.get(f"/api/v1/plans/{plan.pk}/content", **headers).json()

    expected = {
        q["key"]: q["figures"]
        for part in export["parts"]
        for q in part["questions"]
        if "figures" in q
    }
    assert figures == expected
    assert "2676000" in json.dumps(figures)  # the planned savings, £2.68m
    del content["exported_at"], export["exported_at"]
    assert content == export
    returns = client.get(f"/api/v1/plans/{plan.pk}/returns", **headers).json()
    assert returns["count"] == 1
    target = next(line for line in returns["items"][0]["lines"] if line["reference"] == "1.1")
    assert target["planned_saving"] == "153000.00"
    assert returns["items"][0]["content_sha256"] == item.content_sha256


def test_the_openapi_schema_is_valid_and_every_operation_needs_a_token():
    schema = api.get_openapi_schema()

    validate(json.loads(json.dumps(schema)))
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) == 6
    assert all(op.get("security") for op in operations)
    assert all(set(path) == {"get"} for path in schema["paths"].values())


def test_the_schema_describes_each_refusal_with_the_body_the_api_gives(client, monitored):
    plan, _item = monitored
    schema = api.get_openapi_schema()
    fields = {
        name: set(component["properties"])
        for name, component in schema["components"]["schemas"].items()
    }

    for path, item in schema["paths"].items():
        answers = item["get"]["responses"]
        by_id = {404} if "{" in path else set()
        assert set(answers) == {200, 401, 422} | by_id, path
        assert all(answers[status]["description"] for status in answers)
    body = {
        status: answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        for status, answer in schema["paths"]["/api/v1/plans/{plan_id}"]["get"]["responses"].items()
    }
    unauthorised = client.get(f"/api/v1/plans/{plan.pk}")
    missing = client.get("/api/v1/plans/0", **bearer(editor_of(plan)))
    invalid = client.get("/api/v1/plans/x", **bearer(editor_of(plan)))
    assert (unauthorised.status_code, missing.status_code, invalid.status_code) == (401, 404, 422)
    assert set(unauthorised.json()) == fields[body[401]] == set(missing.json()) == {"detail"}
    assert set(invalid.json()) == fields[body[422]]
    assert set(invalid.json()["detail"][0]) == fields["Problem"]


def test_an_address_under_api_that_names_no_endpoint_answers_the_apis_json_404(client, monitored):
    plan, _item = monitored
    headers = bearer(editor_of(plan))
    missing_plan = client.get("/api/v1/plans/0", **headers)

    for url in ["/api/", "/api/v1/", "/api/v1/nothing", "/api/v1/plans/", "/api/v2/plans"]:
        for answer in [client.get(url), client.get(url, **headers), client.post(url, **headers)]:
            assert answer.status_code == 404, url
            assert answer["Content-Type"] == missing_plan["Content-Type"], url
            assert answer.json() == missing_plan.json() == {"detail": "Not Found"}, url


def test_the_docs_page_lists_every_endpoint_on_our_own_page_with_nothing_from_outside(
    client, monitored
):
    page = client.get("/api/v1/docs")

    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="en-GB">' in html and "<h1>The API's documentation</h1>" in html
    for path in api.get_openapi_schema()["paths"]:
        assert f"GET {path}</code>" in html
    assert 'href="/api/v1/openapi.json"' in html
    assert 'id="schema-ReturnOut"' in html and 'href="#schema-LineOut"' in html
    assert "http" not in "".join(re.findall(r'(?:src|href)="([^"]*)"', html))


def test_a_person_makes_a_token_on_their_page_told_it_once_as_a_result_and_sees_it_active(
    client, monitored
):
    plan, _item = monitored
    editor = editor_of(plan)
    client.force_login(editor)

    made = client.post(reverse("monitoring:api_tokens"), {"name": "Finance spreadsheet"})
    key = made.context["key"]
    assert made.status_code == 200
    assert announced(made) == [
        f"Your token is made. Copy it now: it will not be shown again. {key}"
    ]
    token = editor.api_tokens.get()
    assert token.key_sha256 != key and key not in token.key_sha256
    assert client.post(reverse("monitoring:api_tokens"), {"name": ""}).status_code == 400
    page = client.get(reverse("monitoring:api_tokens")).content.decode()
    assert "Active" in page and key not in page
    assert reverse("monitoring:api_token_revoke", args=[token.pk]) in page


@pytest.mark.parametrize("value", ["²", "x", "", "-1", "1e3", "99999999999999999999"])
def test_a_stray_revoke_value_on_the_token_page_is_refused_not_a_server_error(
    client, monitored, value
):
    plan, _item = monitored
    editor = editor_of(plan)
    services.token_create(user=editor, name="Finance spreadsheet")
    client.force_login(editor)

    answer = client.post(reverse("monitoring:api_tokens"), {"revoke": value})

    assert answer.status_code == 400
    assert "Name the token, like Finance spreadsheet." in answer.content.decode()
    assert editor.api_tokens.get().revoked_at is None


def test_revoking_a_token_asks_first_then_the_key_opens_nothing(client, monitored):
    plan, _item = monitored
    editor = editor_of(plan)
    token, key = services.token_create(user=editor, name="Finance spreadsheet")
    url = reverse("monitoring:api_token_revoke", args=[token.pk])
    client.force_login(editor)

    asked = client.get(url).content.decode()
    token.refresh_from_db()
    assert "Revoke Finance spreadsheet?" in asked and "Scripts using it will stop" in asked
    assert token.revoked_at is None

    revoked = client.post(url, follow=True)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Token Finance spreadsheet revoked." in revoked.content.decode()
    assert "Revoked" in revoked.content.decode()
    again = client.post(url, follow=True)
    assert again.status_code == 200 and "revoked already" in again.content.decode()
    assert client.get(url).status_code == 302
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/plans", **headers).status_code == 401


def test_nobody_can_revoke_another_persons_token(client, monitored):
    plan, _item = monitored
    token, _key = services.token_create(user=editor_of(plan), name="Finance spreadsheet")
    client.force_login(lead_of(plan))

    for missing in (token.pk, 10**20):
        url = reverse("monitoring:api_token_revoke", args=[missing])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_api_docs_and_the_plan_list_keep_to_a_query_budget(client, monitored):
    plan, _item = monitored
    headers = bearer(editor_of(plan))
    assert client.get("/api/v1/docs").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200

    for _other in range(3):
        bearer(editor_of(plan))
        bearer(lead_of(plan))

    with CaptureQueriesContext(connection) as first:
        listed = client.get("/api/v1/plans", **headers)
    with CaptureQueriesContext(connection) as again:
        assert client.get("/api/v1/plans", **headers).status_code == 200
    assert listed.status_code == 200
    # The token with its person, the plans' count, one page of plans; the first use of the
    # token writes its last use besides, and a use within the interval does not.
    assert len(first) == API_LIST_QUERIES + 1
    assert len(again) == API_LIST_QUERIES


def test_the_lists_come_a_page_at_a_time_and_a_bad_page_is_refused_not_a_server_error(
    client, monitored
):
    plan, _first = monitored
    open_quarter(plan, "Q2 2006/07", date(2006, 9, 30), date(2006, 10, 31))
    headers = bearer(editor_of(plan))
    url = f"/api/v1/plans/{plan.pk}/returns"

    pages = [client.get(url, {"page": n, "page_size": 1}, **headers).json() for n in (1, 2, 3)]
    assert [page["count"] for page in pages] == [2, 2, 2]
    assert [[item["label"] for item in page["items"]] for page in pages] == [
        ["Q1 2006/07"], ["Q2 2006/07"], [],
    ]  # fmt: skip
    assert client.get(url, **headers).json()["count"] == 2

    plans = client.get("/api/v1/plans", {"page_size": 1}, **headers).json()
    assert len(plans["items"]) == 1 and plans["count"] >= 1
    for bad in ({"page": 0}, {"page": "x"}, {"page_size": 0}, {"page_size": "-1"}):
        assert client.get(url, bad, **headers).status_code == 422
        assert client.get("/api/v1/plans", bad, **headers).status_code == 422
    assert client.get(url, {"page_size": 10**6}, **headers).status_code == 200
    for far, status in ((LAST_PAGE, 200), (LAST_PAGE + 1, 422), (10**20, 422)):
        assert client.get(url, {"page": far}, **headers).status_code == status
        assert client.get("/api/v1/plans", {"page": far}, **headers).status_code == status


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]


def test_a_use_of_a_token_records_when_and_a_use_within_the_interval_writes_nothing(
    client, monitored
):
    plan, _item = monitored
    token, key = services.token_create(user=editor_of(plan), name="Finance spreadsheet")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert token.last_used_at is None
    before = timezone.now()

    with CaptureQueriesContext(connection) as first:
        assert client.get(f"/api/v1/plans/{plan.pk}", **headers).status_code == 200
    token.refresh_from_db()
    used_at = token.last_used_at
    assert used_at is not None and before <= used_at <= timezone.now()
    assert len(writes(first)) == 1

    with CaptureQueriesContext(connection) as within:
        assert client.get(f"/api/v1/plans/{plan.pk}", **headers).status_code == 200
    assert writes(within) == [] and len(within) == len(first) - 1
    token.refresh_from_db()
    assert token.last_used_at == used_at

    stale = timezone.now() - services.TOKEN_USE_INTERVAL - timedelta(seconds=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    with CaptureQueriesContext(connection) as later:
        assert client.get(f"/api/v1/plans/{plan.pk}", **headers).status_code == 200
    assert len(writes(later)) == 1
    token.refresh_from_db()
    assert token.last_used_at > used_at


def test_a_refused_token_records_no_use(client, monitored):
    plan, _item = monitored
    editor = editor_of(plan)
    token, key = services.token_create(user=editor, name="Old laptop")
    services.token_revoke(token_id=token.pk, user=editor)

    assert client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401

    token.refresh_from_db()
    assert token.last_used_at is None


def test_the_token_list_says_when_each_was_last_used_and_a_revoked_one_keeps_it(client, monitored):
    plan, _item = monitored
    lead = lead_of(plan)
    used, key = services.token_create(user=lead, name="Finance spreadsheet")
    unused, _key = services.token_create(user=lead, name="Old laptop")
    client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {key}")
    used.refresh_from_db()
    client.force_login(lead)
    page_url = reverse("monitoring:api_tokens")

    listed = client.get(page_url).content.decode()
    assert f"Last used {long_moment(used.last_used_at)}" in listed
    assert "Never used" in listed
    asking = client.get(reverse("monitoring:api_token_revoke", args=[unused.pk]))
    assert "Never used." in asking.content.decode()

    client.post(reverse("monitoring:api_token_revoke", args=[used.pk]))
    listed = client.get(page_url).content.decode()
    assert "Revoked" in listed
    assert f"Last used {long_moment(used.last_used_at)}" in listed


def test_a_token_made_before_uses_were_recorded_says_since_when_not_never_used(client, monitored):
    plan, _item = monitored
    lead = lead_of(plan)
    token, _key = services.token_create(user=lead, name="Finance spreadsheet")
    recorded_from = timezone.now() - timedelta(days=3)
    ApiToken.objects.filter(pk=token.pk).update(uses_recorded_from=recorded_from)
    client.force_login(lead)

    listed = client.get(reverse("monitoring:api_tokens")).content.decode()

    since = long_date(timezone.localdate(recorded_from))
    assert f"Not used since {since} (uses before then were not recorded)" in listed
    assert "Never used" not in listed


def test_the_token_page_keeps_to_its_query_budget_however_many_tokens(client, monitored):
    plan, _item = monitored
    lead = lead_of(plan)
    _token, key = services.token_create(user=lead, name="Finance spreadsheet")
    client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {key}")
    client.force_login(lead)
    url = reverse("monitoring:api_tokens")
    one = page_queries(client, url)

    for number in range(4):
        token, key = services.token_create(user=lead, name=f"Script {number}")
        client.get("/api/v1/plans", HTTP_AUTHORIZATION=f"Bearer {key}")
        services.token_revoke(token_id=token.pk, user=lead)

    assert page_queries(client, url) == one
