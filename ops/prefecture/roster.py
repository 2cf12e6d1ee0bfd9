"""The boarding roster (乗車名簿) of a volunteer bus: who holds a seat, with what the operator must carry
(name, kana, age band, phone, emergency contact), and whether they checked in at the centre that day
(乗車確認). Read by the prefecture's staff and the centre's reception, on the page and as XLSX/CSV; every
reading is audited, since it is volunteers' personal data."""
import io

from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from ops import audit, spreadsheets
from ops.prefecture.models import Application, BusDeparture
from ops.volunteers.models import Attendance, Volunteer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def riders_of(bus: BusDeparture):
    """The applications holding a seat on the bus, by seat, each with `rode`: the volunteer checked in at
    the bus's centre on its date (an Attendance exists)."""
    arrived = Attendance.objects.filter(volunteer_id=OuterRef("volunteer_id"), centre_id=bus.centre_id, date=bus.date)
    return (Application.objects.filter(bus=bus, seat__isnull=False, status=Application.Status.ALLOCATED)
            .select_related("volunteer").annotate(rode=Exists(arrived)).order_by("seat"))


def rows(bus: BusDeparture) -> list[dict]:
    ages = dict(Volunteer.AgeBand.choices)
    return [{"seat": a.seat, "name": a.volunteer.name, "kana": a.volunteer.kana,
             "age": str(ages.get(a.volunteer.age_band, a.volunteer.age_band)), "phone": a.volunteer.phone,
             "emergency_name": a.volunteer.emergency_name, "emergency_phone": a.volunteer.emergency_phone,
             "rode": a.rode} for a in riders_of(bus)]


def header() -> list[str]:
    return [_("座席"), _("氏名"), _("フリガナ"), _("年齢"), _("電話番号"), _("緊急連絡先（氏名）"),
            _("緊急連絡先（電話）"), _("乗車確認")]


def cells(row: dict) -> list:
    return [row["seat"], row["name"], row["kana"], row["age"], row["phone"], row["emergency_name"],
            row["emergency_phone"], "✓" if row["rode"] else ""]


def title(bus: BusDeparture) -> str:
    return _("乗車名簿 %(date)s %(hub)s %(time)s発 → %(centre)s") % {
        "date": bus.date.strftime("%Y-%m-%d"), "hub": bus.hub, "time": bus.departs_at.strftime("%H:%M"),
        "centre": bus.centre.name}


def read(bus: BusDeparture, *, by, how: str) -> list[dict]:
    """The roster's rows, the reading audited at the bus's centre (`how`: page, xlsx or csv)."""
    audit.happened("prefecture.bus_roster", bus, centre=bus.centre_id, by=by, note=how)
    return rows(bus)


def filename(bus: BusDeparture, ext: str) -> str:
    return f"bus-{bus.pk}-{bus.date:%Y%m%d}-roster.{ext}"


def xlsx_response(bus: BusDeparture, roster: list[dict]) -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    ws.title = _("乗車名簿")
    spreadsheets.append_row(ws, [title(bus)])
    spreadsheets.append_row(ws, [_("運行会社"), bus.operator or "—"])
    spreadsheets.append_row(ws, header())
    for row in roster:  # names typed by volunteers: text cells, never formulas
        spreadsheets.append_row(ws, cells(row))
    out = io.BytesIO()
    wb.save(out)
    return _download(out.getvalue(), XLSX, filename(bus, "xlsx"))


def csv_response(bus: BusDeparture, roster: list[dict]) -> HttpResponse:
    out = io.StringIO()
    writer = spreadsheets.csv_writer(out, lineterminator="\r\n")
    writer.writerow(header())
    writer.writerows(cells(row) for row in roster)
    # With a BOM, Excel opens the Japanese as UTF-8.
    return _download(("\ufeff" + out.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", filename(bus, "csv"))


def _download(body: bytes, kind: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response

