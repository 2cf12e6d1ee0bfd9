"""The disaster, the council that opens centres, and the centre (災害ボランティアセンター) with its clock."""
import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone as django_timezone
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


class DisasterQuerySet(models.QuerySet):
    def real(self):
        """Disasters that happened: never a drill's (訓練) practice disaster."""
        return self.filter(drill=False)

    def drills(self):
        return self.filter(drill=True)


class Disaster(models.Model):
    """A disaster (災害) that may open several centres; the prefectural council's roll-up is per disaster.

    A drill (訓練, ops.drills) is a practice disaster: `drill` is set when it is made and never changed, and every
    centre of it is a drill centre (`Centre.is_drill`). This flag is the one home of "is this practice": a real
    disaster's roll-ups read only its own centres, and whatever reads across disasters asks `.real()`."""

    name = models.CharField(_("災害名"), max_length=120)
    prefecture = models.CharField(_("都道府県"), max_length=10)
    started_on = models.DateField(_("発生日"))
    drill = models.BooleanField(_("訓練"), default=False, editable=False)

    objects = DisasterQuerySet.as_manager()

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
        """The `links` field as [{label, url}], a line without a label labelled by its URL. Only http(s) links:
        the settings page refuses others, the Django admin's plain text field would not."""
        items = []
        for line in self.links.splitlines():
            label, _sep, url = line.rpartition("|")
            url = url.strip()
            if url.lower().startswith(("https://", "http://")):  # never a javascript: link, whoever typed it
                items.append({"label": label.strip() or url, "url": url})
        return items


class CentreQuerySet(models.QuerySet):
    def real(self):
        """Centres of real disasters: every roll-up, public list, export across centres and retention count that
        reads more than one centre reads these. A drill's centre (訓練) is never among them."""
        return self.filter(disaster__drill=False)

    def drills(self):
        return self.filter(disaster__drill=True)


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

    objects = CentreQuerySet.as_manager()

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

    @property
    def is_drill(self) -> bool:
        """Whether this is a drill's practice centre (訓練): its disaster's flag, the one home of it."""
        return self.disaster.drill

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

    @staticmethod
    def today_in(timezone_name: str) -> date:
        """`today()` of a centre known only by its zone's name (the public feed's poll reads no more of it)."""
        return django_timezone.now().astimezone(ZoneInfo(timezone_name or DEFAULT_TIMEZONE)).date()

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
