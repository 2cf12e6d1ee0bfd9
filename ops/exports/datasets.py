"""What a centre can download, one entry per dataset: who may have it (any one of its capabilities), its
columns (personal ones decided by the registry, ops.privacy) and its rows for a range of the centre's days.
A new dataset is one more function and one more entry in DATASETS."""
from __future__ import annotations

from collections import defaultdict
from itertools import islice

from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ops.dispatch.models import (
    ConsumableMovement,
    Dispatch,
    EquipmentKind,
    EquipmentLoan,
    EquipmentMovement,
    ReturnReport,
)
from ops.exports.columns import CHUNK_ROWS, Column, Dataset, field
from ops.needs.models import Need
from ops.needs.transitions import OPEN
from ops.permissions import Cap
from ops.volunteers.models import Attendance, Volunteer
from ops.welfare.models import Case, Household


def _moments(centre, first, last) -> dict:
    """Bounds of days first..last in the centre's zone, as lookups on a datetime field."""
    bounds = {}
    if first is not None:
        bounds["gte"] = centre.day_bounds(first)[0]
    if last is not None:
        bounds["lt"] = centre.day_bounds(last)[1]
    return bounds


def _days(prefix: str, first, last) -> Q:
    q = Q()
    if first is not None:
        q &= Q(**{f"{prefix}__gte": first})
    if last is not None:
        q &= Q(**{f"{prefix}__lte": last})
    return q


def _within(prefix: str, centre, first, last) -> Q:
    return Q(**{f"{prefix}__{op}": moment for op, moment in _moments(centre, first, last).items()})


def _label(obj):
    return obj.label if obj is not None else ""


def _name(obj):
    return obj.name if obj is not None else ""


# --- needs ------------------------------------------------------------------------------------------------------

NEED_COLUMNS = (
    Column(_("受付番号"), lambda n: n.label),
    field(Need, "received_at"),
    field(Need, "channel"),
    field(Need, "requester_type"),
    field(Need, "requester_name"),
    field(Need, "requester_kana"),
    field(Need, "phone"),
    field(Need, "address"),
    field(Need, "district"),
    field(Need, "lat"),
    field(Need, "lng"),
    field(Need, "work_types", lambda n: n.work_type_names),
    field(Need, "description"),
    field(Need, "people_needed"),
    field(Need, "days_needed"),
    field(Need, "tools_needed"),
    field(Need, "vehicle_needed"),
    field(Need, "hazards"),
    field(Need, "household", lambda n: n.household_display()),
    field(Need, "welfare"),
    field(Need, "consent_share"),
    field(Need, "priority"),
    field(Need, "status"),
    field(Need, "closure"),
    field(Need, "base", lambda n: _name(n.base)),
    field(Need, "notes"),
)


def _needs(centre, first, last):
    return (Need.objects.filter(centre=centre).filter(_within("received_at", centre, first, last))
            .select_related("base").order_by("number"))


def with_work_types(needs):
    """The needs, read CHUNK_ROWS at a time, each with `work_type_names`. prefetch_related("work_types") under
    iterator() kept about 3 kB a need alive to the end (25 MB for a season's 6,300): this holds one chunk."""
    chunk = CHUNK_ROWS
    rows = needs.iterator(chunk_size=chunk)
    while batch := list(islice(rows, chunk)):
        names = defaultdict(list)
        through = Need.work_types.through.objects.filter(need_id__in=[n.pk for n in batch])
        for need_id, name in through.order_by("worktype__order", "worktype_id").values_list("need_id", "worktype__name"):
            names[need_id].append(name)
        for need in batch:
            need.work_type_names = names[need.pk]
            yield need


def needs(centre, first, last):
    """Needs received on days first..last."""
    return with_work_types(_needs(centre, first, last))


def open_needs(centre, first=None, last=None):
    """Needs not done or withdrawn: what the council's ordinary work takes over when the centre closes."""
    return with_work_types(_needs(centre, None, None).filter(status__in=OPEN))


