"""Sign-off records in the admin: read-only, for the site administrator (docs/decisions/0102).

Signatures and the event log are the plan's record and are never edited here. A PDF's file is
never shown; a failed one can be sent to be made again.
"""

from django.contrib import admin, messages
from django.db.models.functions import Length

from consortia.admin import ReadOnlyRecord
from plans.models import PlanEvent

from . import services
from .errors import Refused
from .models import PlanDocument, SealCertificate, Signature


@admin.register(PlanDocument)
class PlanDocumentAdmin(ReadOnlyRecord, admin.ModelAdmin):
    list_display = (
        "plan",
        "kind",
        "state",
        "attempts",
        "requested_at",
        "finished_at",
        "page_count",
        "size",
    )
    list_filter = ("kind", "state")
    search_fields = ("plan__title", "plan__consortium__name", "content_sha256", "file_sha256")
    list_select_related = ("plan", "plan__consortium")
    date_hierarchy = "requested_at"
    actions = ["retry_rendering"]
    fields = (
        "plan",
        "kind",
        "state",
        "failure_reason",
        "attempts",
        "content_sha256",
        "revision",
        "requested_by",
        "requested_at",
        "started_at",
        "finished_at",
        "file_sha256",
        "page_count",
        "size",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        # The file itself stays in the database: only its size is read.
        return super().get_queryset(request).defer("pdf").annotate(pdf_size=Length("pdf"))

    @admin.display(description="Size (bytes)", ordering="pdf_size")
    def size(self, obj):
        return obj.pdf_size

    @admin.action(description="Retry rendering the selected failed PDFs")
    def retry_rendering(self, request, queryset):
        sent, refused = 0, []
        for document in queryset.select_related("plan__consortium"):
            try:
                services.document_retry(document=document, user=request.user)
            except Refused as refusal:
                refused.append(f"{document}: {refusal.message}")
            else:
                sent += 1
        if sent:
            self.message_user(request, f"{sent} PDF(s) sent to be made again.", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.WARNING)


@admin.register(Signature)
class SignatureAdmin(ReadOnlyRecord, admin.ModelAdmin):
    list_display = (
        "plan",
        "title",
        "typed_name",
        "user",
        "signed_at",
        "second_factor",
        "voided_at",
    )
    list_filter = ("role", "second_factor")
    search_fields = ("plan__title", "typed_name", "user__email", "content_sha256")
    list_select_related = ("plan", "user")
    date_hierarchy = "signed_at"


@admin.register(SealCertificate)
class SealCertificateAdmin(ReadOnlyRecord, admin.ModelAdmin):
    """The seal certificates on record: rotated with ``manage.py rotate_seal_certificate``."""

    list_display = (
        "subject",
        "fingerprint_sha256",
        "not_valid_after",
        "recorded_at",
        "replaced_at",
    )
    exclude = ("pem",)


# The plan's event log is plans' model; it is shown here, read-only, with the records it sits
# beside (it lists under Plans in the admin).
@admin.register(PlanEvent)
class PlanEventAdmin(ReadOnlyRecord, admin.ModelAdmin):
    list_display = ("created_at", "plan", "kind", "actor", "from_status", "to_status")
    list_filter = ("kind",)
    search_fields = ("plan__title", "actor__email", "comment")
    list_select_related = ("plan", "actor")
    date_hierarchy = "created_at"
