"""The read-only API (django-ninja): plans, their status, content (the JSON export's record),
figures and monitoring returns, scoped exactly like the pages. A bearer token per person,
revocable; GET only; lists paginated (docs/decisions/0444)."""

from datetime import date
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, NinjaAPI, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer

from plans.exports import plan_record
from plans.selectors import plans_visible_to

from .api_docs import Documentation
from .models import ApiToken, MonitoringReturn
from .selectors import returns_visible_to
from .services import token_hash, token_record_use


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.filter(key_sha256=token_hash(token), revoked_at=None)
            .select_related("user")
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        token_record_use(token=found)
        return found.user


api = NinjaAPI(
    title="PBC Plans",
    version="1",
    description="Read-only: plans, their content and figures, and in-year monitoring returns.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs=Documentation(),
)


PAGE_SIZE = 50
LAST_PAGE = 100_000


class Pages(PageNumberPagination):
    """django-ninja's page numbers, 50 a page, with the page number bounded so that no offset
    reaches the database too large for it: a page past the last is empty, a page number past
    the bound is refused (422) like any other bad parameter."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=LAST_PAGE)
        page_size: int | None = Field(None, ge=1)


class PlanOut(Schema):
    id: int
    title: str
    period: str
    status: str
    consortium: str = Field(alias="consortium.slug")
    template: str = Field(alias="template.slug")


class LineOut(Schema):
    kind: str
    key: str
    reference: str
    text: str
    planned_on: date | None
    planned_saving: Decimal | None
    status: str
    note: str
    done_on: date | None
    actual_to_date: Decimal | None
    forecast_for_year: Decimal | None


class ReturnOut(Schema):
    id: int
    plan_id: int
    label: str
    period_end: date
    due_on: date
    status: str
    content_sha256: str
    commentary: str
    review_comment: str
    lines: list[LineOut]


class Detail(Schema):
    detail: str


class Problem(Schema):
    type: str
    loc: list[str | int] = Field(description="Where: path, query, then the parameter's name.")
    msg: str


class Problems(Schema):
    detail: list[Problem]


def answers(ok, *, by_id: bool = True) -> dict:
    """The operation's ``response`` and ``openapi_extra``: what it answers when it works and
    each refusal the API gives, with its body, so that a client knows them from the schema."""
    refusals = {
        401: (Detail, 'No token, or a revoked one: {"detail": "Unauthorized"}.'),
        422: (Problems, "A parameter is not valid: each problem, where it is and why."),
    }
    if by_id:
        refusals[404] = (Detail, 'Nothing by that id in your scope: {"detail": "Not Found"}.')
    return {
        "response": {200: ok} | {status: body for status, (body, _why) in refusals.items()},
        "openapi_extra": {
            "responses": {status: {"description": why} for status, (_b, why) in refusals.items()}
        },
    }


def _plan(request, plan_id: int):
    return get_object_or_404(plans_visible_to(request.auth), pk=plan_id)


@api.get("/plans", summary="Plans in your scope", **answers(list[PlanOut], by_id=False))
@paginate(Pages, page_size=PAGE_SIZE)
def plan_list(request):
    return plans_visible_to(request.auth).order_by("pk")


@api.get("/plans/{plan_id}", summary="A plan and its status", **answers(PlanOut))
def plan_detail(request, plan_id: int):
    return _plan(request, plan_id)


@api.get(
    "/plans/{plan_id}/content",
    summary="The plan's content, as its JSON export",
    **answers(dict),
)
def plan_content(request, plan_id: int):
    return plan_record(_plan(request, plan_id))


@api.get(
    "/plans/{plan_id}/figures",
    summary="The figures of the plan's structured answers, by question key",
    **answers(dict),
)
def plan_figures(request, plan_id: int):
    record = plan_record(_plan(request, plan_id))
    return {
        question["key"]: question["figures"]
        for part in record["parts"]
        for question in part["questions"]
        if "figures" in question
    }


@api.get("/plans/{plan_id}/returns", summary="The plan's returns", **answers(list[ReturnOut]))
@paginate(Pages, page_size=PAGE_SIZE)
def plan_returns(request, plan_id: int):
    plan = _plan(request, plan_id)
    return (
        MonitoringReturn.objects.filter(plan=plan)
        .prefetch_related("lines")
        .order_by("period_end", "pk")
    )


@api.get("/returns/{return_id}", summary="A monitoring return", **answers(ReturnOut))
def return_detail(request, return_id: int):
    found = returns_visible_to(request.auth).prefetch_related("lines").filter(pk=return_id).first()
    if found is None:
        raise Http404("No such return")
    return found


@csrf_exempt  # like the API's own views: a refused write is the API's refusal, not a CSRF page
def no_such_endpoint(request, *args, **kwargs):
    """Any address under /api/ that names no endpoint: a client reads the API's own 404 body,
    through the API's handler, rather than the site's HTML page."""
    return api.on_exception(request, Http404("No such endpoint"))
