from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from consortia import plain_forms
from consortia.admin import AdministeredByRole, ReadOnlyRecord

from . import template_files
from .audit import audit_chain_verify
from .models import Answer, AuditChain, Plan, PlanTemplate, TemplatePart, TemplateQuestion
from .pending_imports import pending_forget, pending_keep, pending_of
from .template_views import definition_download


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


@admin.register(Plan)
class PlanAdmin(AdministeredByRole, SimpleHistoryAdmin):
    list_display = ("title", "consortium", "period", "status")
    list_filter = ("status", "consortium__commissioner")
    readonly_fields = ("consortium", "template", "created_at", "created_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Answer)
class AnswerAdmin(PlanAdmin):
    """Answers change through the plan pages (versions, conflicts); here they can be read and
    their history restored."""

    list_display = ("plan", "question", "version", "updated_at", "updated_by")
    list_filter = ()
    readonly_fields = ("plan", "question", "version", "updated_at", "updated_by")

    def save_model(self, request, obj, form, change):
        """A change or restore here is a save like any other: the version rises past the stored
        one, so a page cached under the answers' versions is never shown stale (docs/decisions/
        0425) and an editor with the page open is told of the change."""
        stored = Answer.objects.filter(pk=obj.pk).values_list("version", flat=True).first()
        obj.version = (stored or 0) + 1
        obj.updated_at = timezone.now()
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


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
