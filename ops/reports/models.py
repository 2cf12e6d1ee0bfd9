"""日報: one row per centre and date, its figures, rendered files and what was sent to whom; the roll-up of
all centres of a disaster for the prefectural council (県社協). The mails themselves are rows of the outbox
(ops.messages), about the report they carried."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ops.centres.models import Centre, Disaster
from ops.messages import failures

# Why a build failed, beyond the mail's own reasons (ops.messages.failures), as words for the report's page.
BUILD_FAILURES = {"render_failed": pgettext_lazy("report failure", "日報のファイルを作成できませんでした")}


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
        ordering = ["name", "id"]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class ReportFiles(models.Model):
    """What a built report holds: figures, rendered files, and when it was queued, built and sent."""

    figures = models.JSONField(default=dict)
    html = models.FileField(upload_to="reports/", blank=True)
    pdf = models.FileField(upload_to="reports/", blank=True)
    xlsx = models.FileField(upload_to="reports/", blank=True)
    chart = models.FileField(upload_to="reports/", blank=True)
    # Set by the beat tick (or "send now") when a build is queued; keeps overlapping ticks from queueing twice.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.JSONField(default=list, blank=True)
    # Why the last build or send failed: a code (BUILD_FAILURES, ops.messages.failures), never shown as is.
    last_error = models.CharField(max_length=300, blank=True)

    FILE_KINDS = ("html", "pdf", "xlsx", "chart")

    class Meta:
        abstract = True

    @property
    def last_error_words(self) -> str:
        if not self.last_error:
            return ""
        if self.last_error in BUILD_FAILURES:
            return str(BUILD_FAILURES[self.last_error])
        return failures.words(self.last_error)


class DailyReport(ReportFiles):
    """A centre's report for one date. Unique per centre and date: the builder upserts, never duplicates."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="daily_reports")
    date = models.DateField(_("日付"))
    notes = models.TextField(_("特記事項"), blank=True)
    plan_tomorrow = models.TextField(_("明日の予定"), blank=True)

    class Meta:
        verbose_name = _("日報")
        verbose_name_plural = _("日報")
        constraints = [models.UniqueConstraint(fields=["centre", "date"], name="report_one_per_day")]
        ordering = ["-date"]

    def __str__(self):
        return f"{self.centre} {self.date}"


class RollupReport(ReportFiles):
    """県社協向けの集約: every centre of one disaster on one date, one row per centre."""

    disaster = models.ForeignKey(Disaster, on_delete=models.CASCADE, related_name="rollup_reports")
    date = models.DateField(_("日付"))

    class Meta:
        verbose_name = _("集約報告")
        verbose_name_plural = _("集約報告")
        constraints = [models.UniqueConstraint(fields=["disaster", "date"], name="rollup_one_per_day")]
        ordering = ["-date"]

    def __str__(self):
        return f"{self.disaster} {self.date}"

