from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from consortia import plain_forms
from consortia.admin import AdministeredByRole, ReadOnlyRecord

from . import services, template_files
from .audit import audit_chain_verify
from .errors import AnswerInvalid, refusals_of
from .models import Answer, AuditChain, Plan, PlanTemplate, TemplatePart, TemplateQuestion
from .pending_imports import pending_forget, pending_keep, pending_of
from .template_views import definition_download
from .workflow import frozen_refusal


class DefinitionUploadForm(plain_forms.Form):
    # An empty file gets the parser's message, the same as on the command line.
    file = forms.FileField(label="Definition file (YAML)", allow_empty_file=True)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PartInline(ReadOnlyInline):
    model = TemplatePart
    fields = ("number", "title", "key")


class QuestionInline(ReadOnlyInline):
    model = TemplateQuestion
    fields = ("number", "title", "key", "kind", "completed_by", "required")


@admin.register(PlanTemplate)
class PlanTemplateAdmin(AdministeredByRole, admin.ModelAdmin):
    """Templates change only through definition files: import one, export one, or copy one."""

    list_display = ("name", "version_label", "issuer", "status", "family")
    list_filter = ("status", "issuer")
    readonly_fields = ("slug", "family", "issuer", "name", "version_label", "version_date")
    fields = (*readonly_fields, "status")
    inlines = [PartInline, QuestionInline]
    actions = ["export_definition", "copy_as_new_draft"]
    change_list_template = "admin/plans/plantemplate/change_list.html"

    def has_add_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="plans_plantemplate_import",
            ),
            path(
                "import/confirm/",
                self.admin_site.admin_view(self.import_confirm_view),
                name="plans_plantemplate_import_confirm",
            ),
            *super().get_urls(),
        ]

    def _page(self, request, template_name: str, **context):
        if not self.has_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Import a plan template",
            "opts": self.model._meta,
            **context,
        }
        return TemplateResponse(request, f"admin/plans/plantemplate/{template_name}", context)

    def import_view(self, request):
        """Upload a file and see what it will create; nothing is stored until it is confirmed."""
        too_large = getattr(request, "upload_too_large", None)
        if too_large is not None:
            # Refused unread by its declared size (pbc/security/uploads.py), in the words of a
            # file a little over the limit.
            return self._page(
                request,
                "import.html",
                form=DefinitionUploadForm(),
                problems=[template_files.too_large(too_large)],
            )
        form = DefinitionUploadForm(request.POST or None, request.FILES or None)
        if request.method != "POST" or not form.is_valid():
            return self._page(request, "import.html", form=form)
        upload = form.cleaned_data["file"]
        try:
            raw = template_files.read_upload(upload)
            previewed = template_files.import_preview(raw=raw)
        except template_files.DefinitionError as error:
            return self._page(request, "import.html", form=form, problems=error.problems)
        pending = pending_keep(request.session, name=upload.name, raw=raw)
        return self._page(
            request,
            "import_preview.html",
            title="Check the template before importing it",
            preview=previewed,
            pending=pending,
        )

    def import_confirm_view(self, request):
        if request.method != "POST":
            return redirect("admin:plans_plantemplate_import")
        pending = pending_of(request.session, request.POST.get("token"))
        if pending is None:
            messages.error(
                request,
                "That preview is out of date (already imported, cancelled or replaced by another "
                "upload): upload the file again.",
            )
            return redirect("admin:plans_plantemplate_import")
        pending_forget(request.session)
        if "cancel" in request.POST:
            # The admin capitalises a message's first letter: the file's name comes later, so
            # it is shown as typed.
            messages.info(request, f"Import of {pending['name']} cancelled; nothing was stored.")
            return redirect("admin:plans_plantemplate_changelist")
        try:
            template, previewed = template_files.import_confirm(raw=pending["text"].encode())
        except template_files.DefinitionError as error:
            return self._page(
                request, "import.html", form=DefinitionUploadForm(), problems=error.problems
            )
        messages.success(request, f"From {pending['name']}: {previewed.result}.")
        return redirect("admin:plans_plantemplate_change", template.pk)

    @admin.action(description="Download the definition file")
    def export_definition(self, request, queryset):
        return definition_download(queryset.first())

    @admin.action(description="Copy as a new draft version")
    def copy_as_new_draft(self, request, queryset):
        for template in queryset:
            label = f"{template.version_label} (draft copy)"
            try:
                copy = template_files.new_draft_version(template, version_label=label)
            except template_files.DefinitionError as error:
                for problem in error.problems:
                    messages.error(request, f"{template}: {problem}")
            else:
                messages.success(
                    request, f"Created {copy}; edit its definition file and import it."
                )


