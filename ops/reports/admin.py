from django.contrib import admin

from ops.reports.models import DailyReport, ReportRecipient, RollupReport


@admin.register(ReportRecipient)
class ReportRecipientAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "centre", "disaster", "active"]
    list_filter = ["active"]


@admin.register(DailyReport)
class DailyReportAdmin(admin.ModelAdmin):
    list_display = ["centre", "date", "built_at", "sent_at"]
    list_filter = ["centre"]
    readonly_fields = ["figures", "built_at", "sent_at", "sent_to", "enqueued_at", "last_error"]


@admin.register(RollupReport)
class RollupReportAdmin(admin.ModelAdmin):
    list_display = ["disaster", "date", "built_at", "sent_at"]
    readonly_fields = ["figures", "built_at", "sent_at", "sent_to", "enqueued_at", "last_error"]

