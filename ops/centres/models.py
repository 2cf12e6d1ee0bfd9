"""The centre (災害ボランティアセンター), its bases, who works there in which role, and its event log."""
import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone as django_timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DEFAULT_TIMEZONE = "Asia/Tokyo"


def default_activity_start() -> time:
    return time(8, 30)


def default_activity_end() -> time:
    return time(16, 0)


def default_latest_return_time() -> time:
    return time(15, 30)


def default_report_time() -> time:
    return time(18, 0)


class Disaster(models.Model):
    """A disaster (災害) that may open several centres; the prefectural council's roll-up is per disaster."""

    name = models.CharField(_("災害名"), max_length=120)
    prefecture = models.CharField(_("都道府県"), max_length=10)
    started_on = models.DateField(_("発生日"))

    class Meta:
        verbose_name = _("災害")
        verbose_name_plural = _("災害")

    def __str__(self):
        return self.name


class Council(models.Model):
    """The social welfare council (社会福祉協議会) that opens centres. Its public address (ops.centres.public)
    answers in normal times with `normal_message` and `links`, and lists its centres while any is open."""

    slug = models.SlugField(_("識別子"), unique=True)
    name = models.CharField(_("社会福祉協議会名"), max_length=120)
    prefecture = models.CharField(_("都道府県"), max_length=10)
    municipality = models.CharField(_("市町村"), max_length=60, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    website = models.URLField(_("ウェブサイト"), blank=True)
    # 平常時: what the council's page says while no centre is open.
    normal_message = models.TextField(_("平常時のお知らせ"), blank=True)
    # Links shown in normal times, one per line: "label | https://..." (or a bare URL).
    links = models.TextField(_("リンク"), blank=True)
    changed_at = models.DateTimeField(_("更新日時"), default=django_timezone.now)

    class Meta:
        verbose_name = _("社会福祉協議会")
        verbose_name_plural = _("社会福祉協議会")
        ordering = ["prefecture", "name"]

    def __str__(self):
        return self.name

    def link_list(self) -> list[dict]:
        """The `links` field as [{label, url}], a line without a label labelled by its URL."""
        items = []
        for line in self.links.splitlines():
            label, _sep, url = line.rpartition("|")
            url = url.strip()
            if url:
                items.append({"label": label.strip() or url, "url": url})
        return items


class Centre(models.Model):
    """災害ボランティアセンター: everything else belongs to one centre."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("準備中")
        OPEN = "open", _("開設中")
        CLOSED = "closed", _("終了")

    class Recruitment(models.TextChoices):
        RECRUITING = "recruiting", _("募集中")
        PREREGISTERED_ONLY = "prereg_only", _("事前登録のみ")
        NONE = "none", _("募集なし")

    class Scope(models.TextChoices):
        CITY = "city", _("市内")
        NEIGHBOURS = "neighbours", _("近隣")
        PREFECTURE = "prefecture", _("県内")
        NATIONAL = "national", _("全国")

    disaster = models.ForeignKey(Disaster, on_delete=models.PROTECT, related_name="centres", verbose_name=_("災害"))
    council = models.ForeignKey(Council, on_delete=models.SET_NULL, null=True, blank=True, related_name="centres",
                                verbose_name=_("社会福祉協議会"))
    name = models.CharField(_("センター名"), max_length=120)
    slug = models.SlugField(_("識別子"), unique=True)
    municipality = models.CharField(_("市町村"), max_length=60)
    prefecture = models.CharField(_("都道府県"), max_length=10)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    phone = models.CharField(_("センター電話番号"), max_length=20, blank=True)
    lat = models.FloatField(_("緯度"))
    lng = models.FloatField(_("経度"))
    status = models.CharField(_("開設状況"), max_length=12, choices=Status.choices, default=Status.PREPARING)
    opened_on = models.DateField(_("開設日"), null=True, blank=True)
    closed_on = models.DateField(_("閉所日"), null=True, blank=True)
    timezone = models.CharField(_("タイムゾーン"), max_length=40, default=DEFAULT_TIMEZONE)

    # Callables, not time values: Django's check warns of a "fixed default" (fields.W161) when it runs within
    # ten seconds of a fixed time's hour, so `check --deploy` failed when CI happened to run at 15:30 Tokyo.
    activity_start = models.TimeField(_("受付開始"), default=default_activity_start)
    activity_end = models.TimeField(_("活動終了"), default=default_activity_end)
    latest_return_time = models.TimeField(_("帰着期限"), default=default_latest_return_time)
    report_time = models.TimeField(_("日報送信時刻"), default=default_report_time)

    daily_capacity = models.PositiveIntegerField(_("1日の受入上限"), default=500)
    min_age = models.PositiveSmallIntegerField(_("最低年齢"), default=16)
    guardian_consent_under = models.PositiveSmallIntegerField(_("保護者同意が必要な年齢（未満）"), default=18)
    insurance_required = models.BooleanField(_("ボランティア活動保険の加入必須"), default=True)
    insurance_signup_url = models.URLField(_("保険加入案内URL"), blank=True)

    recruitment_status = models.CharField(
        _("募集状況"), max_length=12, choices=Recruitment.choices, default=Recruitment.RECRUITING
    )
    recruitment_scope = models.CharField(_("募集範囲"), max_length=12, choices=Scope.choices, default=Scope.PREFECTURE)
    # 近隣: the municipalities the centre counts as neighbours, one per line (its own municipality always counts).
    neighbour_cities = models.TextField(_("近隣として受け入れる市町村"), blank=True)
    what_to_bring = models.TextField(_("持ち物"), blank=True)
    notice = models.TextField(_("お知らせ"), blank=True)
    # 危機介入 alerts go to the centre's administrators and welfare staff, and to these addresses (one per line):
    # e.g. the council's 総合相談 desk. The alert names no one (ops.needs.services.welfare).
    crisis_alert_emails = models.TextField(_("危機介入の通知先（追加）"), blank=True)

    # The public information of the day (公開情報; ops.centres.public): shown on the public board, the public
    # JSON and the council's widget. Each group of fields has its own last-changed time in `public_changed`.
    work_today = models.TextField(_("本日の活動内容"), blank=True)
    tomorrow_meeting_time = models.TimeField(_("明日の集合時刻"), null=True, blank=True)
    tomorrow_meeting_place = models.CharField(_("明日の集合場所"), max_length=200, blank=True)
    tomorrow_plan = models.TextField(_("明日の予定"), blank=True)
    status_message = models.CharField(_("状況メッセージ"), max_length=200, blank=True)
    # {group: ISO time} of the last change of each public group (ops.centres.public.GROUPS); written only by
    # ops.centres.public.touch, inside the service's transaction.
    public_changed = models.JSONField(default=dict, blank=True, editable=False)

    # Secret behind the day's check-in QR code; rotating it invalidates every poster.
    checkin_secret = models.CharField(max_length=64, default=secrets.token_hex, editable=False)
    # Last event sequence number handed out (ops.events); incremented under a row lock.
    event_seq = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("センター")
        verbose_name_plural = _("センター")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self._state.adding and not self.public_changed:
            from ops.centres.public import all_changed_now

            self.public_changed = all_changed_now()
        super().save(*args, **kwargs)

    # --- the centre's clock: every "today", "now" and day boundary of the centre is asked here ---------------
    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone or DEFAULT_TIMEZONE)

    def now(self) -> datetime:
        """The current moment on the centre's wall clock (aware, in the centre's zone)."""
        return django_timezone.now().astimezone(self.tz)

    def today(self) -> date:
        """The centre's calendar day: what a check-in counts for, the day's QR code, the report's date."""
        return self.now().date()

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def day_of(self, moment: datetime) -> date:
        """The centre's calendar day that `moment` falls in (23:59 JST Monday is Monday)."""
        return moment.astimezone(self.tz).date()

    def at(self, day: date, clock: time) -> datetime:
        """`day` at `clock` on the centre's wall clock, as an aware datetime."""
        return datetime.combine(day, clock, tzinfo=self.tz)

    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """[start, end) of `day` in the centre's zone."""
        return self.at(day, time.min), self.at(day + timedelta(days=1), time.min)

    def latest_return_at(self, day: date) -> datetime:
        """The moment every team must be back on `day` (帰着期限)."""
        return self.at(day, self.latest_return_time)

    def crisis_alert_extra(self) -> list[str]:
        return [line.strip().lower() for line in self.crisis_alert_emails.splitlines() if line.strip()]

    # --- who may come (募集範囲) ---------------------------------------------------------------------------
    def neighbours(self) -> list[str]:
        """The municipalities counted as 近隣: the centre's own and those listed, one per line."""
        listed = [line.strip() for line in self.neighbour_cities.splitlines() if line.strip()]
        return [self.municipality, *[c for c in listed if c != self.municipality]]

    def within_scope(self, *, prefecture: str, city: str) -> bool:
        """Whether someone living in `city`, `prefecture` is inside the recruitment scope (募集範囲).
        市内: the centre's municipality; 近隣: it or a listed neighbour (same prefecture); 県内: the prefecture."""
        prefecture, city = (prefecture or "").strip(), (city or "").strip()
        if self.recruitment_scope == self.Scope.NATIONAL:
            return True
        if prefecture != self.prefecture:
            return False
        if self.recruitment_scope == self.Scope.PREFECTURE:
            return True
        if self.recruitment_scope == self.Scope.NEIGHBOURS:
            return city in self.neighbours()
        return city == self.municipality

    # --- retention: its clock starts when the centre closes (ops.centres.closing) ---------------------------
    def erasure_due_on(self, days: int | None = None) -> date | None:
        """The centre's day from which the nightly erase_personal_data anonymises its personal data: `days`
        (PERSONAL_DATA_RETENTION_DAYS) after `closed_on`; None while the centre is not closed."""
        if self.status != self.Status.CLOSED or self.closed_on is None:
            return None
        return self.closed_on + timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days)


