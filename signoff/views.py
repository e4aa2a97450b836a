import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from consortia.permissions import Perm, allowed
from consortia.plain_forms import reads_forms
from plans.form_refusals import refusals_on
from plans.models import TemplatePart, TemplateQuestion
from plans.selectors import (
    in_progress,
    missing_before,
    plans_visible_to,
    unchecked_before,
    unresolved_before,
)
from plans.workflow import TRANSITIONS, Action, may_take

from . import selectors, services, word_export
from .errors import Refused
from .forms import (
    MAX_UPLOAD_BYTES,
    ActionForm,
    CommentForm,
    NotificationPreferenceForm,
    ReplyForm,
    SignatureForm,
    VerifyForm,
    comment_prefix,
    reply_prefix,
)
from .models import PlanDocument
from .presenters.activity import activity_page
from .presenters.comments import (
    comments_url,
    open_comments_at,
    passage_source,
    quoted_text_now,
    thread_view,
)
from .presenters.documents import document_state, download_filename, signatories_table
from .presenters.review import review_panel
from .rendering import SEALED_KINDS
from .signing import SigningState, approval_ends

ACTION_VERBS = services.review.VERBS
# The name each verb gives the text typed with the action.
COMMENT_ARGUMENT = {
    Action.REQUEST_CHANGES: "summary",
    Action.APPROVE: "comment",
    Action.REOPEN: "reason",
}
DONE_MESSAGES = {
    Action.SUBMIT: "The plan has been submitted to the PCT. Its editors can no longer change it "
    "unless the PCT asks for changes.",
    Action.WITHDRAW: "The submission has been withdrawn. The plan is a draft again.",
    Action.START_REVIEW: "You have started the review. The consortium's questions are locked; "
    "the PCT's questions are open for you to complete.",
    Action.REQUEST_CHANGES: "The consortium has been asked for changes.",
    Action.APPROVE: "The plan is approved. Its content is frozen and the signatories have been "
    "asked to sign.",
    Action.REOPEN: "The plan is open for changes again. Signatures already given are void.",
    Action.RECORD_SUBMISSION: "The plan is recorded as submitted to the PCT.",
}
# The steps that send the plan on, to the PCT or to its signatories: before either, the page
# warns of comments still open and answers only typed; neither stops it (docs/decisions/0472).
WARNED_BEFORE = frozenset({Action.SUBMIT, Action.APPROVE})


def _plan(request, plan_id: int):
    return get_object_or_404(plans_visible_to(request.user), pk=plan_id)


def _status(request, decision) -> int:
    """403 while the action is refused; 400 when a posted form comes back with errors."""
    if not decision:
        return 403
    return 400 if request.method == "POST" else 200


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@reads_forms(ActionForm)
@login_required
@require_http_methods(["GET", "POST"])
def plan_action(request, plan_id: int, action: str):
    """Confirms one workflow action, then takes it; a refusal is shown with its reason."""
    plan = _plan(request, plan_id)
    try:
        action = Action(action.replace("-", "_"))
    except ValueError:
        raise Http404("No such action") from None
    if action not in ACTION_VERBS:
        raise Http404("No such action")
    transition = TRANSITIONS[action]
    form = ActionForm(request.POST if request.method == "POST" else None, transition=transition)
    decision = may_take(request.user, plan, action)
    missing = missing_before(plan, action) if decision else []
    unresolved = unresolved_before(plan, action) if decision else []
    unchecked = unchecked_before(plan, action) if decision else []
    warned = bool(decision) and action in WARNED_BEFORE and not (missing or unresolved or unchecked)
    if request.method == "POST" and form.is_valid():
        arguments = {"plan": plan, "user": request.user, "ip_address": client_address(request)}
        if action in COMMENT_ARGUMENT:
            arguments[COMMENT_ARGUMENT[action]] = form.cleaned_data.get("comment", "")
        with refusals_on(form, Refused):
            ACTION_VERBS[action](**arguments)
            done = DONE_MESSAGES[action]
            if action == Action.APPROVE and not plan.template.signatories:
                done = f"The plan is approved. Its content is frozen: {approval_ends(plan)}"
            messages.success(request, done)
            return redirect("plan_detail", plan_id=plan.pk)
    return render(
        request,
        "signoff/plan_action.html",
        {
            "plan": plan,
            "transition": transition,
            "form": form,
            "decision": decision,
            "missing": missing,
            "unresolved": unresolved,
            "unchecked": unchecked,
            "open_comments": open_comments_at(plan, request.user) if warned else None,
            "in_progress": in_progress(plan) if warned else [],
        },
        status=_status(request, decision),
    )


