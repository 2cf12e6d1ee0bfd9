"""One business operation, one audit row per record it changed: named after the operation, in one format
(the model's label), whatever path wrote the record (a save the signal sees, a status changed by UPDATE, a
check-in inserted by raw SQL)."""
import re
from datetime import time
from decimal import Decimal

import pytest
from django.urls import reverse

from ops.centres.models import AuditEntry, Role
from ops.dispatch.services import cancel_dispatch, dispatch, file_return_report, form_team
from ops.needs.models import NeedStatus
from ops.needs.services import importing, record_need, set_status_by_hand, update_need
from ops.volunteers.services import check_in, check_out, register_volunteer
from ops.welfare.models import Case, Contact, Household
from tests import factories
from tests.needs.conftest import intake_fields
from tests.needs.test_import import GOOD, HEADING, csv_bytes
from tests.volunteers.conftest import HEALTHY, details

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(db):
    return factories.make_centre(latest_return_time=time(23, 59, 59, 999999))


def _team(centre, size=2):
    members = [factories.make_attendance(centre, date=centre.today()) for _ in range(size)]
    return form_team(centre=centre, on=centre.today(), members=members, leader=members[0])


def _ready_need(centre):
    return factories.make_need(centre, status=NeedStatus.READY, people_needed=5)


class Trail:
    """The entries written from here on."""

    def __init__(self):
        self.after = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def rows(self):
        return list(AuditEntry.objects.filter(id__gt=self.after).order_by("id"))


def _dispatched(centre, coordinator):
    team, need = _team(centre), _ready_need(centre)
    return dispatch(team, need, by=coordinator), team, need


def op_dispatch(centre, users):
    team, need = _team(centre), _ready_need(centre)
    trail = Trail()
    record = dispatch(team, need, by=users["coordinator"])
    return trail, "dispatch.created", {("dispatch.dispatch", record.pk), ("dispatch.team", team.pk),
                                      ("needs.need", need.pk)}


def op_return_report(centre, users):
    record, team, need = _dispatched(centre, users["coordinator"])
    trail = Trail()
    report = file_return_report(record, outcome="completed", people=2, hours=Decimal("3"), by=users["coordinator"])
    return trail, "dispatch.returned", {("dispatch.returnreport", report.pk), ("dispatch.dispatch", record.pk),
                                        ("dispatch.team", team.pk), ("needs.need", need.pk)}


def op_cancel(centre, users):
    record, team, need = _dispatched(centre, users["coordinator"])
    trail = Trail()
    cancel_dispatch(record, by=users["coordinator"], reason="班の取り違え")
    return trail, "dispatch.cancelled", {("dispatch.dispatch", record.pk), ("dispatch.team", team.pk),
                                         ("needs.need", need.pk)}


def op_intake(centre, users):
    earlier = factories.make_need(centre, phone="090-1111-2222")
    trail = Trail()
    need = record_need(centre=centre, by=users["intake"], not_duplicate_of=[earlier], **intake_fields())
    return trail, "need.created", {("needs.need", need.pk)}


def op_import(centre, users):
    trail = Trail()
    report = importing.import_rows(centre, by=users["intake"], name="cards.csv", data=csv_bytes([HEADING, *GOOD]))
    assert len(report.created) == 2
    cases = Case.objects.filter(household__needs__in=report.created)  # the first card asks for 見守り
    assert cases.count() == 1
    households = Household.objects.filter(cases__in=cases)
    contacts = Contact.objects.filter(case__in=cases)
    return trail, "need.import", {("needs.need", n.pk) for n in report.created} | {
        ("welfare.case", c.pk) for c in cases} | {("welfare.household", h.pk) for h in households} | {
        ("welfare.contact", c.pk) for c in contacts}


