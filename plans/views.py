import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import time_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.views.decorators.http import require_http_methods, require_POST

from consortia import plain_forms
from consortia.negotiation import wants_json
from consortia.permissions import Perm, allowed

from . import (
    content,
    diffs,
    exports,
    history,
    presenters,
    row_focus,
    selectors,
    services,
    structured,
    worked_out,
)
from .errors import AnswerInvalid, AnswersInvalid, refusals_of
from .form_refusals import refusals_on
from .forms import AnswerForm, PlanCreateForm, TableImportForm
from .kinds.base import KindContext, cell_said
from .models import Answer, Plan, QuestionKind
from .table_import import MAX_CSV_BYTES, TableImportRefused
from .workflow import TRANSITIONS, Action, may_edit_answer, may_take


def _plan(request, plan_id: int) -> Plan:
    return get_object_or_404(selectors.plans_visible_to(request.user), pk=plan_id)


@login_required
def plan_list(request):
    plans = selectors.plans_visible_to(request.user).order_by("-period", "consortium__name")
    may_start = allowed(request.user, Perm.EDIT_CONSORTIUM_SECTIONS, request.user.consortium)
    return render(
        request,
        "plans/plan_list.html",
        {"plans_table": presenters.plans_table(plans), "may_start": may_start},
    )


@plain_forms.reads_forms(PlanCreateForm)
@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    consortium = request.user.consortium
    if not allowed(request.user, Perm.EDIT_CONSORTIUM_SECTIONS, consortium):
        raise PermissionDenied("Only the consortium's own editors can start its plan.")
    form = PlanCreateForm(
        request.POST or None, templates=selectors.templates_for_new_plan(request.user)
    )
    if request.method == "POST" and form.is_valid():
        with refusals_on(form, services.AnswerInvalid):
            plan = services.plan_create(
                consortium=consortium,
                template=form.cleaned_data["template"],
                period=form.cleaned_data["period"],
                title=form.cleaned_data["title"],
                user=request.user,
            )
            messages.success(request, "Your plan has been created.")
            return redirect("plan_detail", plan_id=plan.pk)
    return render(request, "plans/plan_create.html", {"form": form})


def _unstorable_refused(request, form, kind) -> AnswersInvalid | None:
    """Each posted input holding text no database stores (the text boundary leaves them to
    this view), refused on that input by the label its page gives it: a table's cell by its
    column's heading, which its posted name ("rows[0].area") does not say. Called once the
    answer form is valid: the form refuses its own fields, the text box by its label."""
    refusals = []
    for name, typed in getattr(request, "unstorable_fields", {}).items():
        field = name.removeprefix(f"{form.prefix}-")
        said = cell_said(kind.input_label(field) if kind is not None else "")
        refusals.append(AnswerInvalid(plain_forms.unstorable_message(said, typed), field=field))
    return AnswersInvalid(refusals) if refusals else None


def _refused(request, reason: str):
    """A refusal of a save: in JSON for the page's script, else the refusal page saying why."""
    if wants_json(request):
        return JsonResponse({"refused": reason}, status=403)
    raise PermissionDenied(reason)


def _answer_json(answer: Answer) -> dict:
    return {
        "version": answer.version,
        "text": answer.text,
        "rows": answer.rows,
        "updated_by": answer.updated_by.full_name if answer.updated_by else "",
        "saved_at": time_format(localtime(answer.updated_at)) if answer.updated_at else "",
        "last_changed": presenters.last_changed(answer),
    }


