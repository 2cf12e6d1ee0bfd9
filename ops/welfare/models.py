"""災害ソーシャルワーク: a household's welfare case, from the first flag to the handover.

A case belongs to a household (one household can have several needs, and several cases over time); it has
categories the council can extend, an assignee among the welfare staff, a priority, a log of contacts with
the next check date, referrals to the council's directory of bodies, and the person's consent to share
their information with each. Who sees any of it is the registry's (ops.privacy: CASEWORK, welfare staff
and administrators only); the need keeps only "has a case", for the roles that see households.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from ops import normalise
from ops.centres.models import Centre

# The categories every new centre starts with (stored in Japanese, the msgid) (codes are the council's; it can add its own on the
# directory page). The seeded names are translated; a council's own are shown as typed.
SEED_CATEGORIES = [
    ("8050", gettext_noop("8050（高齢の親と中年の子のみ）")),
    ("hikikomori", gettext_noop("ひきこもり")),
    ("elderly_alone", gettext_noop("独居高齢")),
    ("disability", gettext_noop("障害")),
    ("dementia", gettext_noop("認知症の疑い")),
    ("poverty", gettext_noop("生活困窮")),
    ("housing_loss", gettext_noop("住まいの喪失")),
    ("health", gettext_noop("心身の不調")),
    ("abuse", gettext_noop("虐待の疑い")),
]


class Category(models.Model):
    """課題の区分: a code and its words, per centre (seeded from SEED_CATEGORIES; the council adds more)."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="case_categories")
    code = models.SlugField(_("コード"), max_length=30, allow_unicode=True)
    name = models.CharField(_("名称"), max_length=60)
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        verbose_name = _("課題の区分")
        verbose_name_plural = _("課題の区分")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["centre", "code"], name="case_category_unique_code")]

    def __str__(self):
        return str(self.label)

    @property
    def label(self) -> str:
        # A seeded name is a msgid (SEED_CATEGORIES): shown in the page's language; a council's own as typed.
        return gettext(self.name)


