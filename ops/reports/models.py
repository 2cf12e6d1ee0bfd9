"""日報: one row per centre and date, its figures, rendered files and what was sent to whom."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from ops.centres.models import Centre, Disaster


class ReportRecipient(models.Model):
    """Who receives a centre's daily report, or (centre empty) a disaster's roll-up."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, null=True, blank=True, related_name="recipients")
    disaster = models.ForeignKey(Disaster, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="rollup_recipients")
    name = models.CharField(_("宛名"), max_length=80)
    email = models.EmailField(_("メールアドレス"))
    active = models.BooleanField(_("送信する"), default=True)

    class Meta:
        verbose_name = _("日報の送信先")
        verbose_name_plural = _("日報の送信先")


class DailyReport(models.Model):
    """A centre's report for one date. Unique per centre and date: the builder upserts, never duplicates."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="daily_reports")
    date = models.DateField(_("日付"))
    figures = models.JSONField(default=dict)
    notes = models.TextField(_("特記事項"), blank=True)
    plan_tomorrow = models.TextField(_("明日の予定"), blank=True)
    html = models.FileField(upload_to="reports/", blank=True)
    pdf = models.FileField(upload_to="reports/", blank=True)
    xlsx = models.FileField(upload_to="reports/", blank=True)
    chart = models.FileField(upload_to="reports/", blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("日報")
        verbose_name_plural = _("日報")
        constraints = [models.UniqueConstraint(fields=["centre", "date"], name="report_one_per_day")]
        ordering = ["-date"]
