"""Admin for the needs area (registered explicitly: the project runs without admin autodiscovery)."""
from django.contrib import admin

from ops.needs.models import Need, NeedStatusChange, Survey, WorkType


@admin.register(WorkType)
class WorkTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "specialist_only", "order")


class HistoryInline(admin.TabularInline):
    model = NeedStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "at", "by", "actor", "reason")


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    """Read-mostly: status changes go through the transition table, not through the admin."""

    list_display = ("label", "centre", "status", "district", "priority", "welfare", "received_at")
    list_filter = ("centre", "status", "welfare")
    readonly_fields = ("status", "number", "version", "reference_token", "closure")
    inlines = [HistoryInline]


admin.site.register(Survey)