@reads_forms(SignatureForm)
@login_required
@require_http_methods(["GET", "POST"])
def plan_sign(request, plan_id: int):
    """The signatory re-enters their password, types their name and confirms. Anyone who cannot
    sign now is told why, and shown no form."""
    plan = _plan(request, plan_id)
    state = SigningState.of(plan)
    decision = may_take(request.user, plan, Action.SIGN)
    # Refused by their role or the plan's state (403), or allowed but not now: not their turn,
    # or no position they hold signs this form.
    why_not = decision.reason if not decision else state.turn_of(request.user, plan).reason
    form = SignatureForm(request.POST if request.method == "POST" else None, signer=request.user)
    if request.method == "POST" and not why_not and form.is_valid():
        with refusals_on(form, Refused):
            signature = services.signature_add(
                plan=plan,
                user=request.user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data.get("code", ""),
                request=request,
                typed_name=form.cleaned_data["typed_name"],
                confirmed=form.cleaned_data["confirmed"],
                ip_address=client_address(request),
                user_agent=request.headers.get("User-Agent", ""),
            )
            messages.success(request, f"You have signed the plan as {signature.title}.")
            return redirect("plan_detail", plan_id=plan.pk)
    return render(
        request,
        "signoff/plan_sign.html",
        {
            "plan": plan,
            "form": form,
            "why_not": why_not,
            "panel": review_panel(plan, request.user),
            "content_sha256": state.content_sha256(plan),
        },
        status=_status(request, decision),
    )


@login_required
def plan_activity(request, plan_id: int):
    """What has happened to the plan, newest first, 50 a page."""
    plan = _plan(request, plan_id)
    page, lines = activity_page(plan, request.user, request.GET.get("page"))
    return render(
        request,
        "signoff/plan_activity.html",
        {
            "plan": plan,
            "page": page,
            "lines": lines,
            "page_range": page.paginator.get_elided_page_range(page.number),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """Whether the user hears of their plans as things happen or in one email a day."""
    form = NotificationPreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"notify": request.user.notify},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preference_set(
                user=request.user, notify=form.cleaned_data["notify"]
            )
        except Refused as refusal:
            form.add_error("notify", refusal.message)
        else:
            messages.success(request, "Your email settings have been saved.")
            return redirect("notification_settings")
    return render(
        request,
        "signoff/notification_settings.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- PDFs: a draft on request, each document's progress page, its status and its download ---


def _document(request, plan_id: int, document_id: int):
    """The plan (404 outside the user's scope) and one of its documents, without the file."""
    plan = _plan(request, plan_id)
    document = get_object_or_404(selectors.without_bytes(plan.documents.all()), pk=document_id)
    document.plan = plan
    return plan, document


@login_required
@require_http_methods(["POST"])
def plan_draft_pdf(request, plan_id: int):
    plan = _plan(request, plan_id)
    try:
        document = services.draft_pdf_request(plan=plan, user=request.user)
    except Refused as refusal:
        raise PermissionDenied(refusal.message) from None
    return redirect("document_detail", plan_id=plan.pk, document_id=document.pk)


@login_required
def plan_word_export(request, plan_id: int):
    """The plan as a Word document, with the review comments the reader may see if asked."""
    plan = _plan(request, plan_id)
    data = word_export.plan_docx(
        plan=plan, user=request.user, with_comments=request.GET.get("comments") == "1"
    )
    response = HttpResponse(data, content_type=word_export.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, word_export.docx_filename(plan)
    )
    return response


@login_required
def document_detail(request, plan_id: int, document_id: int):
    """Where the PDF has got to; a script keeps it up to date, or the reader refreshes it."""
    plan, document = _document(request, plan_id, document_id)
    return render(
        request,
        "signoff/document_detail.html",
        {"plan": plan, "document": document_state(document, request.user)},
    )


@login_required
def document_status(request, plan_id: int, document_id: int):
    _plan_found, document = _document(request, plan_id, document_id)
    response = JsonResponse(document_state(document, request.user).as_json())
    response["Cache-Control"] = "no-store"
    return response


@login_required
def document_download(request, plan_id: int, document_id: int):
    """The PDF under a name the server chooses; the chair's download of the signed PDF (or the
    approved one, for a form that ends at approval) is recorded as the plan's export."""
    plan = _plan(request, plan_id)
    document = get_object_or_404(plan.documents.all(), pk=document_id)
    document.plan = plan
    if document.state != PlanDocument.State.READY:
        return redirect("document_detail", plan_id=plan.pk, document_id=document.pk)
    if document.kind in SEALED_KINDS:
        # Others who may see the plan may read its sealed PDF; only the chair exports it.
        with contextlib.suppress(Refused):
            services.signed_pdf_download_record(
                plan=plan,
                user=request.user,
                ip_address=client_address(request),
                document=document,
            )
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, download_filename(document))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["POST"])
def document_retry(request, plan_id: int, document_id: int):
    plan, document = _document(request, plan_id, document_id)
    try:
        services.document_retry(document=document, user=request.user)
    except Refused as refusal:
        if not services.may_retry(request.user, document):
            raise PermissionDenied(refusal.message) from None
        messages.error(request, refusal.message)
    else:
        messages.success(request, "The PDF has been sent to be made again.")
    return redirect("document_detail", plan_id=plan.pk, document_id=document.pk)


# --- Review comments -----------------------------------------------------------------------
# Plain form posts: each redirects back to the part page; a refusal shows the typed text again
# on its own page, with the design system's error summary, so nothing typed is lost.