def op_need_update(centre, users):
    need = factories.make_need(centre)
    trail = Trail()
    update_need(need, by=users["intake"], phone="090-9999-0000", description="床下の泥出し",
                work_types=list(need.work_types.model.objects.filter(code__in=["mud", "debris"])))
    return trail, "need.update", {("needs.need", need.pk)}


def op_need_status(centre, users):
    need = factories.make_need(centre)
    trail = Trail()
    set_status_by_hand(need, NeedStatus.CANCELLED, by=users["intake"], reason="取下げ", closure="no_longer_needed")
    return trail, "need.status", {("needs.need", need.pk)}


def op_registration(centre, users):
    trail = Trail()
    volunteer = register_volunteer(centre=centre, by=users["reception"], **details())
    return trail, "volunteer.register", {("volunteers.volunteer", volunteer.pk)}


def op_check_in(centre, users):
    volunteer = factories.make_volunteer()
    trail = Trail()
    attendance = check_in(volunteer, centre, on=centre.today(), via="staff", health=HEALTHY,
                          insurance_confirmed=True, by=users["reception"])
    return trail, "attendance.check_in", {("volunteers.attendance", attendance.pk)}


def op_check_out(centre, users):
    attendance = factories.make_attendance(centre, date=centre.today())
    trail = Trail()
    check_out(attendance, by=users["reception"])
    return trail, "attendance.check_out", {("volunteers.attendance", attendance.pk)}


OPERATIONS = [op_dispatch, op_return_report, op_cancel, op_intake, op_import, op_need_update, op_need_status,
              op_registration, op_check_in, op_check_out]


@pytest.fixture
def users(centre):
    return {role: factories.make_user(role, centre)
            for role in (Role.COORDINATOR, Role.INTAKE, Role.RECEPTION, Role.ADMIN)}


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda f: f.__name__.removeprefix("op_"))
def test_one_operation_writes_one_audit_row_per_record(centre, users, operation):
    trail, action, records = operation(centre, users)
    rows = trail.rows()
    written = [(e.object_type, int(e.object_id)) for e in rows]
    assert sorted(written) == sorted(records), [(e.action, e.object_type, e.object_id, e.fields) for e in rows]
    assert {e.action for e in rows} == {action}
    assert all(e.centre_id == centre.pk for e in rows)
    # The person who did it, not the ambient "system" of a service called outside a request.
    assert all(e.user is not None for e in rows), [(e.object_type, e.actor) for e in rows]


def test_a_status_change_by_update_is_on_the_trail_once_with_its_fields(centre, users):
    record, team, need = _dispatched(centre, users["coordinator"])
    entry = AuditEntry.objects.get(object_type="needs.need", object_id=str(need.pk), action="dispatch.created")
    assert entry.fields == ["status"] and entry.user == users["coordinator"]


def test_needs_checked_as_not_duplicates_are_named_on_the_new_needs_row(centre, users):
    earlier = factories.make_need(centre, phone="090-1111-2222")
    need = record_need(centre=centre, by=users["intake"], not_duplicate_of=[earlier], **intake_fields())
    entry = AuditEntry.objects.get(object_type="needs.need", object_id=str(need.pk))
    assert "not_duplicate_of" in entry.fields and earlier.label in entry.note


def test_the_audit_page_shows_every_operation_in_words(client, centre, users):
    for operation in OPERATIONS:
        operation(centre, users)
    client.force_login(users["admin"])
    codes = set(AuditEntry.objects.values_list("action", flat=True)) | set(
        AuditEntry.objects.values_list("object_type", flat=True))
    for language in ("ja", "en"):
        page = client.get(reverse("centre_audit", kwargs={"centre": centre.slug}),
                          HTTP_ACCEPT_LANGUAGE=language).content.decode()
        table = page.split("<tbody")[1].split("</tbody>")[0]
        cells = {cell.split(" #")[0] for cell in re.findall(r"<td>([^<]*)</td>", table)}
        assert not cells & codes, language
        assert not re.findall(r"\b[a-z_]+\.[a-z_]+\b", table), language