@plain_forms.refuses_unstorable_fields
@login_required
@require_http_methods(["GET", "POST"])
def answer_edit(request, plan_id: int, question_key: str):
    """Save one answer; on a clash or a refusal, show why and keep what the editor typed."""
    answers = selectors.answers_visible_to(request.user)
    if not wants_json(request):
        # The page names the plan's PCT, form and part, and who saved last; an autosave needs
        # none of them, and joining them costs it more than anything else it reads.
        answers = answers.select_related(
            "plan__consortium__commissioner", "plan__template", "question__part", "updated_by"
        )
    answer = get_object_or_404(answers, plan_id=plan_id, question__key=question_key)
    plan, question = answer.plan, answer.question
    if request.method == "GET":
        form = AnswerForm(
            question=question, initial={"base_version": answer.version, "text": answer.text}
        )
        return _render_question(request, plan, answer, form)
    # Asked again under the save's lock; asked first here so that a post to a question shown
    # read-only is refused with the reason, not with the form's complaints about its inputs.
    decision = may_edit_answer(request.user, plan, question)
    if not decision:
        return _refused(request, decision.reason)
    form = AnswerForm(request.POST, question=question)
    rows, data, row_action = None, None, ""
    kind = structured.structured_kind(question)
    # What the question's kind knows of the plan (its practices' standings are the costly
    # part), read once here for everything below: the posted rows, the save's cleaning, the
    # page drawn again. A text answer's save reads none.
    figured = structured.figured_kind(question)
    context = selectors.kind_context(plan) if figured is not None else None
    if question.kind == QuestionKind.TABLE:
        rows, row_action = figured.value_from_post(
            request.POST, prefix=form.prefix, context=context
        )
    if rows is not None and request.POST.get(AS_TYPED) == "1" and wants_json(request):
        return _figures_as_typed(request, plan, answer, form, rows, context=context)
    if not form.is_valid():
        if wants_json(request):
            # Named as the inputs are, so the page's script can mark each one.
            errors = form.errors.get_json_data()
            return JsonResponse(
                {"errors": {form.add_prefix(name): errors[name] for name in errors}}, status=400
            )
        return _render_question(request, plan, answer, form, rows=rows, context=context, status=400)
    inputs_before, revision_before = [], None
    unstorable = _unstorable_refused(request, form, figured)
    try:
        # Reading the figures may already refuse them (a framework that does not exist).
        if kind is not None:
            try:
                data, row_action = kind.value_from_post(
                    request.POST, prefix=form.prefix, current=answer.data
                )
            except services.AnswerInvalid:
                if unstorable is None:
                    raise
        if unstorable is not None:
            # Each on its own input, the figures drawn again as typed (as saved where they
            # cannot be read with such a character: a list of names).
            raise unstorable
        if MERGE_FROM in request.POST:
            return _both_changes(
                request, plan, answer, form, rows=rows, data=data,
                started_from=request.POST[MERGE_FROM], context=context,
            )  # fmt: skip
        if row_action:
            inputs_before = _input_names(answer, answer.rows, answer.data, context=context)
            revision_before = history.answer_revisions(answer).first()
        saved = services.answer_save(
            answer=answer,
            user=request.user,
            base_version=form.cleaned_data["base_version"],
            text=form.cleaned_data.get("text"),
            rows=rows if question.kind == QuestionKind.TABLE else None,
            data=data,
            autosave=request.POST.get("autosave") == "1",
            context=context,
        )
    except services.StaleAnswer as stale:
        theirs = _their_version(
            request, plan, stale.current, text=form.cleaned_data.get("text"), rows=rows, data=data,
            started_from=form.cleaned_data["base_version"], context=context,
        )  # fmt: skip
        if wants_json(request):
            # Their figures go with the clash only: an autosave's reply stays small.
            conflict = {
                **_answer_json(stale.current),
                "data": stale.current.data,
                "html": theirs,
                "yours": _saved_elsewhere(request, stale.current),
            }
            return JsonResponse({"conflict": conflict}, status=409)
        return _render_question(
            request, plan, stale.current, form, rows=rows, data=data, conflict=stale.current,
            theirs=theirs, context=context, status=409,
        )  # fmt: skip
    except services.AnswerInvalid as invalid:
        # A refusal of a structured figure is shown on its own input, not on the text box;
        # every refusal at once (each wrong cell of a table), none held back for the next save.
        on_text = "text" in form.fields and not invalid.field
        refusals = refusals_of(invalid)
        if wants_json(request):
            errors: dict[str, list] = {}
            for refusal in refusals:
                name = form.add_prefix("text" if on_text else refusal.field)
                errors.setdefault(name, []).append({"message": refusal.message})
            return JsonResponse({"errors": errors}, status=400)
        for refusal in refusals:
            form.add_error("text" if on_text else None, refusal.message)
        return _render_question(
            request, plan, answer, form, rows=rows, data=data,
            error_field=form.add_prefix(invalid.field) if invalid.field else "",
            error_fields=[
                form.add_prefix(refusal.field) if refusal.field else "" for refusal in refusals
            ],
            context=context, status=400,
        )  # fmt: skip
    except PermissionDenied as refusal:
        return _refused(request, str(refusal))
    if wants_json(request):
        # What the save kept but does not add up, said with "Saved", and drawn again with the
        # answer's tag for the script to put in place (docs/decisions/0497).
        # Its own warnings read the other answers, which the save left as they were; the
        # figures of the others are worked out again from the plan as saved now.
        warnings = selectors.answer_warnings(saved, context=context)
        return JsonResponse(
            {
                **_answer_json(saved),
                "warnings": [warning.message for warning in warnings],
                "state": _saved_state(plan, saved, warnings),
                "figures": _figures(request, plan, saved),
            }
        )
    if row_action:
        return _after_row_action(
            request, plan, saved, row_action, prefix=form.prefix,
            inputs_before=inputs_before, revision_before=revision_before,
            on_question_page=request.POST.get(RETURN_TO) == "question", context=context,
        )  # fmt: skip
    messages.success(request, f"{question.number} {question.title}: saved.".strip())
    if request.POST.get(RETURN_TO) == "question":
        # Saved from the question's own page: back to it, at the page of a long list it
        # was on, as its row buttons go (docs/decisions/0478).
        page = _page_number(request)
        edit = reverse("answer_edit", args=[plan.pk, question.key])
        return redirect(f"{edit}?page={page}" if page > 1 else edit)
    return redirect(
        reverse("part_detail", args=[plan.pk, question.part.key]) + f"#question-{question.key}"
    )


