"""Returns in the admin, to read: they change only through the monitoring services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from signoff.admin import ReadOnlyForAdministrators

from .models import MonitoringReturn, ReturnLine


class LineInline(admin.TabularInline):
    model = ReturnLine
    extra = 0
    can_delete = False
    fields = ("reference", "kind", "status", "actual_to_date", "forecast_for_year", "done_on")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MonitoringReturn)
class MonitoringReturnAdmin(ReadOnlyForAdministrators, SimpleHistoryAdmin):
    list_display = ("plan", "label", "status", "due_on")
    list_filter = ("status",)
    list_select_related = ("plan",)
    inlines = (LineInline,)
