# ruff: noqa: F811  (the fixture imported from conftest_offerbus is the tests' argument)
"""The boarding roster (乗車名簿): its rows with the 乗車確認 tick from a real check-in, the XLSX and CSV
downloads (typed text stays text), the audit of each reading, and the centre reception's side."""
import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ops.audit import AuditEntry
from ops.centres.models import Role
from ops.prefecture.roster import riders_of
from ops.prefecture.services.allocation import allocate
from ops.volunteers.services.attendance import check_in
from tests.factories import make_centre
from tests.prefecture.conftest_offerbus import HEALTHY, pref  # noqa: F401

pytestmark = pytest.mark.django_db
HOSTILE = '=HYPERLINK("http://evil.example/","押して")'


def riding(pref, n=3, **kw):
    offering = pref.offering(places=10)
    bus = pref.bus(seats=10)
    people = pref.applicants(offering, n, bus=bus, **kw)
    allocate(offering.pk)
    return bus, [a.volunteer for a in people]


def centre_url(pref, name, **kw):
    return reverse(f"pref_ops:{name}", kwargs={"centre": pref.centre.slug, **kw})


def test_the_roster_lists_riders_by_seat_with_what_the_operator_carries(pref):
    bus, people = riding(pref, n=2, emergency_name="家族 花子", emergency_phone="090-1111-2222")
    page = pref.client.get(pref.url("bus_roster", pk=bus.pk))
    text = page.content.decode()
    assert [r["seat"] for r in page.context["rows"]] == [1, 2]
    for v in people:
        assert v.name in text and v.kana in text and v.phone in text
    assert "家族 花子" in text and "090-1111-2222" in text and "30代" in text
    assert "運行会社は乗車中この名簿を携行し" in text and "信州観光バス" in text
    assert page["Cache-Control"] == "no-store"


def test_the_ride_is_ticked_from_a_real_check_in_on_the_day(pref):
    bus, (rode, stayed) = riding(pref, n=2)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        check_in(rode, pref.centre, on=pref.centre.today(), health=HEALTHY, insurance_confirmed=True)
        pref.client.force_login(pref.staff)  # the day after: a fresh sign-in
        rows = {r["name"]: r["rode"] for r in pref.client.get(pref.url("bus_roster", pk=bus.pk)).context["rows"]}
        assert rows == {rode.name: True, stayed.name: False}
        desk = pref.reception().get(centre_url(pref, "centre_buses"))
        assert [(b.riders_n, b.rode_n) for b in desk.context["buses"]] == [(2, 1)]


def test_the_tick_is_only_for_the_buss_centre_and_day(pref):
    bus, (volunteer,) = riding(pref, n=1)
    other = make_centre(disaster=pref.disaster)
    check_in(volunteer, other, on=other.today(), health=HEALTHY, insurance_confirmed=True)
    assert [a.rode for a in riders_of(bus)] == [False]


def test_the_xlsx_holds_the_rows_and_a_formula_stays_text(pref):
    bus, _people = riding(pref, n=1, name=HOSTILE)
    answer = pref.client.get(pref.url("bus_roster_xlsx", pk=bus.pk))
    assert answer["Content-Disposition"].startswith("attachment") and answer["X-Content-Type-Options"] == "nosniff"
    ws = load_workbook(io.BytesIO(answer.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[2][:3] == ("座席", "氏名", "フリガナ")
    assert rows[3][0] == 1 and rows[3][1] == HOSTILE
    assert ws.cell(row=4, column=2).data_type == "s"


def test_the_csv_holds_the_rows_and_a_formula_is_defused(pref):
    bus, _people = riding(pref, n=1, name=HOSTILE)
    answer = pref.client.get(pref.url("bus_roster_csv", pk=bus.pk))
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][0] == "座席" and rows[1][:2] == ["1", "'" + HOSTILE]


def test_every_reading_is_audited(pref):
    bus, _people = riding(pref, n=1)
    pref.client.get(pref.url("bus_roster", pk=bus.pk))
    pref.client.get(pref.url("bus_roster_csv", pk=bus.pk))
    pref.reception().get(centre_url(pref, "centre_buses_roster_xlsx", pk=bus.pk))
    notes = list(AuditEntry.objects.filter(action="prefecture.bus_roster").order_by("pk").values_list("note", flat=True))
    assert notes == ["html", "csv", "xlsx"]


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.COORDINATOR, Role.ADMIN])
def test_the_centres_reception_reads_the_roster_of_its_buses(pref, role):
    bus, people = riding(pref, n=1)
    desk = pref.reception(role)
    listing = desk.get(centre_url(pref, "centre_buses"))
    assert listing.status_code == 200 and "長野駅東口" in listing.content.decode()
    page = desk.get(centre_url(pref, "centre_buses_roster", pk=bus.pk))
    assert page.status_code == 200 and people[0].name in page.content.decode()
    assert centre_url(pref, "centre_buses_roster_csv", pk=bus.pk) in page.content.decode()


@pytest.mark.parametrize("role", [Role.INTAKE, Role.WELFARE, Role.LEADER, Role.VIEWER, Role.PARTNER])
def test_the_other_roles_of_the_centre_are_refused(pref, role):
    bus, _people = riding(pref, n=1)
    desk = pref.reception(role)
    for name, kw in (("centre_buses", {}), ("centre_buses_roster", {"pk": bus.pk}),
                     ("centre_buses_roster_csv", {"pk": bus.pk})):
        assert desk.get(centre_url(pref, name, **kw)).status_code == 403


def test_another_centres_reception_finds_no_bus_of_ours(pref):
    bus, _people = riding(pref, n=1)
    other = make_centre(disaster=pref.disaster)
    desk = pref.reception(Role.RECEPTION, centre=other)
    answer = desk.get(reverse("pref_ops:centre_buses_roster", kwargs={"centre": other.slug, "pk": bus.pk}))
    assert answer.status_code == 404
    assert not AuditEntry.objects.filter(action="prefecture.bus_roster").exists()