@login_required
@require_POST
def table_import(request, plan_id: int, question_key: str):
    """Replace a table's rows with a CSV file's: back to the part page saying how many rows
    and which headings were ignored, or the question again with every bad cell listed."""
    plan = _plan(request, plan_id)
    answer = get_object_or_404(
        Answer.objects.select_related("question", "question__part", "updated_by"),
        plan=plan,
        question__key=question_key,
        question__kind="table",
    )
    question = answer.question
    import_form = TableImportForm(request.POST, request.FILES)
    form = AnswerForm(question=question, initial={"base_version": answer.version})
    if not import_form.is_valid():
        return _render_question(request, plan, answer, form, import_form=import_form, status=400)
    try:
        saved, ignored = services.table_rows_import(
            answer=answer,
            user=request.user,
            base_version=import_form.cleaned_data["base_version"],
            data=import_form.cleaned_data["file"].read(MAX_CSV_BYTES + 1),
        )
    except TableImportRefused as refused:
        for message in refused.messages:
            import_form.add_error("file", message)
        return _render_question(request, plan, answer, form, import_form=import_form, status=400)
    except services.StaleAnswer as stale:
        import_form.add_error(
            "file",
            f"{stale.current.updated_by.full_name if stale.current.updated_by else 'Someone'} "
            "saved this table while you were choosing the file: look at their rows, then import "
            "again.",
        )
        return _render_question(
            request, plan, stale.current, form, import_form=import_form, status=409
        )
    count = len(saved.rows)
    rows_word = "row" if count == 1 else "rows"
    message = f"{question.number} {question.title}: {count} {rows_word} imported."
    if ignored:
        message += f" Columns ignored: {', '.join(ignored)}."
    messages.success(request, message.strip())
    return redirect(
        reverse("part_detail", args=[plan.pk, question.part.key]) + f"#question-{question.key}"
    )