# --- welfare cases ----------------------------------------------------------------------------------------------

def _lines(rows) -> str:
    return "\n\n".join(r for r in rows if r)


def _by(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _contacts(case) -> str:
    return _lines(f"{case.centre.local(c.at):%Y/%m/%d %H:%M} {c.get_method_display()} {'・'.join(c.with_whom_display())} {_by(c.by)}"
                  f"\n{c.found}\n{c.agreed}".strip() for c in case.contacts.all())


def _referrals(case) -> str:
    return _lines(f"{r.referred_on:%Y/%m/%d} {r.agency.name} {r.get_outcome_display()}\n{r.reason}\n"
                  f"{r.outcome_note}".strip() for r in case.referrals.all())


def _withdrawn(case, consent) -> str:
    if consent.withdrawn_at is None:
        return ""
    return gettext("（%(day)s 撤回）") % {"day": f"{case.centre.local(consent.withdrawn_at):%Y/%m/%d}"}


def _consents(case) -> str:
    return _lines(
        f"{c.given_on:%Y/%m/%d} {c.get_purpose_display()} {c.agency.name if c.agency else ''} "
        f"{c.get_how_display()} {c.get_given_by_display()}{_withdrawn(case, c)}".replace("  ", " ")
        for c in case.consents.all())


def _handover(case) -> str:
    """Whether the receiving body may keep the case: the handover consent in force (how, when, who), or なし."""
    consent = case.handover_consent()
    if consent is None:
        return gettext("なし")
    return gettext("%(day)s %(how)s（%(who)s）確認: %(staff)s") % {
        "day": f"{consent.given_on:%Y/%m/%d}", "how": consent.get_how_display(),
        "who": consent.get_given_by_display(), "staff": _by(consent.recorded_by)}


WELFARE_COLUMNS = (
    Column(_("ケース番号"), lambda c: c.label),
    field(Case, "opened_at"),
    field(Case, "source"),
    field(Case, "level"),
    field(Case, "priority"),
    field(Case, "categories", lambda c: [cat.label for cat in c.categories.all()]),
    field(Case, "assignee", lambda c: _by(c.assignee)),
    field(Household, "name", lambda c: c.household.name),
    field(Household, "kana", lambda c: c.household.kana),
    field(Household, "phone", lambda c: c.household.phone),
    field(Household, "address", lambda c: c.household.address),
    field(Household, "district", lambda c: c.household.district),
    Column(_("ニーズ"), lambda c: [n.label for n in c.household.needs.all()]),
    field(Case, "summary"),
    field(Case, "next_check_on"),
    field(Case, "contacts", _contacts, header=_("支援記録")),
    field(Case, "referrals", _referrals, header=_("紹介")),
    field(Case, "consents", _consents, header=_("情報提供の同意")),
    field(Case, "consents", _handover, header=_("引き継ぎの同意")),
)


def open_welfare_cases(centre, first=None, last=None):
    """Cases still open: what the 生活支援相談員 / 地域支え合いセンター take over when the centre closes."""
    return (Case.objects.open().filter(centre=centre).select_related("centre", "household", "assignee")
            .prefetch_related("categories", "household__needs", "contacts__by", "referrals__agency",
                              "consents__agency", "consents__recorded_by").order_by("number"))


# --- volunteers and attendances ---------------------------------------------------------------------------------

VOLUNTEER_COLUMNS = (
    Column(_("登録番号"), lambda v: v.pk),
    field(Volunteer, "name"),
    field(Volunteer, "kana"),
    field(Volunteer, "phone"),
    field(Volunteer, "email"),
    field(Volunteer, "age_band"),
    field(Volunteer, "guardian_consent"),
    field(Volunteer, "guardian_name"),
    field(Volunteer, "prefecture"),
    field(Volunteer, "city"),
    field(Volunteer, "emergency_name"),
    field(Volunteer, "emergency_phone"),
    field(Volunteer, "insurance"),
    field(Volunteer, "skills", lambda v: v.skill_labels),
    field(Volunteer, "group", lambda v: _name(v.group)),
    Column(_("登録日時"), lambda v: v.created_at),
)


def volunteers(centre, first, last):
    """Volunteers of this centre (registered here, booked or came) who registered on days first..last."""
    ours = (Q(registered_centre=centre) | Q(pk__in=Attendance.objects.filter(centre=centre).values("volunteer_id"))
            | Q(pk__in=centre.bookings.values("volunteer_id")))
    return (Volunteer.objects.filter(ours).filter(_within("created_at", centre, first, last))
            .select_related("group").order_by("pk"))


def _volunteer(name):
    return field(Volunteer, name, via=lambda a: a.volunteer)


ATTENDANCE_COLUMNS = (
    field(Attendance, "date"),
    Column(_("登録番号"), lambda a: a.volunteer_id),
    _volunteer("name"),
    _volunteer("kana"),
    _volunteer("age_band"),
    _volunteer("prefecture"),
    _volunteer("city"),
    field(Attendance, "head_count"),
    field(Attendance, "base", lambda a: _name(a.base)),
    field(Attendance, "team", lambda a: _label(a.team)),
    field(Attendance, "checked_in_at"),
    field(Attendance, "checked_out_at"),
    field(Attendance, "hours"),
    field(Attendance, "insurance_confirmed"),
)


def attendances(centre, first, last):
    """Who came on days first..last, with their hours at the centre (check-in to check-out)."""
    return (Attendance.objects.filter(centre=centre).filter(_days("date", first, last))
            .select_related("volunteer", "base", "team").order_by("date", "checked_in_at", "pk"))


# --- dispatches and return reports ------------------------------------------------------------------------------

def _report(name, **kw):
    return field(ReturnReport, name, via=lambda d: getattr(d, "report", None), **kw)


DISPATCH_COLUMNS = (
    Column(_("活動日"), lambda d: d.date),
    Column(_("班"), lambda d: d.team.label),
    Column(_("受付番号"), lambda d: d.need.label),
    Column(Need._meta.get_field("district").verbose_name, lambda d: d.need.district),
    field(Dispatch, "people"),
    field(Dispatch, "status", header=_("状況")),
    field(Dispatch, "dispatched_at"),
    field(Dispatch, "expected_return_at"),
    field(Dispatch, "returned_at"),
    field(Dispatch, "cancelled_at"),
    field(Dispatch, "cancel_reason"),
    _report("outcome"),
    _report("people", header=_("活動人数（報告）")),
    _report("hours"),
    _report("work_done"),
    _report("injuries"),
    _report("heat_illness"),
    _report("near_miss"),
    _report("tools_returned"),
    Column(_("報告日時"), lambda d: getattr(getattr(d, "report", None), "filed_at", None)),
)


def dispatches(centre, first, last):
    """Teams sent on days first..last, each with its return report (empty while the team is out)."""
    return (Dispatch.objects.filter(centre=centre).filter(_days("date", first, last))
            .select_related("team", "need", "report").order_by("date", "dispatched_at", "pk"))


# --- the tool ledger --------------------------------------------------------------------------------------------

LOAN_COLUMNS = (
    Column(_("貸出日時"), lambda loan: loan.lent_at),
    Column(_("資機材"), lambda loan: loan.kind.name),
    Column(_("班"), lambda loan: loan.team.label),
    Column(_("活動日"), lambda loan: loan.team.date),
    field(EquipmentLoan, "quantity"),
    field(EquipmentLoan, "returned_quantity"),
    Column(_("未返却"), lambda loan: loan.still_out),
    Column(_("返却日時"), lambda loan: loan.returned_at),
)


def tool_loans(centre, first, last):
    """Tools lent to teams on days first..last, and what came back."""
    return (EquipmentLoan.objects.filter(team__centre=centre).filter(_within("lent_at", centre, first, last))
            .select_related("kind", "team").order_by("lent_at", "pk"))


KIND_COLUMNS = (
    field(EquipmentKind, "name"),
    field(EquipmentKind, "total"),
    Column(_("貸出中"), lambda kind: kind.out_now),
    Column(_("在庫"), lambda kind: kind.total - kind.out_now),
)


def tool_kinds(centre, first=None, last=None):
    """The tools the centre holds, and how many are out with teams now."""
    out = Sum(F("loans__quantity") - F("loans__returned_quantity"), filter=Q(loans__returned_at__isnull=True))
    return EquipmentKind.objects.filter(centre=centre).annotate(out_now=Coalesce(out, 0)).order_by("name")


MOVEMENT_COLUMNS = (
    field(EquipmentMovement, "at"),
    Column(_("資機材"), lambda m: m.kind.name),
    field(EquipmentMovement, "delta"),
    field(EquipmentMovement, "reason"),
    field(EquipmentMovement, "note"),
)


def tool_movements(centre, first, last):
    """The tool ledger's stock in and out (受入・寄贈・廃棄 ...) on days first..last: EquipmentMovement's ledger."""
    return EquipmentMovement.objects.ledger(centre).filter(_within("at", centre, first, last))


CONSUMABLE_COLUMNS = (
    field(ConsumableMovement, "on"),
    Column(_("品名"), lambda m: m.consumable.name),
    Column(_("単位"), lambda m: m.consumable.unit),
    field(ConsumableMovement, "delta"),
    field(ConsumableMovement, "reason"),
    Column(_("班"), lambda m: _label(m.team)),
    field(ConsumableMovement, "note"),
)


def consumables(centre, first, last):
    """Consumables counted in, handed out and written off on days first..last: ConsumableMovement's ledger."""
    return ConsumableMovement.objects.ledger(centre).filter(_days("on", first, last))


REPORTS = frozenset({Cap.VIEW_REPORTS})
DATASETS = {d.slug: d for d in (
    Dataset("needs", _("ニーズ"), frozenset({Cap.VIEW_NEEDS}), NEED_COLUMNS, needs),
    Dataset("open-needs", _("未完了のニーズ（引き継ぎ用）"), frozenset({Cap.VIEW_NEEDS}), NEED_COLUMNS, open_needs,
            ranged=False, note=_("完了・取下げ以外のニーズ。期間の指定は使いません。")),
    Dataset("welfare-cases", _("継続中の福祉ケース（危機介入・見守り）"), frozenset({Cap.WELFARE}), WELFARE_COLUMNS,
            open_welfare_cases, ranged=False, note=_("終了していないケース。期間の指定は使いません。")),
    Dataset("volunteers", _("ボランティア登録者"), REPORTS | {Cap.RECEPTION}, VOLUNTEER_COLUMNS, volunteers,
            note=_("期間は登録日で絞り込みます。")),
    Dataset("attendances", _("出欠と活動時間"), REPORTS | {Cap.RECEPTION}, ATTENDANCE_COLUMNS, attendances),
    Dataset("dispatches", _("送り出しと活動報告"), REPORTS | {Cap.DISPATCH}, DISPATCH_COLUMNS, dispatches),
    Dataset("tool-kinds", _("資機材の保有数と貸出中の数"), REPORTS | {Cap.DISPATCH}, KIND_COLUMNS, tool_kinds,
            ranged=False, note=_("現在の数。期間の指定は使いません。")),
    Dataset("tool-loans", _("資機材の貸出"), REPORTS | {Cap.DISPATCH}, LOAN_COLUMNS, tool_loans),
    Dataset("tool-movements", _("資機材の受入・払出"), REPORTS | {Cap.DISPATCH}, MOVEMENT_COLUMNS, tool_movements),
    Dataset("consumables", _("消耗品の受入・配布"), REPORTS | {Cap.DISPATCH}, CONSUMABLE_COLUMNS, consumables),
)}


def datasets_for(caps) -> list[Dataset]:
    return [d for d in DATASETS.values() if d.allowed(caps)]
