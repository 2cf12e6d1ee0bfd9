# ruff: noqa: F811  (the fixtures imported from conftest_drills are the tests' arguments)
"""Resetting a drill (訓練) puts its centre back exactly where the scenario starts: every row the day made goes
(found through the models' relations, PROTECT keys and all), the centre's settings return to the opening's, the
staff stay, a real volunteer who came to the drill loses only the drill's rows; a real centre is refused."""
from datetime import timedelta

import pytest
from django.utils import timezone

from ops.centres.models import AuditEntry, Centre, Event, Role, Suspension
from ops.dispatch.models import Dispatch
from ops.dispatch.services import form_team
from ops.drills.models import Cue, Drill
from ops.drills.reset import ResetRefused, owned_querysets, reset_drill
from ops.messages.models import OutboundMail
from ops.messages.services import queue_mail
from ops.needs.services.intake import record_need
from ops.volunteers.models import Attendance, Volunteer
from ops.volunteers.services.attendance import check_in
from tests import factories
from tests.drills.conftest_drills import drill_admin, drill_centre, drill_client, dump  # noqa: F401

pytestmark = pytest.mark.django_db


def _play(centre, *, real_volunteer, by):
    """What a drill's morning leaves behind: calls taken, arrivals (one of them a real volunteer), a team sent out
    (a dispatch holds its need and team: PROTECT), a setting changed, a 活動中止, a mail, the run advanced."""
    today = centre.today()
    need = record_need(centre=centre, by=by, requester_name="電話 一郎", requester_kana="デンワ イチロウ",
                       phone="090-0000-0002", address="テスト市西2-2", district="西")
    fictional = [factories.make_volunteer(registered_centre=centre) for _ in range(2)]
    ins = [check_in(v, centre, on=today, health={"no_fever": True}, insurance_confirmed=True)
           for v in [*fictional, real_volunteer]]
    team = form_team(centre=centre, on=today, members=[a.pk for a in ins], leader=ins[0].pk, by=by)
    now = timezone.now()
    Dispatch.objects.create(centre=centre, team=team, need=need, date=today, people=3, dispatched_at=now,
                            expected_return_at=now + timedelta(hours=3))
    Centre.objects.filter(pk=centre.pk).update(notice="訓練中のお知らせ", daily_capacity=120,
                                               status=Centre.Status.OPEN)
    Suspension.objects.create(centre=centre, date=today, reason=Suspension.Reason.values[0])
    queue_mail(kind=OutboundMail.Kind.CRISIS_ALERT, centre=centre, to=["staff@example.jp"], subject="件名",
               body="本文")
    drill = Drill.objects.get(centre=centre)
    Cue.objects.create(drill=drill, index=0, kind=Cue.Kind.CALL, at_seconds=60, played_at=now, need=need,
                       detail={"phone": "090-0000-0002"})
    Drill.objects.filter(pk=drill.pk).update(status=Drill.Status.RUNNING, started_at=now, next_cue=1)
    return need


def test_reset_restores_the_start_exactly(drill_centre, drill_admin):
    real_centre = factories.make_centre()
    real_volunteer = factories.make_volunteer(registered_centre=real_centre)
    factories.make_attendance(real_centre, real_volunteer, date=real_centre.today() - timedelta(days=1))
    before = dump(drill_centre)
    seq = Centre.objects.get(pk=drill_centre.pk).event_seq

    _play(drill_centre, real_volunteer=real_volunteer, by=drill_admin)
    assert dump(drill_centre) != before
    drill = reset_drill(drill_centre, by=drill_admin)

    assert dump(drill_centre) == before
    assert (drill.status, drill.next_cue, drill.started_at, drill.cues.count()) == (Drill.Status.READY, 0, None, 0)
    # the staff stay; the fictional volunteers go; the real one keeps their record and their day elsewhere
    assert drill_centre.memberships.filter(user=drill_admin, role=Role.ADMIN).exists()
    assert not Volunteer.objects.filter(registered_centre=drill_centre).exists()
    assert Volunteer.objects.filter(pk=real_volunteer.pk).exists()
    assert list(Attendance.objects.filter(volunteer=real_volunteer).values_list("centre_id", flat=True)) == [
        real_centre.pk]
    # the boards' sequence only grows, and the last event tells every board to reload
    last = Event.objects.filter(centre=drill_centre).order_by("-seq").first()
    assert last.kind == "drill.reset" and last.seq > seq and last.public == {"drill_reset": True}
    assert AuditEntry.objects.filter(centre=drill_centre, action="drill.reset").exists()