#: the name of the clash's "Use both changes" button; its value is the version the editor
#: started from
MERGE_FROM = "merge-from"
#: the answer form's hidden field saying the form was on the question's own page, so a row
#: button goes back there; only that one value is read, never a web address to go to
RETURN_TO = "return-to"
#: the keys of the questions whose worked-out figures the page shows, posted by its script
FIGURES_OF = "figures-of"
#: posted by the page's script as a table is typed in: the figures of the rows as typed,
#: nothing saved
AS_TYPED = "figures-as-typed"
#: the templates of what a block shows of its answer's state, by the name of the region
#: (``data-saved-state``) that holds each in plans/_question.html
SAVED_STATE_TEMPLATES = {"tag": "plans/_answer_tag.html", "warnings": "plans/_answer_warnings.html"}


def _yours(theirs: Answer, *, text, rows, data, context: KindContext | None) -> diffs.Content:
    """What the editor posted, as it would be stored, beside the answer saved meanwhile;
    ``context`` is None for text, which is stored as posted."""
    question = theirs.question
    posted = rows if question.kind == QuestionKind.TABLE else data
    if posted is not None:
        # Compared as it would be stored, so a posted "1,000" against a saved "1000" is no change.
        cleaned, _refusal = structured.kind_for(question).checked(posted, context=context)
        posted = posted if cleaned is None else cleaned
    return diffs.Content(
        text=theirs.text if text is None else text,
        rows=posted if question.kind == QuestionKind.TABLE else theirs.rows,
        data=theirs.data if data is None else posted,
    )


def _saved_elsewhere(request, saved: Answer) -> bool:
    """Whether the answer a clash is with was saved by the same person in another window or
    tab: their own work, told in those words, not someone else's."""
    return saved.updated_by_id == request.user.pk


def _their_version(
    request, plan, theirs: Answer, *, text, rows, data, started_from, context: KindContext | None
) -> str:
    """The clash box's contents: the answer the other person saved, drawn as the page draws
    it to read, what saving the editor's version instead would change in it, figure by
    figure and row by row, so nothing of theirs is replaced unseen, and, where their changes
    and the editor's can be put together, both changes together to use."""
    question = theirs.question
    yours = _yours(theirs, text=text, rows=rows, data=data, context=context)
    offer = history.merged_with(theirs, started_from=started_from, yours=yours)
    return render_to_string(
        "plans/_their_version.html",
        {
            "their": presenters.question_row(question, theirs, plan, context=context),
            "changes": diffs.question_diff(diffs.Content.of(theirs), yours, question=question),
            "offer": offer,
            "offer_changes": _changes_to_theirs(theirs, offer),
            "started_from": started_from,
            "elsewhere": _saved_elsewhere(request, theirs),
        },
        request=request,
    )


def _changes_to_theirs(theirs: Answer, offer) -> diffs.AnswerDiff | None:
    if offer.content is None:
        return None
    return diffs.question_diff(diffs.Content.of(theirs), offer.content, question=theirs.question)


def _both_changes(
    request, plan, answer: Answer, form, *, rows, data, started_from, context: KindContext | None
):
    """The "Use both changes" button: the answer page again with the editor's changes and
    those saved since together in the form, to check and save; nothing is saved here."""
    try:
        started_from = int(started_from)
    except ValueError:
        started_from = -1
    text = form.cleaned_data.get("text")
    offer = history.merged_with(
        answer, started_from=started_from,
        yours=_yours(answer, text=text, rows=rows, data=data, context=context),
    )  # fmt: skip
    if offer.content is None:
        theirs = _their_version(
            request, plan, answer, text=text, rows=rows, data=data, started_from=started_from,
            context=context,
        )  # fmt: skip
        return _render_question(
            request, plan, answer, form, rows=rows, data=data, conflict=answer, theirs=theirs,
            context=context, status=409,
        )  # fmt: skip
    question = answer.question
    if "text" in form.fields:
        form.data = form.data.copy()
        form.data[form.add_prefix("text")] = offer.content.text
    return _render_question(
        request, plan, answer, form,
        rows=offer.content.rows if question.kind == QuestionKind.TABLE else None,
        data=offer.content.data if structured.structured_kind(question) is not None else None,
        merged={"offer": offer, "changes": _changes_to_theirs(answer, offer)}, context=context,
    )  # fmt: skip


