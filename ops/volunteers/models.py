"""ボランティア: registration (once), bookings (事前予約), daily attendance (受付・チェックイン/アウト)."""
import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ops import normalise
from ops.centres.models import Base, Centre


class Group(models.Model):
    """団体: a company, school or club that comes together; its leader registers the head count."""

    name = models.CharField(_("団体名"), max_length=120)
    leader_name = models.CharField(_("代表者氏名"), max_length=80)
    phone = models.CharField(_("代表者電話番号"), max_length=20)
    email = models.EmailField(_("メールアドレス"), blank=True)
    member_count = models.PositiveSmallIntegerField(_("人数"))
    prefecture = models.CharField(_("都道府県"), max_length=10, blank=True)
    city = models.CharField(_("市区町村"), max_length=40, blank=True)
    token = models.CharField(max_length=43, unique=True, default=secrets.token_urlsafe, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The centre the group registered with, and the leader as a volunteer: the leader checks the group in
    # as one attendance with a head count.
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, null=True, blank=True, related_name="groups",
                               verbose_name=_("センター"))
    leader = models.ForeignKey("Volunteer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("代表者"))

    class Meta:
        verbose_name = _("団体")
        verbose_name_plural = _("団体")

    def __str__(self):
        return self.name


class Volunteer(models.Model):
    """A registered volunteer. No password: the personal token is the QR code and the sign-in link."""

    class AgeBand(models.TextChoices):
        UNDER_15 = "u15", _("15歳未満")
        AGE_15 = "15", _("15歳")
        AGE_16_17 = "16_17", _("16〜17歳")
        AGE_18_19 = "18_19", _("18〜19歳")
        TWENTIES = "20s", _("20代")
        THIRTIES = "30s", _("30代")
        FORTIES = "40s", _("40代")
        FIFTIES = "50s", _("50代")
        SIXTIES = "60s", _("60代")
        SEVENTY_PLUS = "70plus", _("70歳以上")

    class Skill(models.TextChoices):
        DRIVER = "driver", _("運転（普通免許）")
        CHAINSAW = "chainsaw", _("チェーンソー")
        HEAVY_MACHINERY = "heavy", _("重機（車両系建設機械）")
        NURSE = "nurse", _("看護師・保健師")
        CARPENTER = "carpenter", _("大工・建築")
        ELECTRICIAN = "electrician", _("電気工事")
        WELFARE = "welfare", _("介護・福祉")
        INTERPRETER = "interpreter", _("通訳（外国語・手話）")
        ROOF = "roof", _("屋根作業（高所）")

    class Insurance(models.TextChoices):
        NONE = "none", _("未加入")
        ENROLLED = "enrolled", _("加入済（居住地の社協）")
        ENROLLED_HERE = "enrolled_here", _("加入済（当センター）")

    name = models.CharField(_("氏名"), max_length=80)
    kana = models.CharField(_("フリガナ"), max_length=80)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    phone_normalised = models.CharField(max_length=20, blank=True, db_index=True, editable=False)
    email = models.EmailField(_("メールアドレス"), blank=True)
    age_band = models.CharField(_("年齢"), max_length=8, choices=AgeBand.choices)
    guardian_consent = models.BooleanField(_("保護者の同意あり"), default=False)
    guardian_name = models.CharField(_("保護者氏名"), max_length=80, blank=True)
    prefecture = models.CharField(_("お住まいの都道府県"), max_length=10)
    city = models.CharField(_("お住まいの市区町村"), max_length=40)
    emergency_name = models.CharField(_("緊急連絡先（氏名）"), max_length=80, blank=True)
    emergency_phone = models.CharField(_("緊急連絡先（電話）"), max_length=20, blank=True)
    insurance = models.CharField(_("ボランティア活動保険"), max_length=14, choices=Insurance.choices,
                                 default=Insurance.NONE)
    skills = models.JSONField(_("資格・技能"), default=list, blank=True)
    group = models.ForeignKey(Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="members",
                              verbose_name=_("団体"))
    token = models.CharField(max_length=43, unique=True, default=secrets.token_urlsafe, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)
    # Normalised kana (katakana, no spaces): with phone_normalised it recognises a returning volunteer, and
    # the partial unique constraint stops a double-tapped registration from making two people.
    kana_key = models.CharField(max_length=80, blank=True, editable=False)
    # Where they registered: a centre's reception finds its own volunteers by name (others by full phone).
    registered_centre = models.ForeignKey(Centre, on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+", verbose_name=_("登録センター"))
    # Or the disaster, when they registered at the prefecture's one registration point (ops.prefecture):
    # every centre of it knows them (ops.volunteers.selectors.volunteers_of, recruitment calls).
    registered_disaster = models.ForeignKey("centres.Disaster", on_delete=models.SET_NULL, null=True, blank=True,
                                            related_name="+", verbose_name=_("登録した災害（県の受付窓口）"))
    # 募集のお知らせ: whether staff's recruitment calls may be mailed to them, and on which weekdays they said
    # they could come (0 = Monday … 6 = Sunday; empty = any day). Every call mail carries a link that stops them.
    wants_calls = models.BooleanField(_("募集のお知らせをメールで受け取る"), default=True)
    available_weekdays = models.JSONField(_("活動できる曜日"), default=list, blank=True)
    calls_stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ボランティア")
        verbose_name_plural = _("ボランティア")
        indexes = [models.Index(fields=["kana"]), models.Index(fields=["kana_key"])]
        constraints = [
            models.UniqueConstraint(fields=["phone_normalised", "kana_key"], condition=~models.Q(phone_normalised=""),
                                    name="volunteer_once_per_phone_and_kana"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.phone_normalised = normalise.phone_key(self.phone)
        self.kana_key = normalise.kana_key(self.kana)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and ({"phone", "kana"} & set(update_fields)):
            kwargs["update_fields"] = {*update_fields, "phone_normalised", "kana_key"}
        super().save(*args, **kwargs)

    @property
    def skill_labels(self) -> list[str]:
        return [str(Volunteer.Skill(s).label) for s in self.skills if s in Volunteer.Skill.values]

    @property
    def is_group_leader(self) -> bool:
        return self.group_id is not None and self.group.leader_id == self.pk


# --- counting people ------------------------------------------------------------------------------------------
# A group's leader books and checks in the whole group as one row with a head count: every count of people is
# a sum of head counts, never a count of rows. "Volunteers today" (本日の活動者数) are the people checked in on
# the day, including those who have gone home; beside it every surface shows the same three: still in
# (活動中), of them out with a team not yet back (現場（未帰着）), and checked out (活動終了). These are the
# keys and the words of each (reception, staff board, public board, API and 日報 use them).
HEADS = {
    "checked_in": pgettext_lazy("volunteers today", "本日の活動者数"),
    "in": pgettext_lazy("volunteers today", "活動中"),
    "not_back": pgettext_lazy("volunteers today", "現場（未帰着）"),
    "out": pgettext_lazy("volunteers today", "活動終了"),
}


def heads(condition: Q | None = None):
    """People, by head count, in an aggregate: `heads()` or `heads(Q(...))` for a part of them (0, not None,
    when there are none). The one way any figure counts people."""
    return Coalesce(Sum("head_count", filter=condition), 0)


class AttendanceQuerySet(models.QuerySet):
    def on(self, centre, day: date):
        return self.filter(centre=centre, date=day)

    def until(self, centre, day: date):
        """The centre's attendances from its first day to `day` (cumulative figures)."""
        return self.filter(centre=centre, date__lte=day)

    def heads(self) -> int:
        return self.aggregate(n=heads())["n"]

    def heads_on(self, centre, day: date) -> dict[str, int]:
        """The day's people, by head count, under the keys of HEADS: checked_in (volunteers today, gone home
        or not) = in + out; not_back is the part of `in` whose team is out in the field. One query."""
        from ops.dispatch.selectors import IN_FIELD  # teams out in the field (dispatch imports volunteers)

        still_in = Q(checked_out_at__isnull=True)
        row = self.on(centre, day).aggregate(
            checked_in=heads(), still_in=heads(still_in), not_back=heads(still_in & Q(team__status__in=IN_FIELD)))
        return {"checked_in": row["checked_in"], "in": row["still_in"], "out": row["checked_in"] - row["still_in"],
                "not_back": row["not_back"]}

    def heads_until(self, centre, day: date) -> int:
        """People checked in from the first day to `day`, by head count (延べ: a person twice counts twice)."""
        return self.until(centre, day).heads()


class BookingQuerySet(models.QuerySet):
    def open(self):
        return self.filter(cancelled_at__isnull=True)

    def on(self, centre, day: date):
        """Open (not cancelled) bookings of the day."""
        return self.open().filter(centre=centre, date=day)

    def heads_booked(self, centre, day: date) -> int:
        """People booked for the day, by head count, whether they have arrived or not."""
        return self.on(centre, day).aggregate(n=heads())["n"]

    def heads_waiting(self, centre, day: date) -> int:
        """People booked for the day who have not checked in yet: they hold places (see
        ops.volunteers.services.capacity, whose one statement counts the same under the centre's lock)."""
        arrived = Attendance.objects.filter(volunteer=OuterRef("volunteer"), centre=OuterRef("centre"),
                                            date=OuterRef("date"))
        return self.on(centre, day).exclude(Exists(arrived)).aggregate(n=heads())["n"]


class Booking(models.Model):
    """事前予約: a place reserved for a volunteer on a day; counts against capacity."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="bookings")
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="bookings")
    base = models.ForeignKey(Base, on_delete=models.SET_NULL, null=True, blank=True)
    date = models.DateField(_("活動日"))
    head_count = models.PositiveSmallIntegerField(_("人数"), default=1)  # > 1 for a group's leader
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # When the evening-before reminder was queued: set by one conditional UPDATE (ops.volunteers.reminders),
    # so two beat ticks or two workers at once send it once.
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("事前予約")
        verbose_name_plural = _("事前予約")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "centre", "date"], name="booking_once_a_day"),
        ]
        indexes = [models.Index(fields=["centre", "date"])]


class Attendance(models.Model):
    """One volunteer, one day, one centre. The unique constraint is what makes check-in idempotent.

    `hours` is the time at the centre, check-in to check-out (活動時間: what the certificate and the daily
    report's 活動時間 add up), written by check-out alone (services.attendance.check_out) and empty until
    then. The team's work on a need is its return report's (ReturnReport.hours), never added here."""

    class Via(models.TextChoices):
        PHONE = "phone", _("スマートフォン")
        STAFF = "staff", _("受付スタッフ")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="attendances")
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="attendances")
    base = models.ForeignKey(Base, on_delete=models.SET_NULL, null=True, blank=True)
    date = models.DateField(_("活動日"), db_index=True)
    checked_in_at = models.DateTimeField(_("受付時刻"))
    via = models.CharField(max_length=6, choices=Via.choices, default=Via.PHONE)
    health = models.JSONField(_("健康チェック"), default=dict)
    insurance_confirmed = models.BooleanField(_("保険確認"), default=False)
    team = models.ForeignKey("dispatch.Team", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="members", verbose_name=_("班"))
    checked_out_at = models.DateTimeField(_("終了時刻"), null=True, blank=True)
    hours = models.DecimalField(_("活動時間"), max_digits=4, decimal_places=2, null=True, blank=True)
    # A group's leader checks the group in as one attendance; counts and capacity use the head count.
    head_count = models.PositiveSmallIntegerField(_("人数"), default=1)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("出欠")
        verbose_name_plural = _("出欠")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "centre", "date"], name="attendance_once_a_day"),
        ]
        indexes = [models.Index(fields=["centre", "date"])]


class RecruitmentCall(models.Model):
    """募集のお知らせ: staff ask pre-registered volunteers by mail to come on the days they need people. Written
    by the page in one row; a Celery task mails the recipients in batches (ops.volunteers.services.calls)."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="recruitment_calls")
    days = models.JSONField(_("募集する日"), default=list)  # ISO dates, sorted
    message = models.TextField(_("お知らせの文"), max_length=1000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The form's one-time key: a double click, a resent POST, finds the call already made.
    nonce = models.CharField(max_length=43)
    recipients_count = models.PositiveIntegerField(_("対象者数"), default=0)  # as counted when it was sent
    queued_count = models.PositiveIntegerField(_("送信予約数"), default=0)
    # The fan-out's bookmark: volunteers up to this id have their mail (a task run twice carries on from here).
    queued_up_to = models.BigIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)  # every mail of the call is queued

    class Meta:
        verbose_name = _("募集のお知らせ")
        verbose_name_plural = _("募集のお知らせ")
        constraints = [models.UniqueConstraint(fields=["centre", "nonce"], name="recruitment_call_once")]

    def __str__(self):
        return f"{self.centre} {', '.join(self.days)}"

    @property
    def dates(self) -> list[date]:
        return [date.fromisoformat(d) for d in self.days]
