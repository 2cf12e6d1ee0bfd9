from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "ops.reports"
    label = "reports"
    verbose_name = _("日報")

    def ready(self):
        from ops.messages.signals import mail_sent
        from ops.reports.building import note_mail_sent

        mail_sent.connect(note_mail_sent, dispatch_uid="reports.note_mail_sent")
