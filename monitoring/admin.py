"""Returns in the admin, to read: they change only through the monitoring services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from consortia.admin import ReadOnlyRecord
from plans.admin import ReadOnlyInline

from .models import MonitoringReturn, ReturnLine


class LineInline(ReadOnlyInline):
    model = ReturnLine
    fields = ("reference", "kind", "status", "actual_to_date", "forecast_for_year", "done_on")
    readonly_fields = fields


@admin.register(MonitoringReturn)
class MonitoringReturnAdmin(ReadOnlyRecord, SimpleHistoryAdmin):
    list_display = ("plan", "label", "status", "due_on")
    list_filter = ("status",)
    list_select_related = ("plan",)
    inlines = (LineInline,)
