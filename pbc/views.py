from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from signoff import dashboards

from . import health


@login_required
def home(request):
    """The signed-in person's dashboard: their plans by state and what waits on them."""
    page = dashboards.home(
        request.user, state=request.GET.get("state", ""), page_number=request.GET.get("page")
    )
    return render(request, "pbc/home.html", {"home": page})


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
    return render(request, "403.html", status=403)


def server_error(request):
    return render(request, "500.html", status=500)
