"""送信メール: one row per mail to people, from the request for it to its delivery or its failure."""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ops.centres.models import Centre


def mail_domain() -> str:
    """The domain of Message-IDs: the sender's."""
    sender = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)
    return sender[1].strip(" >") if len(sender) == 2 and sender[1].strip(" >") else "localhost"


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@{mail_domain()}>"


class OutboundMail(models.Model):
    """A mail the system sends: what, to whom, about which record, and how far it got."""

    class Kind(models.TextChoices):
        CRISIS_ALERT = "crisis_alert", _("危機介入の通知")
        VOLUNTEER_LINK = "volunteer_link", _("ボランティアの個人リンク")
        DAILY_REPORT = "daily_report", _("日報")
        ROLLUP_REPORT = "rollup_report", _("集約報告")
        STAFF_INVITATION = "staff_invitation", _("スタッフの招待")
        BOOKING_CANCELLED = "booking_cancelled", _("活動予約の取消")
        BOOKING_CONFIRMED = "booking_confirmed", _("活動予約の確認")
        BOOKING_REMINDER = "booking_reminder", _("活動前日のお知らせ")
        SUSPENSION = "suspension", _("活動中止のお知らせ")
        RECRUITMENT_CALL = "recruitment_call", _("ボランティア募集のお知らせ")
        CASE_CHECKS = "case_checks", _("福祉ケースの確認日のお知らせ")
        ALLOCATION = "allocation", _("参加の可否のお知らせ")
        BUS_NOTICE = "bus_notice", _("ボランティアバスの運行のお知らせ")

    class State(models.TextChoices):
        QUEUED = "queued", _("送信待ち")
        # The message's content is on its way to the server (after DATA): from here it is never sent again
        # on its own, since the server may have accepted it.
        SENDING = "sending", _("送信中")
        SENT = "sent", _("送信済み")
        FAILED = "failed", _("送信できませんでした")
        # The server's answer to the content was lost (a timeout, a dropped connection, a worker that died):
        # it may or may not have been delivered. Shown to staff, who may send it again by hand.
        UNKNOWN = "unknown", _("送達不明")

    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, null=True, blank=True, related_name="mails")
    # The record the mail is about, as "<app>.<model>:<pk>" (ops.messages.services.about_of).
    about = models.CharField(max_length=60, blank=True, db_index=True)
    to = models.JSONField(_("宛先"), default=list)
    subject = models.CharField(_("件名"), max_length=200)
    body = models.TextField(blank=True)
    # [{"name": "nippo-….pdf", "path": "<storage name>", "mime": "application/pdf"}]
    attachments = models.JSONField(_("添付ファイル"), default=list, blank=True)
    # Extra headers ({"List-Unsubscribe": "<https://…>"}); Message-ID is its own column.
    headers = models.JSONField(default=dict, blank=True)
    # The Message-ID, fixed when the row is written: every attempt of this mail carries the same one, so a
    # receiving system can tell a repeat; a mail sent again by hand is a new row with a new one.
    message_id = models.CharField(max_length=200, unique=True, default=new_message_id, editable=False)
    state = models.CharField(_("状態"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Why the last attempt failed, as a code of ops.messages.failures (read as words, never shown as is).
    error = models.CharField(max_length=40, blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    tried_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)
    triggered_by = models.CharField(max_length=60, blank=True)  # "beat", "staff:<username>"
    # An unknown mail staff confirmed as delivered (they asked the recipient): who ("staff:<username>") and when.
    confirmed_by = models.CharField(max_length=60, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("送信メール")
        verbose_name_plural = _("送信メール")
        ordering = ["-queued_at", "-id"]
        indexes = [models.Index(fields=["state", "queued_at"], name="outbox_mail_state")]

    def __str__(self):
        return f"{self.kind} #{self.pk} {self.state}"

    @property
    def error_words(self) -> str:
        from ops.messages.failures import words

        return words(self.error) if self.error else ""

    @property
    def attachment_names(self) -> list[str]:
        return [a.get("name", "") for a in self.attachments]
