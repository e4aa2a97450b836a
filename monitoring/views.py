"""Thin views of monitoring: they read through the selectors, act through the services and
show a refusal's reason on the page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from consortia.permissions import Perm, allowed
from consortia.plain_forms import reads_forms
from plans.content import PlanContent
from plans.selectors import plans_visible_to
from signoff.errors import Refused
from signoff.signing import approval_of

from . import exports, presenters, selectors, services
from .forms import OpenReturnForm, ReturnForm, ReviewForm, TokenForm
from .models import MonitoringReturn


def _plan(request, plan_id: int):
    return get_object_or_404(plans_visible_to(request.user), pk=plan_id)


@login_required
@require_GET
def to_do(request):
    """Returns waiting in the user's scope, late ones marked, and each signed plan's delivery."""
    today = timezone.localdate()
    waiting = presenters.marked(selectors.returns_to_do(request.user, today=today), today=today)
    plans = [
        {
            "plan": plan,
            "signed": plan.status in services.MONITORED,
            **presenters.delivery_screen(delivery),
        }
        for plan, delivery in selectors.deliveries_visible_to(request.user)
    ]
    return render(
        request,
        "monitoring/to_do.html",
        {
            "waiting": waiting,
            "waiting_table": presenters.waiting_table(waiting),
            "late": sum(1 for item in waiting if item.late),
            "plans": plans,
        },
    )


@reads_forms(OpenReturnForm)
@login_required
@require_http_methods(["GET", "POST"])
def plan_monitoring(request, plan_id: int):
    """The plan's returns and delivery dashboard; the PCT lead opens returns here."""
    plan = _plan(request, plan_id)
    signed = plan.status in services.MONITORED
    may_open = allowed(request.user, Perm.REVIEW, plan) and signed
    form = OpenReturnForm(request.POST if request.method == "POST" else None, plan=plan)
    if request.method == "POST":
        if not may_open:
            raise PermissionDenied("Only the PCT's lead can open a return, on a signed plan.")
        if form.is_valid():
            try:
                opened = services.return_open(plan=plan, user=request.user, **form.cleaned_data)
            except services.OpenRefused as refusal:
                for field, problem in refusal.problems.items():
                    form.add_error(field, problem)
            except Refused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, f"Return {opened.label} opened.")
                return redirect("monitoring:return", return_id=opened.pk)
    returns = presenters.marked(selectors.plan_returns(plan), today=timezone.localdate())
    return render(
        request,
        "monitoring/plan.html",
        {
            "plan": plan,
            "returns": presenters.returns_table(returns),
            "signed": signed,
            # A form with no signatories is complete at approval (docs/decisions/0328, 0416):
            # its plan is final but has no signatures to monitor against.
            "approval": None if signed else approval_of(plan),
            "may_open": may_open,
            "form": form,
            **presenters.delivery_screen(selectors.delivery(plan)),
        },
        status=400 if request.method == "POST" else 200,
    )


def _return_page(
    request,
    item: MonitoringReturn,
    form,
    review_form,
    *,
    status: int = 200,
    refusal: str = "",
    clash: bool = False,
):
    """The return's page; on a clash, or when a refusal leaves no form to fill, what the person
    typed that is not saved is set beside what is."""
    presenters.marked([item], today=timezone.localdate())
    lines = list(item.lines.all())
    may_fill = (
        allowed(request.user, Perm.EDIT_CONSORTIUM_SECTIONS, item)
        and item.status in services.EDITABLE
    )
    may_review = (
        allowed(request.user, Perm.REVIEW, item)
        and item.status == MonitoringReturn.Status.SUBMITTED
    )
    unsaved = None
    if clash:
        mine = item.saved_by_id == request.user.pk
        unsaved = presenters.unsaved_table(
            form, saved_heading="Saved in your other tab" if mine else "Theirs, saved"
        )
    elif form.is_bound and not may_fill:
        unsaved = presenters.unsaved_table(form, saved_heading="On the return")
    return render(
        request,
        "monitoring/return.html",
        {
            "item": item,
            "plan": item.plan,
            "signed": item.plan.status in services.MONITORED,
            "form": form if may_fill else None,
            "review_form": review_form if may_review else None,
            "lines": [{"line": line, "status": presenters.line_status(line)} for line in lines],
            "refusal": refusal,
            "clash": clash,
            "saved_when": presenters.saved_when(item.saved_at) if clash else "",
            "unsaved": unsaved,
            "lower_actuals": selectors.actuals_lower_than_before(item),
        },
        status=status,
    )


def _rebased(data, item: MonitoringReturn):
    """What was posted, based on the return as it is now: saving it again keeps it on purpose."""
    data = data.copy()
    data["base_version"] = str(item.version)
    return data


