"""Admin for the volunteers area (registered explicitly: the project runs SimpleAdminConfig)."""
from django.contrib import admin

from ops.volunteers.models import Attendance, Booking, Group, Volunteer


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ["name", "kana", "age_band", "prefecture", "city", "insurance", "registered_centre", "created_at"]
    list_filter = ["insurance", "age_band", "prefecture"]
    search_fields = ["name", "kana", "phone_normalised", "email"]
    readonly_fields = ["token", "phone_normalised", "kana_key", "created_at"]
    raw_id_fields = ["group"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "leader_name", "member_count", "centre", "created_at"]
    search_fields = ["name", "leader_name"]
    raw_id_fields = ["leader"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "centre", "date", "head_count", "base", "cancelled_at"]
    list_filter = ["centre", "date"]
    raw_id_fields = ["volunteer"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "centre", "date", "checked_in_at", "checked_out_at", "hours", "head_count", "via"]
    list_filter = ["centre", "date", "via"]
    raw_id_fields = ["volunteer", "team"]