def _may_comment(request, plan) -> bool:
    if not allowed(request.user, Perm.COMMENT, plan):
        raise PermissionDenied("Only the consortium's people and its PCT's staff can comment.")
    return selectors.sees_internal_comments(request.user)


def _comment_target(plan, data) -> tuple[TemplateQuestion | None, TemplatePart | None]:
    if data.get("question"):
        question = get_object_or_404(
            TemplateQuestion.objects.select_related("part"),
            template_id=plan.template_id,
            key=data["question"],
        )
        return question, None
    if data.get("part"):
        return None, get_object_or_404(TemplatePart, template_id=plan.template_id, key=data["part"])
    raise Http404("No question or part given")


def _written(request, form, write, *, done: str) -> bool:
    """Whether the posted comment or reply was valid and ``write(cleaned_data)`` stored it (then
    ``done`` is the message); a refusal goes on the form, to be shown again with its errors."""
    if not form.is_valid():
        return False
    with refusals_on(form, Refused):
        write(form.cleaned_data)
        messages.success(request, done)
        return True
    return False


@reads_forms(CommentForm)
@login_required
@require_POST
def comment_add(request, plan_id: int):
    """Starts a thread on a question or on a part's guidance."""
    plan = _plan(request, plan_id)
    question, part = _comment_target(plan, request.POST)
    form = CommentForm(
        request.POST,
        prefix=comment_prefix(question=question, part=part),
        may_keep_internal=_may_comment(request, plan),
    )

    def write(data):
        services.comment_add(
            plan=plan,
            user=request.user,
            body=data["body"],
            question=question,
            part=part,
            quote=data.get("quote", ""),
            visibility=form.chosen_visibility,
            ip_address=client_address(request),
        )

    back = comments_url(plan, question=question, part=part)
    if _written(request, form, write, done="Your comment has been added."):
        return redirect(back)
    return render(
        request,
        "signoff/comment_form.html",
        {
            "plan": plan,
            "question": question,
            "part": part or question.part,
            "form": form,
            "target": "question" if question is not None else "part",
            "target_key": question.key if question is not None else part.key,
            "back": back,
            "passage": passage_source(plan, question=question, part=part),
        },
        status=400,
    )


def _thread(request, thread_id: int):
    thread = selectors.thread_visible_to(request.user, thread_id)
    if thread is None:
        raise Http404("No such comment")
    _may_comment(request, thread.plan)
    return thread


def _thread_url(thread) -> str:
    return comments_url(thread.plan, question=thread.question, part=thread.part)


@reads_forms(ReplyForm)
@login_required
@require_POST
def comment_reply(request, thread_id: int):
    thread = _thread(request, thread_id)
    form = ReplyForm(request.POST, prefix=reply_prefix(thread))

    def write(data):
        services.comment_reply(
            thread=thread, user=request.user, body=data["body"], ip_address=client_address(request)
        )

    if _written(request, form, write, done="Your reply has been added."):
        return redirect(_thread_url(thread))
    return render(
        request,
        "signoff/comment_form.html",
        {
            "plan": thread.plan,
            "question": thread.question,
            "part": thread.part or thread.question.part,
            "form": form,
            "thread": thread_view(thread, current_text=quoted_text_now(thread), may_comment=False),
            "thread_pk": thread.pk,
            "back": _thread_url(thread),
        },
        status=400,
    )


def _thread_state(request, thread_id: int, verb, done: str):
    thread = _thread(request, thread_id)
    try:
        verb(thread=thread, user=request.user, ip_address=client_address(request))
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)
    return redirect(_thread_url(thread))


@login_required
@require_POST
def comment_resolve(request, thread_id: int):
    return _thread_state(request, thread_id, services.comment_resolve, "The comment is resolved.")


@login_required
@require_POST
def comment_reopen(request, thread_id: int):
    return _thread_state(request, thread_id, services.comment_reopen, "The comment is open again.")


# Verification: open to anyone, signed in or not (docs/decisions/0202-pdf-fetcher-and-seal.md).
# The upload's size is checked from its header before anything reads the body, and only then
# is the CSRF token checked (which reads the body), so an oversized upload is never stored.


@csrf_exempt
@require_http_methods(["GET", "POST"])
def verify(request):
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_UPLOAD_BYTES + 64 * 1024:
            return render(
                request, "signoff/verify.html", {"form": VerifyForm.too_large()}, status=413
            )
    return _verify(request)


@csrf_protect
def _verify(request):
    if request.method != "POST":
        return render(request, "signoff/verify.html", {"form": VerifyForm()})
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "signoff/verify.html", {"form": form}, status=400)
    # Checking the seal needs pyHanko: loaded by the first check, not with the URLconf.
    from .verification import verify_upload

    result = verify_upload(form.cleaned_data["file"].read())
    return render(
        request,
        "signoff/verify_result.html",
        {
            "result": result,
            "signatories": signatories_table(result.signatories),
            "file_name": form.cleaned_data["file"].name,
        },
    )
