"""A PCT's lead loads the PCT's own plan forms from definition files: upload, check what the
import will do, import (docs/decisions/0469). The site administrator loads any PCT's form in the
admin; both go through the same steps (plans/template_files.py, plans/pending_imports.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from consortia import selectors as organisation_selectors
from consortia.permissions import Perm, allowed

from . import presenters, selectors, template_files
from .forms import DefinitionFileForm
from .pending_imports import pending_forget, pending_keep, pending_of


def _pct(request, slug: str):
    """The PCT, found in the user's scope (404 outside), whose forms the user may load (403)."""
    commissioner = organisation_selectors.commissioner_for(request.user, slug=slug)
    if not allowed(request.user, Perm.LOAD_FORMS, commissioner):
        raise PermissionDenied("Only the PCT's lead loads its plan forms.")
    return commissioner


def _forms_page(request, commissioner, form, status=200):
    return render(
        request,
        "plans/pct_forms.html",
        {
            "commissioner": commissioner,
            "forms_table": presenters.pct_forms_table(
                commissioner, selectors.forms_issued_by(commissioner)
            ),
            "form": form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pct_forms(request, slug: str):
    """The PCT's forms, and a definition file to upload: checked whole, nothing stored."""
    commissioner = _pct(request, slug)
    form = DefinitionFileForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _forms_page(request, commissioner, form)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            raw = template_files.read_upload(upload)
            template_files.import_preview(raw=raw, loaded_for=commissioner)
        except template_files.DefinitionError as error:
            form.refuse(error)
        else:
            pending = pending_keep(
                request.session, name=upload.name, raw=raw, loaded_for=commissioner.slug
            )
            return redirect("pct_form_check", slug=commissioner.slug, token=pending["token"])
    return _forms_page(request, commissioner, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def pct_form_check(request, slug: str, token: str):
    """What loading the uploaded file will do; loading it checks it again first."""
    commissioner = _pct(request, slug)
    pending = pending_of(request.session, token, loaded_for=commissioner.slug)
    if pending is None:
        messages.error(
            request,
            "That file is no longer waiting to be loaded (it was loaded, cancelled or replaced "
            "by another upload): upload it again.",
        )
        return redirect("pct_forms", slug=commissioner.slug)
    raw = pending["text"].encode()
    if "cancel" in request.POST:
        pending_forget(request.session)
        messages.info(request, f"Loading {pending['name']} was cancelled: nothing was stored.")
        return redirect("pct_forms", slug=commissioner.slug)
    try:
        if request.method == "POST":
            pending_forget(request.session)
            _template, previewed = template_files.import_confirm(raw=raw, loaded_for=commissioner)
        else:
            previewed = template_files.import_preview(raw=raw, loaded_for=commissioner)
    except template_files.DefinitionError as error:
        # What is stored changed since the file was checked: refused as if uploaded again now.
        pending_forget(request.session)
        form = DefinitionFileForm(files={"file": SimpleUploadedFile(pending["name"], raw)})
        form.is_valid()
        form.refuse(error)
        return _forms_page(request, commissioner, form, status=400)
    if request.method == "POST":
        messages.success(request, f"From {pending['name']}: {previewed.result}.")
        return redirect("pct_forms", slug=commissioner.slug)
    return render(
        request,
        "plans/pct_form_check.html",
        {
            "commissioner": commissioner,
            "preview": previewed,
            "pending": pending,
            "tables": presenters.definition_check_tables(previewed),
        },
    )


def definition_download(template) -> HttpResponse:
    """A stored form as its definition file, to edit into its next version."""
    response = HttpResponse(template_files.dump(template), content_type="application/yaml")
    response["Content-Disposition"] = f'attachment; filename="{template.slug}.yaml"'
    return response


@login_required
@require_GET
def pct_form_download(request, slug: str, template_slug: str):
    return definition_download(selectors.form_issued_by(_pct(request, slug), slug=template_slug))
