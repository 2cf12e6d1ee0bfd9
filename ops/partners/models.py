"""三者連携: the organisations that do the work general volunteers must not (roofs, heavy machinery, chainsaws,
under floors), the jobs a centre routes to them, and the information-sharing meetings (情報共有会議) where the
council, the city and the organisations go through them.

A job's status only changes through ops.partners.services; who may see or act on one is ops.permissions'."""
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ops.centres.models import Centre


class Capability(models.TextChoices):
    """What an organisation can do; a work type names the capability it calls for (WorkType.capability)."""

    HEAVY = "heavy", _("重機")
    CHAINSAW = "chainsaw", _("チェーンソー")
    ROOF = "roof", _("屋根・ブルーシート")
    UNDERFLOOR = "underfloor", _("床下")
    DEMOLITION = "demolition", _("家屋解体相談")
    PROFESSIONAL = "professional", _("専門職（建築士・看護師など）")
    TRANSPORT = "transport", _("運搬・車両")


class Organisation(models.Model):
    """An NPO, a technical volunteer group, a company or a city department working with the centre. Its users
    (Membership role 協力団体 at the centre) see only the jobs routed to it."""

    class Kind(models.TextChoices):
        NPO = "npo", _("NPO・NGO")
        TECHNICAL = "technical", _("技術系ボランティア団体")
        COMPANY = "company", _("企業")
        CITY = "city", _("行政（市町村の部署）")
        OTHER = "other", _("その他")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="organisations",
                               verbose_name=_("センター"))
    name = models.CharField(pgettext_lazy("organisation", "団体名"), max_length=100)
    kind = models.CharField(_("種別"), max_length=12, choices=Kind.choices, default=Kind.NPO)
    capabilities = models.JSONField(_("対応できる作業"), default=list, blank=True)
    contact_name = models.CharField(pgettext_lazy("organisation", "担当者"), max_length=80, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    notes = models.TextField(_("備考"), blank=True)
    active = models.BooleanField(pgettext_lazy("organisation", "活動中"), default=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="partner_organisations",
                                   verbose_name=pgettext_lazy("organisation", "ログイン"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("協力団体")
        verbose_name_plural = _("協力団体")
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="organisation_unique_name")]

    def __str__(self):
        return self.name

    def can(self, capability: str) -> bool:
        return capability in (self.capabilities or [])

    def capability_labels(self) -> list[str]:
        return [str(Capability(c).label) for c in self.capabilities or [] if c in Capability.values]


class JobQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=PartnerJob.OPEN)

    def covering(self, work_type_id):
        """Jobs that take the work type off the volunteers' hands: open, or done with the work finished, for it
        or for the whole need."""
        taken = models.Q(status__in=PartnerJob.OPEN) | models.Q(status=PartnerJob.Status.DONE,
                                                                 outcome=PartnerJob.Outcome.DONE)
        return self.filter(taken).filter(models.Q(work_type_id=work_type_id) | models.Q(work_type__isnull=True))


class PartnerJob(models.Model):
    """技術系依頼: a need (or one work type of it) offered to an organisation, and what became of it."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("依頼中")
        ACCEPTED = "accepted", _("受諾")
        SCHEDULED = "scheduled", _("日程決定")
        DONE = "done", _("対応済")
        DECLINED = "declined", _("辞退")
        WITHDRAWN = "withdrawn", _("取下げ")

    class Outcome(models.TextChoices):
        DONE = "done", _("完了")
        PARTLY = "partly", _("一部完了（続きが必要）")
        COULD_NOT = "could_not", _("対応できず")

    OPEN = frozenset({Status.OFFERED, Status.ACCEPTED, Status.SCHEDULED})

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="partner_jobs")
    need = models.ForeignKey("needs.Need", on_delete=models.CASCADE, related_name="partner_jobs",
                             verbose_name=_("ニーズ"))
    work_type = models.ForeignKey("needs.WorkType", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("作業（空欄はニーズ全体）"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="jobs",
                                     verbose_name=_("協力団体"))
    status = models.CharField(_("状況"), max_length=10, choices=Status.choices, default=Status.OFFERED,
                              db_index=True)
    note = models.TextField(_("依頼内容"), blank=True)
    offered_at = models.DateTimeField(_("依頼日時"))
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    responded_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    decline_reason = models.CharField(_("辞退・取下げの理由"), max_length=300, blank=True)
    scheduled_for = models.DateField(_("対応予定日"), null=True, blank=True)
    schedule_note = models.CharField(_("予定の補足"), max_length=200, blank=True)
    done_at = models.DateTimeField(_("対応日時"), null=True, blank=True)
    outcome = models.CharField(_("結果"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("対応内容"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-offered_at", "-id"]
        verbose_name = _("技術系依頼")
        verbose_name_plural = _("技術系依頼")
        indexes = [models.Index(fields=["centre", "status"])]

    def __str__(self):
        return f"{self.need.label} → {self.organisation.name}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def work_label(self) -> str:
        return str(self.work_type) if self.work_type_id else str(_("ニーズ全体"))


class PartnerJobChange(models.Model):
    """One line of a job's history: what the 情報共有会議 reads as "changed since the last meeting"."""

    job = models.ForeignKey(PartnerJob, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, choices=PartnerJob.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=PartnerJob.Status.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(_("補足"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]


def job_photo_path(instance, filename):
    """Unguessable names without the uploader's file name (it can hold a resident's name)."""
    return f"partners/{instance.job.centre_id}/{secrets.token_hex(16)}.jpg"


class JobPhoto(models.Model):
    """A photo of the work an organisation did: seen by the centre's staff who see site photos and by the
    organisation itself, served through a permission-checked view."""

    job = models.ForeignKey(PartnerJob, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=job_photo_path)
    caption = models.CharField(_("説明"), max_length=200, blank=True)
    taken_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")


class Meeting(models.Model):
    """情報共有会議: held at a time; the next sheet shows what changed since the last one."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="partner_meetings")
    held_at = models.DateTimeField(_("開催日時"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    notes = models.TextField(_("議事メモ"), blank=True)

    class Meta:
        ordering = ["-held_at", "-id"]
        get_latest_by = "held_at"
