"""What the volunteer's phone pages read of the prefecture's level: the one registration point's offered dates
(/d/<disaster>/), a volunteer's applications and the dates open to them (their personal page). A few queries
whatever the number of offerings: offerings with their counts in one, their buses with riders in one."""
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ops.centres.models import Centre, Disaster
from ops.prefecture.models import Application, BusDeparture, Offering
from ops.prefecture.services.outcomes import how_decided
from ops.volunteers.models import Volunteer
from ops.volunteers.rules import VolunteerError, check_age, scope_refusal, scope_where


@dataclass
class Offered:
    """An offered date as the volunteer reads it: the offering, the places left, how places are decided,
    the buses with seats left, and (on a personal page) why they may not apply, in words."""

    offering: Offering
    places_left: int
    buses: list = field(default_factory=list)
    refusal: str = ""
    applied: bool = False

    @property
    def centre(self) -> Centre:
        return self.offering.centre

    @property
    def method_words(self) -> str:
        if self.offering.status == Offering.Status.ALLOCATED:
            return _("割当済み。空いている枠は応募の順に決まります。")
        if self.offering.method == Offering.Method.DRAW:
            return _("応募多数の場合は抽選")
        return _("応募多数の場合は先着順")


def scope_words(centre: Centre) -> str:
    """募集範囲 in words: who may apply at the centre."""
    if centre.recruitment_scope == Centre.Scope.NATIONAL:
        return _("全国から募集しています")
    return _("%(where)sにお住まいの方を募集しています") % {"where": scope_where(centre)}


def offered(disaster_ids) -> list[Offered]:
    """The dates open for applications at the open centres of these disasters: an offering open and before its
    deadline, or allocated with places left (a late application gets one at once), on a coming day."""
    now = timezone.now()
    rows = (Offering.objects.filter(centre__disaster_id__in=list(disaster_ids), centre__status=Centre.Status.OPEN,
                                    date__gt=_earliest())
            .filter(Q(status=Offering.Status.OPEN, closes_at__isnull=True) | Q(status=Offering.Status.OPEN,
                                                                                closes_at__gt=now)
                    | Q(status=Offering.Status.ALLOCATED))
            .select_related("centre").with_counts().order_by("date", "centre__name", "pk"))
    dates = []
    for offering in rows:
        if offering.date <= offering.centre.today():
            continue
        left = offering.places - offering.allocated_n
        if offering.status == Offering.Status.ALLOCATED and left <= 0:
            continue
        dates.append(Offered(offering, places_left=max(left, 0)))
    _attach_buses(dates)
    return dates


def _earliest() -> date:
    """Before any centre's today (centres keep their own time zones): each row is checked against its own."""
    from datetime import timedelta

    return timezone.now().date() - timedelta(days=1)


def _attach_buses(dates: list[Offered]) -> None:
    if not dates:
        return
    centres = {d.offering.centre_id for d in dates}
    days = {d.offering.date for d in dates}
    by_day: dict[tuple, list] = {}
    for bus in (BusDeparture.objects.filter(centre_id__in=centres, date__in=days)
                .exclude(status=BusDeparture.Status.CANCELLED).with_riders().order_by("departs_at", "pk")):
        bus.seats_left = max(bus.seats - bus.riders_n, 0)
        by_day.setdefault((bus.centre_id, bus.date), []).append(bus)
    for d in dates:
        d.buses = by_day.get((d.offering.centre_id, d.offering.date), [])


def registration_point(disaster: Disaster) -> dict:
    """The disaster's one registration point: its open centres (with their 募集範囲 in words) and, under each,
    the dates offered."""
    centres = list(Centre.objects.filter(disaster=disaster, status=Centre.Status.OPEN).order_by("name", "pk"))
    dates = offered([disaster.pk])
    by_centre: dict[int, list] = {}
    for d in dates:
        by_centre.setdefault(d.offering.centre_id, []).append(d)
    return {"centres": [{"centre": c, "scope": scope_words(c), "dates": by_centre.get(c.pk, [])} for c in centres]}


