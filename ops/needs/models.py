"""ニーズ: a household's request for help, its site survey, welfare flags, photos and status history."""
import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from ops import normalise
from ops.centres.models import Base, Centre

# The seeded work type names (migration 0002), so the catalogue translates what WorkType.__str__ shows.
WORK_TYPE_NAMES = [gettext_noop("泥出し"), gettext_noop("がれき撤去"), gettext_noop("家財の運び出し"),
                   gettext_noop("清掃・洗浄"), gettext_noop("土のう作り・積み"), gettext_noop("屋根のブルーシート張り"),
                   gettext_noop("その他"), gettext_noop("倒木・流木の切断（チェーンソー）"), gettext_noop("重機による撤去")]


class WorkType(models.Model):
    """作業内容 (mud removal, debris, furniture carry-out ...). Seeded by migration; codes are stable."""

    code = models.SlugField(unique=True)
    name = models.CharField(_("作業内容"), max_length=40)
    specialist_only = models.BooleanField(_("専門ボランティアのみ"), default=False)
    # Specialist-only work: the volunteer skill (Volunteer.Skill) a team sent to it must have among its members
    # (ops.dispatch.services.dispatching.skill_refusal), and what an organisation must be able to do to be
    # offered it (ops.partners.models.Capability).
    required_skill = models.CharField(_("必要な技能"), max_length=20, blank=True)
    capability = models.CharField(_("協力団体の対応分野"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("作業内容")
        verbose_name_plural = _("作業内容")

    def __str__(self):
        return str(_(self.name))

    def skill_label(self) -> str:
        from ops.volunteers.models import Volunteer

        return str(dict(Volunteer.Skill.choices).get(self.required_skill, self.required_skill))


@dataclass(frozen=True)
class SiteWarning:
    """One warning about a site: intake's or the survey's hazards (no day, no team), or a team's near miss."""

    text: str
    day: date | None = None
    team: str = ""


class NeedStatus(models.TextChoices):
    NEW = "new", _("新規受付")
    SURVEYED = "surveyed", _("調査済")
    READY = "ready", _("マッチング待ち")
    ASSIGNED = "assigned", _("班決定")
    IN_PROGRESS = "in_progress", _("活動中")
    CONTINUING = "continuing", _("継続")
    COMPLETED = "completed", _("完了")
    CANCELLED = "cancelled", _("取下げ")
    ON_HOLD = "on_hold", _("保留")


class Household(models.TextChoices):
    """世帯の状況: what the welfare staff look at (stored as a list of codes in Need.household)."""

    ELDERLY_ALONE = "elderly_alone", _("高齢者のみの世帯・独居")
    DISABILITY = "disability", _("障がいのある方がいる")
    CARE = "care", _("要介護の方がいる")
    INFANT = "infant", _("乳幼児・妊婦がいる")
    ILLNESS = "illness", _("持病・通院が必要な方がいる")
    LANGUAGE = "language", _("日本語での会話が難しい")
    NO_HELP = "no_help", _("頼れる親族・近所がいない")


class Closure(models.TextChoices):
    """Why a need left the list without (or before) the centre finishing it."""

    NO_LONGER_NEEDED = "no_longer_needed", _("依頼者の取下げ")
    HELPED_ELSEWHERE = "helped_elsewhere", _("他の支援で解決")
    REFERRED = "referred", _("ボランティア対応不可（他機関へ紹介）")
    DUPLICATE = "duplicate", _("重複")


class Need(models.Model):
    """ニーズ受付票. The status only changes through ops.needs.transitions.change_status."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("電話")
        COUNTER = "counter", _("窓口")
        HOME_VISIT = "home_visit", _("訪問")
        WEB = "web", _("Webフォーム")
        REFERRAL = "referral", _("紹介")

    class RequesterType(models.TextChoices):
        RESIDENT = "resident", _("本人")
        RELATIVE = "relative", _("家族・近隣")
        STAFF = "staff", _("職員・関係者")

    class Priority(models.IntegerChoices):
        HIGH = 1, _("高")
        NORMAL = 2, _("中")
        LOW = 3, _("低")

    class Welfare(models.TextChoices):
        NONE = "none", _("なし")
        WATCH = "watch", _("見守り")
        CRISIS = "crisis", _("危機介入")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="needs", verbose_name=_("センター"))
    number = models.PositiveIntegerField(_("受付番号"))
    base = models.ForeignKey(Base, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("担当拠点"))
    received_at = models.DateTimeField(_("受付日時"), db_index=True)
    channel = models.CharField(_("受付方法"), max_length=12, choices=Channel.choices, default=Channel.PHONE)
    requester_type = models.CharField(
        _("依頼者"), max_length=10, choices=RequesterType.choices, default=RequesterType.RESIDENT
    )

    # Personal data: who sees each field, and what other roles get, is the registry's (ops.privacy); a dispatched
    # leader sees the contact on the slip.
    requester_name = models.CharField(_("氏名"), max_length=80)
    requester_kana = models.CharField(_("フリガナ"), max_length=80, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    phone_normalised = models.CharField(max_length=20, blank=True, db_index=True, editable=False)
    address = models.CharField(_("住所"), max_length=200)

    district = models.CharField(_("地区"), max_length=40, blank=True, db_index=True)
    lat = models.FloatField(_("緯度"), null=True, blank=True)
    lng = models.FloatField(_("経度"), null=True, blank=True)

    work_types = models.ManyToManyField(WorkType, blank=True, verbose_name=_("作業内容"))
    description = models.TextField(_("依頼内容"), blank=True)
    people_needed = models.PositiveSmallIntegerField(_("必要人数（見込み）"), default=5)
    days_needed = models.PositiveSmallIntegerField(_("必要日数（見込み）"), default=1)
    tools_needed = models.CharField(_("必要資機材"), max_length=200, blank=True)
    vehicle_needed = models.BooleanField(_("車両が必要"), default=False)
    hazards = models.TextField(_("危険箇所・注意事項"), blank=True)
    household = models.JSONField(_("世帯の状況"), default=list, blank=True)
    welfare = models.CharField(_("福祉的支援"), max_length=8, choices=Welfare.choices, default=Welfare.NONE)
    consent_share = models.BooleanField(_("情報共有への同意"), default=False)
    # 技術系: work for a partner organisation (ops.partners), set by the survey or intake; the technical desk's
    # list and the 情報共有会議 read it.
    technical = models.BooleanField(_("技術系の対応が必要"), default=False)
    priority = models.PositiveSmallIntegerField(_("優先度"), choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(
        _("状況"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.NEW, db_index=True
    )
    notes = models.TextField(_("備考"), blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates", verbose_name=_("重複元")
    )
    # Private link for the resident to follow their request (no account).
    reference_token = models.CharField(max_length=43, unique=True, default=secrets.token_urlsafe, editable=False)
    # Bumped on every write that matters to dispatch; lets the board refuse a stale action.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)
    closure = models.CharField(_("終了の理由"), max_length=20, choices=Closure.choices, blank=True)
    # Normalised keys for the duplicate check (ops.normalise); set by the services on every save.
    name_key = models.CharField(max_length=80, blank=True, db_index=True, editable=False)
    kana_key = models.CharField(max_length=80, blank=True, db_index=True, editable=False)
    address_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("ニーズ")
        verbose_name_plural = _("ニーズ")
        constraints = [models.UniqueConstraint(fields=["centre", "number"], name="need_unique_number")]
        indexes = [
            models.Index(fields=["centre", "status"]),
            models.Index(fields=["centre", "lat", "lng"]),
        ]
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        # The duplicate check and the search read these keys; every path that saves a need keeps them right.
        self.phone_normalised = normalise.phone_key(self.phone)
        self.name_key = normalise.name_key(self.requester_name)
        self.kana_key = normalise.kana_key(self.requester_kana)
        self.address_key = normalise.address_key(self.address)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"phone", "requester_name", "requester_kana", "address"} & set(update_fields):
            kwargs["update_fields"] = set(update_fields) | {"phone_normalised", "name_key", "kana_key", "address_key"}
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"N-{self.number:04d}"

    def site_warnings(self) -> list[SiteWarning]:
        """危険箇所・注意事項 of this site: the hazards intake and the survey wrote, then every near miss
        (ヒヤリハット) a team reported here, oldest first, so the next team is told what the last one met."""
        warnings = [SiteWarning(self.hazards.strip())] if self.hazards.strip() else []
        reported = (self.dispatches.filter(report__isnull=False).exclude(report__near_miss="")
                    .select_related("team", "report").order_by("date", "report__filed_at", "pk"))
        warnings += [SiteWarning(d.report.near_miss, day=d.date, team=d.team.label) for d in reported]
        return warnings

    def specialist_work(self) -> list[WorkType]:
        """The need's specialist-only work types still for a team: those no partner organisation has taken
        (an open job, or one done with the work finished, for the work type or the whole need)."""
        jobs = self.partner_jobs.all()
        return [wt for wt in self.work_types.all() if wt.specialist_only and not jobs.covering(wt.pk).exists()]

    def partners_only(self) -> bool:
        """The latest survey found the work technical and none of it for volunteers: the partner organisations'
        work is the whole need (ops.partners completes it when theirs is done)."""
        survey = self.surveys.first()
        return survey is not None and survey.technical and not survey.volunteer_ok

    def household_display(self) -> list[str]:
        return [Household(code).label for code in self.household or [] if code in Household.values]


class NeedStatusChange(models.Model):
    """One line of a need's history: who moved it from which status to which, when and why."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=12, choices=NeedStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=NeedStatus.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor = models.CharField(max_length=60, blank=True)  # when there is no user: resident, leader, import
    reason = models.CharField(_("理由"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("状況の履歴")
        verbose_name_plural = _("状況の履歴")


class Survey(models.Model):
    """現地調査: what the site needs and whether volunteers may do it at all."""

    class Damage(models.TextChoices):
        ABOVE_FLOOR = "above_floor", _("床上浸水")
        BELOW_FLOOR = "below_floor", _("床下浸水")
        PARTIAL = "partial", _("一部破損")
        SEDIMENT = "sediment", _("土砂流入")
        HALF = "half", _("半壊")
        TOTAL = "total", _("全壊")
        OTHER = "other", _("その他")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="surveys")
    surveyor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    surveyed_at = models.DateTimeField(_("調査日時"))
    damage_type = models.CharField(_("被害の種類"), max_length=12, choices=Damage.choices)
    work_class = models.CharField(_("作業区分"), max_length=80, blank=True)
    people_needed = models.PositiveSmallIntegerField(_("必要人数"))
    days_needed = models.PositiveSmallIntegerField(_("必要日数"))
    estimate_reason = models.CharField(_("人数・日数の根拠"), max_length=300, blank=True)
    tools = models.CharField(_("必要資機材"), max_length=200, blank=True)
    volunteer_ok = models.BooleanField(_("ボランティアで対応可"), default=True)
    technical = models.BooleanField(_("技術系（協力団体へ依頼）"), default=False)
    refusal_reason = models.CharField(_("対応不可の理由"), max_length=300, blank=True)
    referred_to = models.CharField(_("紹介先"), max_length=200, blank=True)

    class Meta:
        ordering = ["-surveyed_at"]
        verbose_name = _("現地調査")
        verbose_name_plural = _("現地調査")


def photo_path(instance, filename):
    """Unguessable names without the uploader's file name (it can hold a resident's name)."""
    return f"needs/{instance.need.centre_id}/{secrets.token_hex(16)}.jpg"


class NeedPhoto(models.Model):
    """A site photo: taken with consent, staff-only, served through a permission-checked view."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="photos")
    survey = models.ForeignKey(Survey, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos")
    image = models.ImageField(upload_to=photo_path)
    caption = models.CharField(_("説明"), max_length=200, blank=True)
    consent = models.BooleanField(_("撮影・保存への同意"), default=False)
    taken_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)

    class Meta:
        verbose_name = _("写真")
        verbose_name_plural = _("写真")


class PublicFormHit(models.Model):
    """One submission of the public request form, by a keyed hash of the sender's IP (never the IP).

    Counting rows in the database keeps the limit right across web processes and restarts."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    ip_hash = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["ip_hash", "at"])]
