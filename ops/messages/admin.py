from django.contrib import admin

from ops.messages.models import OutboundMail


@admin.register(OutboundMail)
class OutboundMailAdmin(admin.ModelAdmin):
    list_display = ["queued_at", "kind", "centre", "state", "error", "attempts", "sent_at"]
    list_filter = ["kind", "state"]
    readonly_fields = ["kind", "centre", "about", "to", "subject", "body", "attachments", "state", "attempts",
                       "error", "queued_at", "tried_at", "sent_at", "triggered_by", "confirmed_by", "confirmed_at"]