class Agency(models.Model):
    """紹介先: one body of the council's directory (地域包括支援センター, 民生委員, 保健センター …).

    `internal` bodies are the council's own (総合相談, 生活支援相談員): a referral there shares nothing outside
    the council and needs no consent. `takes_handover` marks who receives the open cases when the centre
    closes (生活支援相談員 / 地域支え合いセンター)."""

    class Kind(models.TextChoices):
        COMPREHENSIVE = "houkatsu", _("地域包括支援センター")
        MINSEI = "minsei", _("民生委員・児童委員")
        HEALTH = "health", _("保健センター")
        SELF_RELIANCE = "jiritsu", _("自立相談支援機関")
        SUPPORT_CENTRE = "sasaeai", _("地域支え合いセンター")
        DISABILITY = "disability", _("障害者相談支援事業所")
        MEDICAL = "medical", _("医療機関")
        COUNCIL = "council", _("社会福祉協議会（総合相談・生活支援相談員）")
        CITY = "city", _("市町村の担当課")
        OTHER = "other", _("その他")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="agencies")
    kind = models.CharField(_("種別"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=120)
    area = models.CharField(_("担当地域"), max_length=120, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    contact_person = models.CharField(_("先方の担当者"), max_length=60, blank=True)
    internal = models.BooleanField(_("社協の内部（同意なしで紹介できる）"), default=False)
    takes_handover = models.BooleanField(_("閉所時の引き継ぎ先"), default=False)
    active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        verbose_name = _("紹介先")
        verbose_name_plural = _("紹介先")
        ordering = ["kind", "name", "pk"]

    def __str__(self):
        return self.name


class Household(models.Model):
    """世帯: who the case is about. A copy of the need's contact, so a case handed over at closing outlives
    the needs' erasure; matched to a new need by phone, or by name and address (ops.normalise keys)."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="households")
    name = models.CharField(_("氏名"), max_length=80)
    kana = models.CharField(_("フリガナ"), max_length=80, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    district = models.CharField(_("地区"), max_length=40, blank=True)
    phone_key = models.CharField(max_length=20, blank=True, db_index=True, editable=False)
    name_key = models.CharField(max_length=80, blank=True, editable=False)
    address_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    needs = models.ManyToManyField("needs.Need", blank=True, related_name="welfare_households",
                                   verbose_name=_("ニーズ"))
    created_at = models.DateTimeField(auto_now_add=True)
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("世帯")
        verbose_name_plural = _("世帯")

    def __str__(self):
        return f"H-{self.pk}"

    def save(self, *args, **kwargs):
        if self.personal_data_erased_at is None:  # erased: the keys stay as retention left them (empty)
            self.phone_key = normalise.phone_key(self.phone)
            self.name_key = normalise.name_key(self.name)
            self.address_key = normalise.address_key(self.address)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"phone", "name", "address"} & set(update_fields):
            kwargs["update_fields"] = set(update_fields) | {"phone_key", "name_key", "address_key"}
        super().save(*args, **kwargs)


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Case.Status.OPEN)

    def due(self, day):
        """Open cases whose next check is on or before `day` (the centre's date)."""
        return self.open().filter(next_check_on__lte=day)

    def overdue(self, day):
        """Open cases whose next check was before `day`."""
        return self.open().filter(next_check_on__lt=day)

    def of_need(self, need):
        return self.filter(household__needs=need)

    def kept_past_retention(self):
        """Cases that outlive the centre's erasure: not closed, with the person's consent to the handover in
        force (erase_personal_data keeps them and their household; the close page counts them)."""
        consented = Consent.objects.filter(purpose=Consent.Purpose.HANDOVER, withdrawn_at__isnull=True)
        return self.exclude(status=Case.Status.CLOSED).filter(pk__in=consented.values("case_id"))

    def current_of(self, need):
        """The need's household's open case, else its latest one, else None."""
        return self.of_need(need).open().first() or self.of_need(need).order_by("-opened_at", "-pk").first()


class Case(models.Model):
    """福祉ケース: one household's follow-up. Written only by ops.welfare.services."""

    class Status(models.TextChoices):
        OPEN = "open", _("対応中")
        CLOSED = "closed", _("終了")
        HANDED_OVER = "handed_over", _("引き継ぎ済")

    class Level(models.TextChoices):
        WATCH = "watch", _("見守り")
        CRISIS = "crisis", _("危機介入")

    class Priority(models.IntegerChoices):
        URGENT = 1, _("緊急")
        HIGH = 2, _("高")
        NORMAL = 3, _("中")
        LOW = 4, _("低")

    class Source(models.TextChoices):
        INTAKE = "intake", _("受付での区分")
        SURVEY = "survey", _("現地調査")
        STAFF = "staff", _("職員の判断")
        TEAM = "team", _("活動報告の「気になったこと」")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="cases")
    number = models.PositiveIntegerField(_("ケース番号"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="cases", verbose_name=_("世帯"))
    need = models.ForeignKey("needs.Need", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("きっかけのニーズ"))
    report = models.ForeignKey("dispatch.ReturnReport", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    source = models.CharField(_("きっかけ"), max_length=8, choices=Source.choices)
    level = models.CharField(_("区分"), max_length=8, choices=Level.choices, default=Level.WATCH)
    categories = models.ManyToManyField(Category, blank=True, related_name="cases", verbose_name=_("課題"))
    concerns = models.JSONField(_("活動チームが気になったこと"), default=list, blank=True)
    summary = models.TextField(_("ケースの概要"), blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="assigned_cases", verbose_name=_("担当者"))
    priority = models.PositiveSmallIntegerField(_("優先度"), choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("状況"), max_length=12, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    next_check_on = models.DateField(_("次回確認日"), null=True, blank=True, db_index=True)
    opened_at = models.DateTimeField(_("開始日時"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    closed_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    close_note = models.TextField(_("終了の理由"), blank=True)
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("福祉ケース")
        verbose_name_plural = _("福祉ケース")
        ordering = ["priority", "next_check_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="case_unique_number"),
            # One open case per household: a new concern about it is a contact on that case.
            models.UniqueConstraint(fields=["household"], condition=Q(status="open"), name="case_one_open"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"W-{self.number:04d}"

    def is_overdue(self, day) -> bool:
        return self.status == self.Status.OPEN and self.next_check_on is not None and self.next_check_on < day

    def handover_consent(self):
        """The consent in force to hand this case over at closing, or None (read from the prefetched consents
        when the caller has them: the handover print and export list many cases)."""
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("consents")
        if prefetched is not None:
            return next((c for c in prefetched if c.purpose == Consent.Purpose.HANDOVER and c.withdrawn_at is None),
                        None)
        return self.consents.filter(purpose=Consent.Purpose.HANDOVER, withdrawn_at__isnull=True).first()


class Contact(models.Model):
    """支援記録: one visit, call or meeting: with whom, what was found, what was agreed, the next check."""

    class Method(models.TextChoices):
        VISIT = "visit", _("訪問")
        PHONE = "phone", _("電話")
        COUNTER = "counter", _("来所")
        MEETING = "meeting", _("関係機関との調整")
        TEAM = "team", _("活動チームの報告")
        OTHER = "other", _("その他")

    class With(models.TextChoices):
        PERSON = "person", _("本人")
        FAMILY = "family", _("家族")
        MINSEI = "minsei", _("民生委員")
        NURSE = "nurse", _("保健師")
        CARE_MANAGER = "care_manager", _("ケアマネジャー")
        NEIGHBOUR = "neighbour", _("近隣住民")
        AGENCY = "agency", _("関係機関")
        TEAM = "team", _("ボランティア")
        OTHER = "other", _("その他")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    at = models.DateTimeField(_("日時"))
    method = models.CharField(_("方法"), max_length=8, choices=Method.choices)
    with_whom = models.JSONField(_("相手"), default=list)
    found = models.TextField(_("把握したこと"), blank=True)
    agreed = models.TextField(_("合意・今後の対応"), blank=True)
    next_check_on = models.DateField(_("次回確認日"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("支援記録")
        verbose_name_plural = _("支援記録")
        ordering = ["-at", "-pk"]

    def with_whom_display(self) -> list[str]:
        return [str(self.With(code).label) for code in self.with_whom or [] if code in self.With.values]


class Consent(models.Model):
    """情報提供の同意: the person agreed that the council shares their information with one body (SHARE) or
    hands the case over when the centre closes (HANDOVER). Withdrawn, it stops both from then on."""

    class Purpose(models.TextChoices):
        SHARE = "share", _("紹介先への情報提供")
        HANDOVER = "handover", _("閉所時の引き継ぎ")

    class How(models.TextChoices):
        WRITTEN = "written", _("書面")
        VERBAL = "verbal", _("口頭")
        PHONE = "phone", _("電話で口頭")

    class GivenBy(models.TextChoices):
        PERSON = "person", _("本人")
        FAMILY = "family", _("家族")
        GUARDIAN = "guardian", _("成年後見人等の代理人")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("目的"), max_length=8, choices=Purpose.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="consents",
                               verbose_name=_("提供先"))
    how = models.CharField(_("同意の方法"), max_length=8, choices=How.choices)
    given_by = models.CharField(_("同意した人"), max_length=10, choices=GivenBy.choices, default=GivenBy.PERSON)
    given_on = models.DateField(_("同意日"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+", verbose_name=_("確認した職員"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤回日時"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    class Meta:
        verbose_name = _("情報提供の同意")
        verbose_name_plural = _("情報提供の同意")
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(purpose="handover") | Q(agency__isnull=False),
                                   name="consent_share_names_agency"),
        ]

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class Referral(models.Model):
    """紹介: the case referred to one body of the directory: when, why, on which consent, and the outcome.
    Without consent only a 危機介入 case may be referred outside, and `urgent_reason` says why."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("回答待ち")
        ACCEPTED = "accepted", _("受理・支援開始")
        DECLINED = "declined", _("対象外・断り")
        DONE = "done", _("支援終了")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("紹介先"))
    referred_on = models.DateField(_("紹介日"))
    reason = models.TextField(_("紹介の内容"), blank=True)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    urgent_reason = models.TextField(_("同意なしで紹介した理由（差し迫った危険）"), blank=True)
    outcome = models.CharField(_("結果"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_note = models.TextField(_("結果の内容"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("紹介")
        verbose_name_plural = _("紹介")
        ordering = ["-referred_on", "-pk"]


class DueNotice(models.Model):
    """The due-sweep's claim: one mail per assignee, centre and day. The unique row is what makes two workers
    or a repeated tick send it once."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    cases = models.PositiveIntegerField(default=0)
    mail = models.ForeignKey("outbox.OutboundMail", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "user", "day"], name="due_notice_once_a_day")]