def _input_names(answer: Answer, rows, data, *, context: KindContext | None) -> list[str]:
    question = answer.question
    if question.kind == QuestionKind.TABLE:
        return row_focus.table_input_names(rows or [], question.columns or [])
    kind = structured.structured_kind(question)
    if kind is None:
        return []
    return row_focus.input_names(kind.present(data or {}, context=context))


def _after_row_action(
    request, plan, saved, action, *, prefix, inputs_before, revision_before, on_question_page,
    context: KindContext | None,
):  # fmt: skip
    """Back to the page the button was pressed on, the part page or the question's own, at the
    row it changed: the new or neighbouring input named in the fragment (the browser scrolls
    there; app.mjs moves focus into it). A removal says so and offers the version before it
    back."""
    question = saved.question
    name = row_focus.landing(
        action,
        before=inputs_before,
        after=_input_names(saved, saved.rows, saved.data, context=context),
    )
    fragment = f"{prefix}-{name}" if name else f"question-{question.key}"
    if action.startswith("remove-") and revision_before is not None:
        undo = reverse("answer_restore", args=[plan.pk, question.key, revision_before.history_id])
        messages.success(
            request,
            format_html(
                '{} {}: a row was removed. <a href="{}">Undo: put the removed row back</a>',
                question.number,
                question.title,
                undo,
            ),
        )
    kind = structured.structured_kind(question)
    page = kind.page_of(name, saved.data) if kind is not None and name else None
    if page is not None and page > 1:
        # The row is on a later page of a long list: the question's own page shows it.
        edit = reverse("answer_edit", args=[plan.pk, question.key])
        return redirect(f"{edit}?page={page}#{fragment}")
    if on_question_page:
        return redirect(reverse("answer_edit", args=[plan.pk, question.key]) + f"#{fragment}")
    part = reverse("part_detail", args=[plan.pk, question.part.key])
    return redirect(f"{part}#{fragment}")


def _page_number(request) -> int:
    """The page of a long list asked for (``?page=``); the first for anything else."""
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


def _question_row(request, plan, answer, form, *, context, page, data=None):
    """``answer``'s block as its pages draw it for the signed-in person."""
    question = answer.question
    row = presenters.question_row(question, answer, plan, data=data, context=context, page=page)
    # The rule the save service applies: where it would refuse, the answer is shown to read,
    # with why, and no input or Save button takes text that could not be kept.
    row.edit = may_edit_answer(request.user, plan, question)
    row.form = form if row.edit else None
    return row


def _saved_state(plan, saved: Answer, warnings: list) -> dict[str, str]:
    """What the saved answer's block shows of its state (its tag, its warnings callout), by
    the name of the region marked ``data-saved-state`` that holds it: the page's script puts
    them in place after an in-page save, as it does the figures (docs/decisions/0497)."""
    # Only what the two templates read: who completes the question would cost an autosave a
    # query for the consortium's name.
    row = {
        **vars(presenters.answer_tag(saved, plan)),
        "question": saved.question,
        "warnings": warnings,
    }
    return {
        name: render_to_string(template, {"row": row})
        for name, template in SAVED_STATE_TEMPLATES.items()
    }


def _figures_as_typed(
    request, plan, answer: Answer, form, rows: list, *, context: KindContext
) -> JsonResponse:
    """A table's worked-out cells and totals for the rows as typed, not saved: the page's
    script shows them as the person types, so the totals shown are always those of the rows
    shown (before, they stayed the saved rows' until the autosave, "£0" on a new plan). Rows
    that cannot be worked out (a cell refused) give no totals, which the script empties.
    Asked only by a person who may save the answer (``answer_edit`` asks first), as a save is."""
    row = _question_row(
        request, plan, answer, form, data=rows, context=context, page=_page_number(request)
    )
    block = render_to_string("plans/_question.html", {"plan": plan, "row": row}, request)
    return JsonResponse({"figures": {answer.question.key: worked_out.figures_in(block)}})


