"""Pages that import a filled form from Word: upload, preview, apply (plans/word_import.py).

The pending import lives in the editor's session under a random token until it is applied or
replaced (docs/decisions/0410); it is never held in a process's memory.
"""

import json
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_http_methods

from consortia.permissions import Perm, allowed

from . import selectors, word_import
from .errors import AnswerInvalid
from .word_files import WordRefused
from .word_forms import WordUploadForm
from .workflow import CONSORTIUM_EDITS_IN

SESSION_KEY = "word_imports"
KEPT_IMPORTS = 3
MAX_PREVIEW_CHARACTERS = 3_000_000


def _plan(request, plan_id: int):
    plan = get_object_or_404(selectors.plans_visible_to(request.user), pk=plan_id)
    if not allowed(request.user, Perm.EDIT_CONSORTIUM_SECTIONS, plan):
        raise PermissionDenied("Only the consortium's editors and chair can import into its plan.")
    return plan


def _keep(request, plan, preview: word_import.Preview) -> str:
    encoded = json.dumps(preview.as_json())
    if len(encoded) > MAX_PREVIEW_CHARACTERS:
        raise WordRefused(
            "This document holds far more text than a plan: split it and import the parts one "
            "at a time."
        )
    pending = dict(request.session.get(SESSION_KEY) or {})
    while len(pending) >= KEPT_IMPORTS:
        pending.pop(next(iter(pending)))
    token = secrets.token_urlsafe(16)
    pending[token] = {"plan": plan.pk, "preview": encoded}
    request.session[SESSION_KEY] = pending
    return token


def _pending(request, plan, token: str) -> word_import.Preview | None:
    item = (request.session.get(SESSION_KEY) or {}).get(token)
    if not item or item.get("plan") != plan.pk:
        return None
    return word_import.Preview.from_json(json.loads(item["preview"]))


def _forget(request, token: str) -> None:
    pending = dict(request.session.get(SESSION_KEY) or {})
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending


@login_required
@require_http_methods(["GET", "POST"])
def word_import_upload(request, plan_id: int):
    plan = _plan(request, plan_id)
    form = WordUploadForm(request.POST or None, request.FILES or None)
    status = 200
    writable = plan.status in CONSORTIUM_EDITS_IN
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                preview = word_import.word_import_preview(
                    plan=plan, user=request.user, filename=upload.name, data=upload.read()
                )
                token = _keep(request, plan, preview)
            except WordRefused as refusal:
                form.add_error("file", refusal.message)
            else:
                return redirect("plan_word_preview", plan_id=plan.pk, token=token)
    return render(
        request,
        "plans/word_import.html",
        {"plan": plan, "form": form, "writable": writable},
        status=status,
    )


def _choices_from_post(post, preview, keys: set[str]) -> dict[int, str]:
    applied = set(post.getlist("apply"))
    choices = {}
    for piece in preview.pieces:
        target = post.get(f"target-{piece.id}", "")
        choices[piece.id] = target if str(piece.id) in applied and target in keys else ""
    return choices


@login_required
@require_http_methods(["GET", "POST"])
def word_import_preview(request, plan_id: int, token: str):
    plan = _plan(request, plan_id)
    preview = _pending(request, plan, token)
    if preview is None:
        messages.error(
            request,
            "That import is no longer waiting: it was applied, replaced by a newer upload, or "
            "the session ended. Upload the document again.",
        )
        return redirect("plan_word_import", plan_id=plan.pk)
    answerable = {q.key for q in plan.template.questions.all() if q.answerable}
    error = ""
    if request.method == "POST":
        choices = _choices_from_post(request.POST, preview, answerable)
        if request.POST.get("action") == "apply":
            try:
                result = word_import.word_import_apply(
                    plan=plan, user=request.user, preview=preview, choices=choices
                )
            except AnswerInvalid as invalid:
                error = invalid.message
            except PermissionDenied as denied:
                error = str(denied)
            else:
                _forget(request, token)
                saved = len(result.saved)
                messages.success(
                    request,
                    f"{saved} answer{pluralize(saved)} imported from Word."
                    if saved
                    else "Nothing was imported from Word.",
                )
                return render(
                    request, "plans/word_import_done.html", {"plan": plan, "result": result}
                )
    else:
        choices = word_import.default_choices(plan, preview, request.user)
    rows = word_import.preview_rows(plan, preview, choices, request.user)
    return render(
        request,
        "plans/word_import_preview.html",
        {
            "plan": plan,
            "preview": preview,
            "rows": rows,
            "error": error,
            "token": token,
        },
        status=400 if error else 200,
    )
