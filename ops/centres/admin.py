from django.contrib import admin
from django.utils import timezone

from ops.centres.models import AuditEntry, Base, Centre, Council, Disaster, Membership


@admin.register(Disaster)
class DisasterAdmin(admin.ModelAdmin):
    list_display = ["name", "prefecture", "started_on"]


class BaseInline(admin.TabularInline):
    model = Base
    extra = 0


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "status", "recruitment_status"]
    inlines = [BaseInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "centre", "role"]
    list_filter = ["centre", "role"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "centre", "user", "actor", "action", "object_type", "object_id"]
    list_filter = ["centre", "action", "object_type"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "prefecture", "municipality", "slug", "changed_at"]
    readonly_fields = ["changed_at"]

    def save_model(self, request, obj, form, change):
        obj.changed_at = timezone.now()  # the council's public JSON is keyed by it (ops.centres.council_feed)
        super().save_model(request, obj, form, change)
