from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from consortia.dates import long_moment
from plans import assignments, round_selectors
from plans import pages as plan_pages
from plans.consistent_reads import consistent_reads
from plans.selectors import plans_visible_to
from plans.task_list_cache import cached_task_list
from plans.workflow import FROZEN
from signoff import selectors as review_selectors
from signoff.presenters.comments import comment_threads
from signoff.presenters.dashboards import home as dashboards_home
from signoff.presenters.documents import documents_panel
from signoff.presenters.review import review_panel

from . import health, part_pages
from .security import unsent
from .unsent_pages import sent_post


@login_required
def home(request):
    """The signed-in person's dashboard: their plans by state and what waits on them."""
    page = dashboards_home(
        request.user, state=request.GET.get("state", ""), page_number=request.GET.get("page")
    )
    return render(
        request,
        "pbc/home.html",
        {
            "home": page,
            "rounds": round_selectors.home_rounds(request.user),
            "tasks": assignments.home_tasks(request.user),
            "forms": plan_pages.home_forms(request.user, request.session),
        },
    )


# --- The plan's pages: the plan as plans shows it, with review beside it (docs/decisions/0312) ---


def _plan(request, plan_id: int):
    return get_object_or_404(plans_visible_to(request.user), pk=plan_id)


@login_required
def plan_detail(request, plan_id: int):
    """The plan's contents, with its review and sign-off panel, its PDFs and open comments."""
    plan = get_object_or_404(
        plans_visible_to(request.user).select_related("template__issuer"), pk=plan_id
    )
    contents = plan_pages.plan_contents(request.user, plan)
    context = {
        **contents,
        "review": review_panel(plan, request.user),
        "documents_panel": documents_panel(plan, request.user),
        **_task_list(request.user, plan, may_assign=contents["may_assign"]),
        "frozen": plan.status in FROZEN,
    }
    if context["task_list"].found:
        return render(request, "pbc/plan_detail.html", context)
    # A fragment is missing: its key is read again with what the task list shows, from one
    # snapshot, so what is kept under the key is what it describes (plans.consistent_reads).
    with consistent_reads():
        context.update(_task_list(request.user, plan, may_assign=contents["may_assign"]))
        return render(request, "pbc/plan_detail.html", context)


def _task_list(user, plan, *, may_assign: bool) -> dict:
    """The task list's cached fragments, under all they show, this reader's part included."""
    open_comments = review_selectors.open_thread_counts(plan, user)
    return {
        "open_comments": open_comments,
        "task_list": cached_task_list(
            plan,
            reader_sees={"may_assign": may_assign, "open_comments": open_comments},
        ),
    }


@login_required
def part_detail(request, plan_id: int, part_key: str):
    """One part's questions, each with its comment threads. The body comes from the cache when
    nothing it shows has changed for a reader with the same rights (pbc/part_pages.py); only
    then are the questions, answers and threads read and presented."""
    with consistent_reads():
        plan = _plan(request, plan_id)
        part = plan_pages.template_part(plan, part_key)
        if part is None:
            raise Http404("No such part")
        body = part_pages.cached_body(request.user, plan, part)
        context = {"plan": plan, "part": part, "body": body}
        if body.html is None:
            page = plan_pages.part_page(request.user, plan, part_key)
            context |= {
                "questions": page.questions,
                "previous_part": page.previous_part,
                "next_part": page.next_part,
                "part_holder": assignments.part_holder(plan, page.part),
                "comment_threads": comment_threads(plan, request.user, page.answers, page.part),
            }
        return render(request, "pbc/part_detail.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def unsent_post(request):
    """What this browser sent while no one was signed in (pbc/security/unsent.py), shown with a
    button that sends it again as it was sent; a post here discards it."""
    kept = unsent.kept(request)
    if request.method == "POST":
        unsent.forget(request)
        if kept is not None:
            messages.success(request, "What was not saved has been discarded.")
        return redirect("home")
    if kept is None:
        return redirect("home")
    context = {
        "unsent": kept,
        "sent_when": long_moment(kept.sent_at),
        "sent": sent_post(request.user, kept),
    }
    return render(request, "pbc/unsent.html", context)


@require_GET
@never_cache
def healthz(request):
    checks = health.report()
    healthy = all(value in (health.OK, health.EAGER) for value in checks.values())
    return JsonResponse({"healthy": healthy, **checks}, status=200 if healthy else 503)


def bad_request(request, exception):
    """Django's refusals of a request it cannot read, in words; a form too large says so."""
    if isinstance(exception, RequestDataTooBig):
        context = {
            "heading": "What you sent is too large",
            "explanation": "Nothing was saved. Shorten the text or send fewer rows at a time.",
        }
        return render(request, "400.html", context, status=413)
    if isinstance(exception, TooManyFieldsSent):
        context = {
            "heading": "What you sent has too many fields",
            "explanation": "Nothing was saved. Send fewer rows at a time.",
        }
    else:
        context = {}
    return render(request, "400.html", context, status=400)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def permission_denied(request, exception):
    # The refusals the services raise are written for the reader ("Only the PCT's lead can
    # open a return, on a signed plan."); one raised without words gets the page's general one.
    return render(request, "403.html", {"exception": str(exception)}, status=403)


def server_error(request):
    return render(request, "500.html", status=500)