class BaseQuerySet(models.QuerySet):
    def active(self):
        """Bases offered for new teams, bookings and check-ins; a retired base stays for the records naming it."""
        return self.filter(retired_at__isnull=True)


class Base(models.Model):
    """A dispatch origin: the headquarters (本部) or a satellite (サテライト)."""

    class Kind(models.TextChoices):
        HQ = "hq", _("本部")
        SATELLITE = "satellite", _("サテライト")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="bases", verbose_name=_("センター"))
    name = models.CharField(_("拠点名"), max_length=80)
    kind = models.CharField(_("種別"), max_length=10, choices=Kind.choices, default=Kind.SATELLITE)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    lat = models.FloatField(_("緯度"))
    lng = models.FloatField(_("経度"))
    daily_capacity = models.PositiveIntegerField(_("1日の受入上限"), null=True, blank=True)
    # Retired bases stay (teams, attendances and bookings refer to them) but are offered nowhere new.
    retired_at = models.DateTimeField(_("廃止日時"), null=True, blank=True)

    objects = BaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("拠点")
        verbose_name_plural = _("拠点")
        ordering = ["kind", "id"]

    def __str__(self):
        return self.name


class CapacityDay(models.Model):
    """One date's capacity (日別の受入上限) of the centre (no base) or of one base, instead of the standing
    figure: a weekend with more places, a day with fewer, or a closed day (休止日) with none.
    Read by ops.volunteers.services.capacity, the one home of places left."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="capacity_days",
                               verbose_name=_("センター"))
    base = models.ForeignKey(Base, on_delete=models.CASCADE, null=True, blank=True, related_name="capacity_days",
                             verbose_name=_("拠点"))
    date = models.DateField(_("日付"))
    capacity = models.PositiveIntegerField(_("受入上限"), null=True, blank=True)
    closed = models.BooleanField(_("休止日"), default=False)
    note = models.CharField(_("メモ"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("日別の受入上限")
        verbose_name_plural = _("日別の受入上限")
        ordering = ["date", "base_id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "date"], condition=models.Q(base__isnull=True),
                                    name="capacityday_centre_once"),
            models.UniqueConstraint(fields=["base", "date"], condition=models.Q(base__isnull=False),
                                    name="capacityday_base_once"),
            models.CheckConstraint(condition=models.Q(closed=True) | models.Q(capacity__isnull=False),
                                   name="capacityday_capacity_or_closed"),
        ]

    def __str__(self):
        return f"{self.date} {self.base or self.centre}"


class SuspensionQuerySet(models.QuerySet):
    def active(self):
        """Not lifted: a lifted suspension stays on record and counts nowhere."""
        return self.filter(lifted_at__isnull=True)

    def on(self, centre, day: date) -> "Suspension | None":
        """The day's suspension (活動中止) of the centre, whether in force yet or from a later hour; None."""
        return self.active().filter(centre=centre, date=day).first()

    def in_force(self, centre, moment: datetime) -> "Suspension | None":
        """The suspension that stops activity at `moment` (the whole day, or from its hour on), or None."""
        suspension = self.on(centre, centre.day_of(moment))
        return suspension if suspension is not None and suspension.in_force_at(moment) else None