def _figures(request, plan, saved: Answer) -> dict[str, dict[str, str]]:
    """The worked-out figures of each question the page asks for (``figures-of``: those of
    its blocks that show any), drawn again from the answers as saved now: a save changes its
    own figures and those other answers work out from it (4.4's share of 4.2's savings), and
    the page's script puts them in place without a reload (docs/decisions/0484)."""
    keys = request.POST.getlist(FIGURES_OF)
    if not keys:
        return {}
    answers = (
        selectors.answers_visible_to(request.user)
        .filter(plan=plan, question__key__in=keys)
        .select_related("question", "updated_by")
    )
    context = selectors.kind_context(plan)
    figures = {}
    for answer in answers:
        if answer.pk == saved.pk:
            # the page of a long list the form was on
            answer, page = saved, _page_number(request)
        else:
            page = 1
        form = AnswerForm(
            question=answer.question,
            initial={"base_version": answer.version, "text": answer.text},
        )
        row = _question_row(request, plan, answer, form, context=context, page=page)
        block = render_to_string("plans/_question.html", {"plan": plan, "row": row}, request)
        figures[answer.question.key] = worked_out.figures_in(block)
    return figures


def _render_question(
    request,
    plan,
    answer,
    form,
    *,
    rows=None,
    data=None,
    conflict=None,
    theirs="",
    merged=None,
    error_field="",
    error_fields=(),
    import_form=None,
    context: KindContext | None = None,
    status=200,
):
    """The question's own page; ``context`` what its kind knows of the plan when the request
    has read it already, else read here."""
    question = answer.question
    if rows is not None:
        data = rows  # a table's value is its rows
    row = _question_row(
        request, plan, answer, form, data=data, context=context or selectors.kind_context(plan),
        page=_page_number(request),
    )  # fmt: skip
    if rows is not None:
        row.table_rows = content.table_rows(question, rows, plan_id=plan.pk)
    if conflict is not None or merged is not None:
        # Their newer version becomes the base: saving now keeps the editor's text on purpose.
        form.data = form.data.copy()
        form.data[form.add_prefix("base_version")] = str(answer.version)
    return render(
        request,
        "plans/question_detail.html",
        {
            "plan": plan,
            "part": question.part,
            "row": row,
            "conflict": conflict,
            "elsewhere": conflict is not None and _saved_elsewhere(request, conflict),
            "theirs": theirs,
            "merged": merged,
            "error_field": error_field,
            # each message not of a form field with the input it is about, in order
            "refusals": list(zip(form.non_field_errors(), error_fields, strict=False))
            if error_fields
            else [],
            "import_form": import_form
            or (
                TableImportForm(initial={"base_version": answer.version})
                if question.kind == QuestionKind.TABLE
                else None
            ),
        },
        status=status,
    )


@login_required
def plan_ready(request, plan_id: int):
    plan = _plan(request, plan_id)
    missing = selectors.missing_before(plan, Action.SUBMIT)
    unresolved = selectors.unresolved_answers(plan)
    unchecked = selectors.unchecked_before(plan, Action.SUBMIT)
    in_progress = selectors.in_progress(plan)
    return render(
        request,
        "plans/plan_ready.html",
        {
            "plan": plan,
            # Ready, the plan is submitted from here by whoever may submit it.
            "submit": TRANSITIONS[Action.SUBMIT]
            if may_take(request.user, plan, Action.SUBMIT)
            else None,
            "missing": missing,
            "missing_table": presenters.questions_table(
                plan, missing, caption="Required questions still empty"
            ),
            "unresolved": unresolved,
            "unresolved_table": presenters.unresolved_table(plan, unresolved),
            "unchecked": unchecked,
            "in_progress": in_progress,
            "in_progress_table": presenters.questions_table(
                plan, in_progress, caption="Answers in progress"
            ),
            "unchecked_table": presenters.questions_table(
                plan, unchecked, caption="Answers carried forward, not yet checked"
            ),
        },
    )