def test_reset_twice_is_the_same_start(drill_centre, drill_admin):
    before = dump(drill_centre)
    reset_drill(drill_centre, by=drill_admin)
    reset_drill(drill_centre, by=drill_admin)
    assert dump(drill_centre) == before


def test_every_model_related_to_a_centre_is_wiped_or_kept_on_purpose(drill_centre):
    """A model added later with a foreign key to Centre is found without being named (hidden relations too)."""
    found = {label for label, _ in owned_querysets(drill_centre)}
    assert {"needs.need", "volunteers.attendance", "volunteers.volunteer", "dispatch.dispatch", "dispatch.team",
            "outbox.outboundmail", "centres.base", "reports.rollupreport"} <= found
    assert not found & {"centres.membership", "centres.event", "centres.auditentry", "drills.drill"}


def test_reset_refuses_a_real_centre_and_writes_nothing(drill_admin):
    real = factories.make_centre()
    factories.make_need(real)
    factories.make_user(Role.ADMIN, real)
    counts = (dump(real), AuditEntry.objects.count(), Event.objects.count())
    with pytest.raises(ResetRefused):
        reset_drill(real, by=drill_admin)
    assert (dump(real), AuditEntry.objects.count(), Event.objects.count()) == counts


# --- the page ------------------------------------------------------------------------------------------
def test_the_reset_page_asks_first_then_resets(drill_client, drill_centre, drill_admin):
    url = f"/c/{drill_centre.slug}/drill/reset/"
    start = drill_centre.needs.count()  # the scenario's needs already open
    record_need(centre=drill_centre, by=drill_admin, requester_name="電話 二郎", requester_kana="デンワ ジロウ",
                phone="090-0000-0003", address="テスト市西2-3", district="西")
    assert drill_client.get(url).status_code == 405
    asked = drill_client.post(url)
    assert asked.status_code == 200 and 'name="confirm" value="reset"' in asked.content.decode()
    assert drill_centre.needs.count() == start + 1  # nothing yet
    for junk in ({"confirm": "yes"}, {"confirm": "reset\x00"}, {"confirm": ["reset", "x"] * 50}):
        assert drill_client.post(url, junk).status_code in (200, 400)  # asked again or refused, never a 500
    assert drill_centre.needs.count() == start + 1
    done = drill_client.post(url, {"confirm": "reset"})
    assert done.status_code == 302 and done["Location"] == f"/c/{drill_centre.slug}/drill/"  # the control page
    assert drill_centre.needs.count() == start


def test_a_real_centres_administrator_may_not_reset_it(client):
    real = factories.make_centre()
    admin = factories.make_user(Role.ADMIN, real)
    factories.make_need(real)
    client.force_login(admin)
    assert client.post(f"/c/{real.slug}/drill/reset/", {"confirm": "reset"}).status_code == 403
    assert real.needs.count() == 1


def test_a_drill_whose_scenario_file_is_gone_is_told_not_wiped(drill_client, drill_centre, drill_admin):
    """A scenario file removed or broken since the opening: the reset and the run say so, nothing is written
    (both answered 500 before)."""
    Drill.objects.filter(centre=drill_centre).update(scenario="removed-since")
    before = dump(drill_centre)
    reset = drill_client.post(f"/c/{drill_centre.slug}/drill/reset/", {"confirm": "reset"}, follow=True)
    assert reset.status_code == 200 and "シナリオファイルが読み込めない" in reset.content.decode()
    started = drill_client.post(f"/c/{drill_centre.slug}/drill/run/", {"action": "start"}, follow=True)
    assert started.status_code == 200 and "シナリオファイルが読み込めません" in started.content.decode()
    assert dump(drill_centre) == before
    assert Drill.objects.get(centre=drill_centre).status == Drill.Status.READY