def disasters_of(volunteer: Volunteer) -> set[int]:
    """The disasters whose offerings a volunteer sees: where they registered (the disaster's one registration
    point, or a centre of it)."""
    ids = set()
    if volunteer.registered_disaster_id:
        ids.add(volunteer.registered_disaster_id)
    if volunteer.registered_centre_id:
        ids.add(volunteer.registered_centre.disaster_id)
    return ids


def refusal_for(volunteer: Volunteer, centre: Centre) -> str:
    """Why the centre's own rules (age, 募集範囲) would refuse the volunteer's application, in words; "" if none.
    The same rules the service asks (ops.prefecture.services.offerings.apply)."""
    try:
        check_age(centre, age_band=volunteer.age_band, guardian_consent=volunteer.guardian_consent)
    except VolunteerError as exc:
        return exc.message
    refusal = scope_refusal(centre, prefecture=volunteer.prefecture, city=volunteer.city)
    return refusal.message if refusal is not None else ""


def open_to(volunteer: Volunteer) -> list[Offered]:
    """The dates the volunteer may apply for (each with its refusal in words when the centre's rules say no,
    or when they hold another centre's application that day: the service's own same-day refusal), leaving out
    those they have applied for already."""
    from ops.prefecture.services.offerings import same_day

    dates = offered(disasters_of(volunteer))
    live = list(Application.objects.live().filter(volunteer=volunteer).select_related("offering__centre"))
    mine = {a.offering_id for a in live}
    that_day = {a.date: a for a in live}
    shown = []
    for d in dates:
        if d.offering.pk in mine:
            continue
        held = that_day.get(d.offering.date)
        d.refusal = same_day(held).message if held is not None else refusal_for(volunteer, d.offering.centre)
        shown.append(d)
    return shown


def applications_of(volunteer: Volunteer) -> list[Application]:
    """The volunteer's applications for coming days (cancelled ones too, saying so), each with `words` (its
    status as they read it), `waiting_n` (their place in the waiting list) and `decided` (how places were given)."""
    waiting_before = (Application.objects.filter(offering_id=OuterRef("offering_id"),
                                                 status=Application.Status.WAITING, rank__lte=OuterRef("rank"))
                      .order_by().values("offering_id").annotate(n=Count("pk")).values("n"))
    rows = (Application.objects.filter(volunteer=volunteer, offering__date__gte=_earliest())
            .select_related("offering__centre", "bus").annotate(waiting_n=Subquery(waiting_before))
            .order_by("offering__date", "offering__centre__name", "pk"))
    shown = []
    for application in rows:
        if application.offering.date < application.offering.centre.today():
            continue
        application.words = status_words(application)
        application.decided = how_decided(application.offering) if application.offering.allocated_by_method else ""
        shown.append(application)
    return shown


def status_words(application: Application) -> str:
    if application.status == Application.Status.ALLOCATED:
        return _("参加決定")
    if application.status == Application.Status.WAITING:
        return _("キャンセル待ち %(n)d番目") % {"n": application.waiting_n or 1}
    if application.status == Application.Status.CANCELLED:
        return _("取消")
    return _("応募済み（抽選・先着の結果はメールでお知らせ）")


def bus_notice(bus: BusDeparture | None) -> str:
    """The bus's delay or cancellation, as the rider reads it ("" when it runs on time)."""
    if bus is None:
        return ""
    if bus.status == BusDeparture.Status.CANCELLED:
        words = _("このバスは運休です。")
    elif bus.status == BusDeparture.Status.DELAYED:
        words = _("このバスは約%(n)d分遅れています。") % {"n": bus.delay_minutes}
    else:
        return ""
    return f"{words} {bus.status_note}".strip()


def personal_section(volunteer: Volunteer) -> dict:
    """The personal page's prefecture section: applications and the dates open to them."""
    applications = applications_of(volunteer)
    for application in applications:
        application.bus_notice = bus_notice(application.bus)
    return {"applications": applications, "open_dates": open_to(volunteer)}