# The day's suspension as committed, for a service's read under the centre's lock (ops.events.emit's
# `locked_read`): a dispatch that waited on the lock while staff suspended sees the suspension and is refused.
SUSPENSION_LOCKED_SQL = ("SELECT 1, starts_at FROM centres_suspension WHERE centre_id = %(s_centre)s "
                         "AND date = %(s_date)s AND lifted_at IS NULL")


class Suspension(models.Model):
    """活動中止: the centre stops activity for a whole day or from an hour of it (a heat alert, heavy rain, an
    aftershock). While in force nobody checks in and no team leaves; teams out are called back by their slip
    page; a whole day takes no new booking. Lifting it (a mistake, the rain passed) restores the day: bookings
    were never cancelled. Written only by ops.centres.suspension."""

    class Reason(models.TextChoices):
        HEAT_ALERT = "heat_alert", _("熱中症警戒アラート")
        HEAVY_RAIN = "heavy_rain", _("大雨")
        AFTERSHOCK = "aftershock", _("余震")
        OTHER = "other", _("その他")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="suspensions",
                               verbose_name=_("センター"))
    date = models.DateField(_("日付"))
    # None: the whole day. Otherwise activity stops at this hour on the centre's clock.
    starts_at = models.TimeField(_("中止する時刻"), null=True, blank=True)
    reason = models.CharField(_("理由"), max_length=12, choices=Reason.choices)
    # Public: shown on the public board, the slips and in the mails; never names anyone.
    note = models.CharField(_("お知らせ（公開）"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    lifted_at = models.DateTimeField(_("解除日時"), null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        verbose_name = _("活動中止")
        verbose_name_plural = _("活動中止")
        ordering = ["date", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "date"], condition=models.Q(lifted_at__isnull=True),
                                    name="suspension_one_active_a_day"),
        ]

    def __str__(self):
        return f"{self.date} {self.starts_at or ''} {self.reason}"

    @staticmethod
    def locked_read(centre, day: date) -> tuple[str, dict]:
        return SUSPENSION_LOCKED_SQL, {"s_centre": centre.pk, "s_date": day}

    @staticmethod
    def stops_in_row(row, clock: time) -> bool:
        """Whether the row of `locked_read` (None: no suspension that day) stops activity at `clock`."""
        if row is None:
            return False
        starts_at = time.fromisoformat(row[1]) if isinstance(row[1], str) else row[1]  # SQLite: text
        return starts_at is None or clock >= starts_at

    @property
    def whole_day(self) -> bool:
        return self.starts_at is None

    def when_label(self) -> str:
        """'終日' or '13:00から', in the active language (the mails, the check-in refusal, the staff page)."""
        if self.whole_day:
            return gettext("終日")
        return gettext("%(time)sから") % {"time": self.starts_at.strftime("%H:%M")}

    def starts(self) -> datetime:
        """The moment activity stops (the day's start for a whole day), on the centre's clock."""
        return self.centre.at(self.date, self.starts_at or time.min)

    def in_force_at(self, moment: datetime) -> bool:
        return self.lifted_at is None and self.centre.day_of(moment) == self.date and moment >= self.starts()

    def public_state(self) -> dict:
        """What any board, slip or feed may know: no one's name (created_by stays on the staff side)."""
        return {"id": self.pk, "date": self.date.isoformat(),
                "starts_at": self.starts_at.strftime("%H:%M") if self.starts_at else None,
                "reason": self.reason, "note": self.note}


class Role(models.TextChoices):
    ADMIN = "admin", _("管理者")
    COORDINATOR = "coordinator", _("コーディネーター")
    INTAKE = "intake", _("ニーズ受付")
    RECEPTION = "reception", _("ボランティア受付")
    WELFARE = "welfare", _("福祉担当")
    LEADER = "leader", _("リーダー（幹部）")
    VIEWER = "viewer", _("行政（閲覧）")


class Membership(models.Model):
    """A staff user's role at one centre. Permissions are decided in ops.permissions, nowhere else."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("役割"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("スタッフ権限")
        verbose_name_plural = _("スタッフ権限")
        constraints = [models.UniqueConstraint(fields=["user", "centre", "role"], name="membership_unique_role")]

    def __str__(self):
        return f"{self.user} @ {self.centre}: {self.get_role_display()}"


class Event(models.Model):
    """The transactional outbox: one row per domain event, written in the same transaction as the change.

    `seq` orders a centre's events without gaps; boards detect a missed event by a jump in it and catch up
    from this table. `public` is the aggregate-only payload for the public board (None: not public).
    """

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="events")
    seq = models.BigIntegerField()
    kind = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    public = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "seq"], name="event_unique_seq")]
        ordering = ["centre", "seq"]

    def __str__(self):
        return f"{self.centre_id}#{self.seq} {self.kind}"


class AuditEntry(models.Model):
    """Who changed what, for needs, dispatches and personal data. Values are field names, never contents."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="audit_entries", null=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor = models.CharField(max_length=60, blank=True)  # "resident", "leader:T-3", "system" when no user
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    fields = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("監査記録")
        verbose_name_plural = _("監査記録")
