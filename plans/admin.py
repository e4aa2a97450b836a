from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from consortia.admin import AdministeredByRole

from . import template_files
from .models import Answer, Plan, PlanTemplate, TemplatePart, TemplateQuestion


class DefinitionUploadForm(forms.Form):
    file = forms.FileField(label="Definition file (YAML)")


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
            *super().get_urls(),
        ]

    def import_view(self, request):
        form = DefinitionUploadForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                data = template_files.parse(upload.read().decode("utf-8"), name=upload.name)
                template = template_files.store(data, slug=upload.name.rsplit(".", 1)[0])
            except UnicodeDecodeError:
                problems = ["The file is not UTF-8 text."]
            except template_files.DefinitionError as error:
                problems = [str(problem) for problem in error.problems]
            else:
                messages.success(request, f"Imported {template}.")
                return redirect("admin:plans_plantemplate_change", template.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import a plan template",
            "form": form,
            "problems": problems,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/plans/plantemplate/import.html", context)

    @admin.action(description="Download the definition file")
    def export_definition(self, request, queryset):
        template = queryset.first()
        response = HttpResponse(template_files.dump(template), content_type="application/yaml")
        response["Content-Disposition"] = f'attachment; filename="{template.slug}.yaml"'
        return response

    @admin.action(description="Copy as a new draft version")
    def copy_as_new_draft(self, request, queryset):
        for template in queryset:
            label = f"{template.version_label} (draft copy)"
            copy = template_files.new_draft_version(template, version_label=label)
            messages.success(request, f"Created {copy}; edit its definition file and import it.")


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