@login_required
def plan_export_json(request, plan_id: int):
    plan = _plan(request, plan_id)
    response = HttpResponse(
        json.dumps(exports.plan_record(plan), indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"{plan.consortium.slug}-plan-{plan.period.replace('/', '-')}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def plan_move(request, plan_id: int, template_id: int):
    plan = _plan(request, plan_id)
    target = get_object_or_404(selectors.newer_versions(plan), pk=template_id)
    if not allowed(request.user, Perm.EDIT_CONSORTIUM_SECTIONS, plan):
        raise PermissionDenied("Only the consortium's editors can move its plan to a new form.")
    preview = services.plan_migration_preview(plan=plan, target=target)
    confirm_error = ""
    if request.method == "POST":
        confirmed = request.POST.get("confirm_losses") == "yes"
        if preview.needs_confirmation and not confirmed:
            confirm_error = (
                "Confirm that you understand these answers, figures and rates will not be "
                "kept as they are"
            )
        else:
            try:
                services.plan_migrate(
                    plan=plan,
                    target=target,
                    user=request.user,
                    confirmed=confirmed,
                    seen=request.POST.get("seen", ""),
                )
            except services.AnswerInvalid as invalid:
                messages.error(request, invalid.message)
                if preview.needs_confirmation:
                    return redirect("plan_move", plan_id=plan.pk, template_id=target.pk)
            else:
                messages.success(request, f"The plan now uses {target}.")
            return redirect("plan_detail", plan_id=plan.pk)
    return render(
        request,
        "plans/plan_move.html",
        {"plan": plan, "preview": preview, "confirm_error": confirm_error},
        status=400 if confirm_error else 200,
    )


# --- History: revisions, compare, restore, named drafts ----------------------------------


def _plan_answer(plan, question_key: str) -> Answer:
    return get_object_or_404(
        Answer.objects.select_related("question", "question__part"),
        plan=plan,
        question__key=question_key,
    )


@login_required
def question_history(request, plan_id: int, question_key: str):
    """One answer's revisions, newest first; ``?from=&to=`` (or ``?to=`` alone, for the
    change a revision made) shows what changed between two of them."""
    plan = _plan(request, plan_id)
    answer = _plan_answer(plan, question_key)
    comparison = None
    if request.GET.get("to"):
        comparison = history.compare_revisions(answer, request.GET.get("from"), request.GET["to"])
        if comparison is None:
            raise Http404("No such revision of this answer")
    page = history.page_of(history.answer_revisions(answer), request.GET.get("page"))
    rows = history.revision_rows(page)
    if comparison is not None:
        selected_from = comparison.old.history_id if comparison.old else None
        selected_to = comparison.new.history_id
    else:  # as on a wiki, the latest two versions are chosen to start with
        selected_from = rows[1].history_id if len(rows) > 1 else None
        selected_to = rows[0].history_id if rows else None
    return render(
        request,
        "plans/history_question.html",
        {
            "plan": plan,
            "answer": answer,
            "question": answer.question,
            "page": page,
            "rows": rows,
            "selected_from": selected_from,
            "selected_to": selected_to,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "comparison": comparison,
            "edit": may_edit_answer(request.user, plan, answer.question),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer_restore(request, plan_id: int, question_key: str, history_id: int):
    """Ask, showing what restoring would change; on POST put the earlier version back."""
    plan = _plan(request, plan_id)
    answer = _plan_answer(plan, question_key)
    revision = history.revision_of(answer, history_id)
    if revision is None:
        raise Http404("No such revision of this answer")
    here = reverse("answer_restore", args=[plan.pk, question_key, history_id])
    if request.method == "POST":
        try:
            base_version = int(request.POST.get("base_version", ""))
        except ValueError:
            base_version = -1
        try:
            saved = services.answer_restore(
                answer=answer,
                user=request.user,
                history_id=revision.history_id,
                base_version=base_version,
            )
        except services.StaleAnswer:
            messages.error(
                request,
                "Someone saved this answer after you opened this page, so nothing was restored. "
                "Check what restoring would change now, then restore again.",
            )
            return redirect(here)
        except services.AnswerInvalid as invalid:
            messages.error(request, invalid.message)
            return redirect(here)
        messages.success(
            request,
            f"The version of {answer.question.number or answer.question.title} saved by "
            f"{history.revision_who(revision)} on {history.revision_when(revision)} is back: "
            f"it is saved as version {saved.version}.",
        )
        return redirect("question_history", plan_id=plan.pk, question_key=question_key)
    diff = diffs.question_diff(
        diffs.Content.of(answer), diffs.Content.of(revision), question=answer.question
    )
    return render(
        request,
        "plans/history_restore.html",
        {
            "plan": plan,
            "answer": answer,
            "question": answer.question,
            "revision": history.revision_rows([revision])[0],
            "diff": diff,
            "edit": may_edit_answer(request.user, plan, answer.question),
        },
    )


@login_required
def plan_history(request, plan_id: int):
    """Every revision of every answer of the plan, newest first, 50 a page."""
    plan = _plan(request, plan_id)
    page = history.page_of(history.plan_revisions(plan), request.GET.get("page"))
    return render(
        request,
        "plans/history_plan.html",
        {
            "plan": plan,
            "page": page,
            "revisions": presenters.history_table(plan, page, history.revision_rows(page)),
            "page_range": page.paginator.get_elided_page_range(page.number),
        },
    )


class DraftNameForm(plain_forms.Form):
    name = forms.CharField(
        label="Name this draft (optional)",
        max_length=200,
        required=False,
        strip=True,
        error_messages={
            "null_characters_not_allowed": "The name holds a null character, which cannot be "
            "stored: type the name again without it"
        },
    )


@plain_forms.reads_forms(DraftNameForm)
@login_required
@require_http_methods(["GET", "POST"])
def plan_drafts(request, plan_id: int):
    """The plan's named drafts, naming the plan as it is now, and choosing two to compare."""
    plan = _plan(request, plan_id)
    may_name = allowed(request.user, Perm.EDIT_CONSORTIUM_SECTIONS, plan)
    form = DraftNameForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                snapshot = services.snapshot_create(
                    plan=plan, user=request.user, name=form.cleaned_data["name"]
                )
            except services.AnswerInvalid as invalid:
                form.add_error("name", invalid.message)
            else:
                messages.success(request, f"The plan as it is now is saved as “{snapshot.name}”.")
                return redirect("plan_drafts", plan_id=plan.pk)
        status = 400
    drafts = list(history.snapshots(plan))
    return render(
        request,
        "plans/drafts_list.html",
        {
            "plan": plan,
            "drafts": drafts,
            "drafts_table": presenters.drafts_table(plan, drafts),
            "form": form,
            "may_name": may_name,
            "default_name": services.default_snapshot_name({d.name.lower() for d in drafts}),
        },
        status=status,
    )


CURRENT = "current"


@login_required
def drafts_compare(request, plan_id: int):
    """Two named drafts, or a named draft and the plan as it is now, question by question."""
    plan = _plan(request, plan_id)
    chosen = [request.GET.get("from", ""), request.GET.get("to", CURRENT)]
    ids = [int(value) for value in chosen if value.isdigit()]
    found = {draft.pk: draft for draft in plan.snapshots.filter(pk__in=ids)}
    sides = []
    for value in chosen:
        if value == CURRENT:
            sides.append((None, "The plan as it is now"))
        elif value.isdigit() and int(value) in found:
            sides.append((found[int(value)], found[int(value)].name))
        else:
            raise Http404("No such named draft of this plan")
    # Older first; the plan as it is now is newer than any named draft.
    sides.sort(key=lambda side: (side[0] is None, side[0].created_at if side[0] else 0))
    (old, old_name), (new, new_name) = sides
    current = history.current_content(plan) if None in (old, new) else None
    changes = history.compare_contents(
        plan,
        old.answers if old is not None else current,
        new.answers if new is not None else current,
    )
    return render(
        request,
        "plans/drafts_compare.html",
        {
            "plan": plan,
            "old": old,
            "new": new,
            "old_name": old_name,
            "new_name": new_name,
            "changes": changes,
        },
    )