@reads_forms(ReturnForm, ReviewForm)
@login_required
@require_http_methods(["GET", "POST"])
def return_detail(request, return_id: int):
    """A return: the consortium fills and submits it, the PCT lead accepts or sends it back."""
    item = selectors.return_visible_to(request.user, return_id)
    if item is None:
        raise Http404("No such return")
    action = request.POST.get("action", "")
    posted = request.method == "POST"
    form = ReturnForm(request.POST if posted and action in ("save", "submit") else None, item=item)
    review_form = ReviewForm(request.POST if posted and action in ("accept", "send_back") else None)
    if not posted:
        return _return_page(request, item, form, review_form)
    saved = None
    try:
        if action in ("save", "submit"):
            if not form.is_valid():
                return _return_page(request, item, form, review_form, status=400)
            saved = services.return_save(
                monitoring_return=item,
                user=request.user,
                base_version=form.cleaned_data["base_version"],
                commentary=form.cleaned_data["commentary"],
                lines=form.line_inputs(),
            )
            done = "Return saved."
            if action == "submit":
                services.return_submit(monitoring_return=item, user=request.user)
                done = "Return submitted to the PCT."
        elif action in ("accept", "send_back") and review_form.is_valid():
            verb = services.return_accept if action == "accept" else services.return_send_back
            verb(
                monitoring_return=item,
                user=request.user,
                comment=review_form.cleaned_data["comment"],
            )
            done = "Return accepted." if action == "accept" else "Return sent back."
        else:
            return _return_page(
                request, item, form, review_form, status=400, refusal="Choose what to do."
            )
    except services.StaleReturn:
        item = selectors.return_visible_to(request.user, return_id)
        form = ReturnForm(_rebased(request.POST, item), item=item)
        return _return_page(request, item, form, review_form, status=409, clash=True)
    except Refused as refusal:
        item = selectors.return_visible_to(request.user, return_id)
        if saved is not None:
            # Saved, then not submitted: what is on the page now is saved, at its new version.
            form = ReturnForm(_rebased(request.POST, saved), item=item)
        if isinstance(refusal, services.ReturnRefused) and form.is_valid():
            # Lines still to fill: each is marked on its field and listed in the error summary.
            form.refused(refusal)
            return _return_page(request, item, form, review_form, status=400)
        return _return_page(request, item, form, review_form, status=400, refusal=refusal.message)
    messages.success(request, done)
    return redirect("monitoring:return", return_id=item.pk)


FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.csv_bytes),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.xlsx_bytes,
    ),
}


def _download(fmt: str, tables: list[exports.Table], name: str):
    content_type, write = FORMATS[fmt]
    response = HttpResponse(write(tables), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
    return response


@login_required
@require_GET
def plan_figures(request, plan_id: int, fmt: str):
    """The plan's latest accepted return, one row a line, and its funding and hours."""
    plan = _plan(request, plan_id)
    tables = exports.plan_tables(selectors.delivery(plan), PlanContent.of(plan))
    name = f"{plan.consortium.slug}-{plan.period.replace('/', '-')}-delivery"
    return _download(fmt, tables, name)


@login_required
@require_GET
def round_figures(request, fmt: str):
    """Every signed plan in the user's scope, one row per consortium and target."""
    rows = exports.round_rows(selectors.deliveries_visible_to(request.user))
    return _download(fmt, [exports.Table("Delivery", exports.ROUND_HEADER, rows)], "delivery")


@reads_forms(TokenForm)
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The person's API tokens: make one (its key shown once), or go to revoke one."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    key = ""
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, key = services.token_create(user=request.user, name=form.cleaned_data["name"])
            form = TokenForm()
        except Refused as error:
            refusal = error.message
    return render(
        request,
        "monitoring/api_tokens.html",
        {
            "form": form,
            "key": key,
            "refusal": refusal,
            "tokens": [
                (token, presenters.last_use(token)) for token in request.user.api_tokens.all()
            ],
        },
        status=400 if request.method == "POST" and not key else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_token_revoke(request, token_id: int):
    """Asks before revoking one of the person's tokens, since whatever uses it then stops."""
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    if request.method == "POST":
        try:
            services.token_revoke(token_id=token.pk, user=request.user)
            messages.success(request, f"Token {token.name} revoked.")
        except Refused as error:  # revoked already, on another tab or by a second click
            messages.success(request, error.message)
        return redirect("monitoring:api_tokens")
    if token.revoked_at:
        return redirect("monitoring:api_tokens")
    return render(
        request,
        "monitoring/api_token_revoke.html",
        {"token": token, "last_use": presenters.last_use(token)},
    )