class PlanRecordAdmin(AdministeredByRole, SimpleHistoryAdmin):
    """A plan or an answer: read here, and changed only as far as the workflow lets anyone
    change it (docs/decisions/0477); never added or deleted here."""

    change_form_template = "admin/plans/locked_change_form.html"
    object_history_form_template = "admin/plans/locked_history_form.html"

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def locked_because(self, obj) -> list[str]:
        """What of the stored record cannot be changed here, and why, in the admin's words."""
        raise NotImplementedError

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["locked_because"] = self.locked_because(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history saves a revert checking only that its page may be seen: the
        # stored record decides whether it may change, as on the change page.
        stored = self.get_object(request, unquote(object_id))
        if stored is None:
            raise Http404
        if request.method == "POST" and not self.has_change_permission(request, stored):
            # Why the record is locked, where it is: the refusal page's general words say the
            # role does not allow it, and a site administrator's does.
            raise PermissionDenied(" ".join(self.locked_because(stored)))
        extra_context = {**(extra_context or {}), "locked_because": self.locked_because(stored)}
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Plan)
class PlanAdmin(PlanRecordAdmin):
    """The status changes only through the workflow's verbs; the title and period are part of
    the signed content, so they are fixed once that content is frozen."""

    list_display = ("title", "consortium", "period", "status")
    list_filter = ("status", "consortium__commissioner")
    readonly_fields = ("status", "consortium", "template", "created_at", "created_by")
    signed_fields = ("title", "period")

    def get_readonly_fields(self, request, obj=None):
        # The stored plan's state, not a revision's: a revert page shows the plan as it was.
        if obj is not None and frozen_refusal(Plan.objects.only("status").get(pk=obj.pk)):
            return (*self.signed_fields, *self.readonly_fields)
        return self.readonly_fields

    def locked_because(self, obj) -> list[str]:
        reasons = [
            "The status changes only through the plan's own pages: submitting, reviewing, "
            "approving, signing and reopening it."
        ]
        if frozen := frozen_refusal(obj):
            reasons.append(f"{frozen} Until then its title and period cannot be changed here.")
        return reasons

    def save_model(self, request, obj, form, change):
        """A revert starts from the plan as it was: what may not change here keeps its stored
        value, read under the lock a change of the plan's state takes."""
        stored = Plan.objects.select_for_update().get(pk=obj.pk)
        for name in self.get_readonly_fields(request, stored):
            attname = Plan._meta.get_field(name).attname
            setattr(obj, attname, getattr(stored, attname))
        super().save_model(request, obj, form, change)


class AnswerForm(plain_forms.ModelForm):
    """Refuses, beside the fields, what the save would refuse (plans.services.answer_correct)."""

    def clean(self):
        cleaned = super().clean()
        try:
            services.answer_content_clean(
                self.instance,
                text=cleaned.get("text"),
                rows=cleaned.get("rows"),
                data=cleaned.get("data"),
            )
        except AnswerInvalid as invalid:
            refusals = [each.message for each in refusals_of(invalid)]
            raise forms.ValidationError(refusals) from invalid
        return cleaned


@admin.register(Answer)
class AnswerAdmin(PlanRecordAdmin):
    """Answers change through the plan pages (versions, conflicts); here they can be read and,
    while the plan's content is not frozen, corrected or their history put back."""

    form = AnswerForm
    list_display = ("plan", "question", "version", "updated_at", "updated_by")
    content_fields = ("text", "rows", "data")
    readonly_fields = (
        "plan", "question", "version", "autosaved", "carried_forward", "prefilled", "updated_at",
        "updated_by",
    )  # fmt: skip

    def has_change_permission(self, request, obj=None):
        if obj is not None and frozen_refusal(Plan.objects.only("status").get(pk=obj.plan_id)):
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # The change page shows a frozen answer read-only by itself; a revision's page does not.
        if obj is not None and not self.has_change_permission(request, obj):
            return (*self.content_fields, *self.readonly_fields)
        return self.readonly_fields

    def locked_because(self, obj) -> list[str]:
        if frozen := frozen_refusal(obj.plan):
            return [f"{frozen} Until then this answer cannot be changed or put back here."]
        return []

    def save_model(self, request, obj, form, change):
        """A change or restore here is a save like an editor's (plans.services.answer_correct):
        the version rises past the stored one, so a page cached under the answers' versions is
        never shown stale (docs/decisions/0425) and an editor with the page open is told."""
        services.answer_correct(
            answer=obj, user=request.user, text=obj.text, rows=obj.rows, data=obj.data
        )


@admin.register(AuditChain)
class AuditChainAdmin(ReadOnlyRecord, admin.ModelAdmin):
    """Each plan's audit chain, verified as the page is shown: every link recomputed from the
    stored rows, the first one that does not hold named (docs/decisions/0370)."""

    list_display = ("plan", "length", "head_sha256", "verification")
    list_select_related = ("plan",)
    fields = ("plan", "length", "head_sha256", "updated_at", "verification")
    readonly_fields = fields
    list_per_page = 25

    @admin.display(description="Verification")
    def verification(self, chain: AuditChain) -> str:
        check = audit_chain_verify(chain.plan_id)
        return "Intact" if check.intact else f"Broken at {check.broken}"
