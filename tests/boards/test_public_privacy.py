"""No personal field ever reaches the public board: not its socket, not its page, not its JSON."""
import asyncio
import json

import pytest
import websockets

from ops.centres.models import Role
from tests import factories
from tests.boards.conftest import get_json, get_text, run_async, run_in_other_process, session_cookie, ws_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SECRETS = {
    "requester_name": "秘密山ヒミツ太郎", "requester_kana": "ヒミツヤマタロウZZ", "phone": "090-7777-3141",
    "address": "極秘市内緒町9-8-7", "description": "裏庭の金庫の番号は4321", "hazards": "犬が非常に怖いQX",
    "notes": "家族構成メモPRV",
}
VOLUNTEER_SECRETS = {"name": "個人情報花子QQ", "kana": "コジンジョウホウハナコQQ", "phone": "080-2718-2818",
                     "email": "hanako.private@example.jp", "emergency_name": "緊急連絡人ZZ",
                     "emergency_phone": "070-1414-2135", "city": "秘匿村ZZ"}

# Every kind of event the services emit, built the way they build them (ops.<app>.state), with deltas.
ALL_KINDS = """
from datetime import timedelta
from django.utils import timezone
from ops.centres import services
from ops.dispatch.models import Dispatch, Team
from ops.dispatch.state import team_state
from ops.needs.models import Need
from ops.needs.state import need_state
from ops.volunteers.models import Attendance
from ops.volunteers.state import attendance_state
need = Need.objects.get(centre=centre)
attendance = Attendance.objects.get(centre=centre)
team = Team.objects.create(centre=centre, date=timezone.localdate(), number=1, leader=attendance,
                           expected_return_at=timezone.now() + timedelta(hours=3))
attendance.team = team
attendance.save()
events.emit(centre, "need.created", {"need": need_state(need)}, public={"needs_received": 1})
events.emit(centre, "need.changed", {"need": need_state(need)})
events.emit(centre, "attendance.checked_in", {"attendance": attendance_state(attendance)},
            public={"volunteers_today": 1})
events.emit(centre, "team.formed", {"team": team_state(team)})
events.emit(centre, "team.ready", {"team": team_state(team)})
events.emit(centre, "team.tools", {"team": team_state(team), "kind_id": 1, "lent": 2})
events.emit(centre, "dispatch.created", {"team": team_state(team, need_id=need.pk), "need": need_state(need),
                                         "dispatch": {"id": 1, "people": 1}})
events.emit(centre, "dispatch.arrived", {"team": team_state(team, need_id=need.pk), "need": need_state(need)})
events.emit(centre, "dispatch.returned", {"team": team_state(team), "need": need_state(need),
                                          "dispatch": {"id": 1, "outcome": "completed", "people": 1}},
            public={"needs_completed": 1})
events.emit(centre, "attendance.checked_out", {"attendance": attendance_state(attendance)})
events.emit(centre, "dispatch.cancelled", {"team": team_state(team), "need": need_state(need),
                                           "dispatch": {"id": 2}})
events.emit(centre, "team.disbanded", {"team": team_state(team)})
events.emit(centre, "booking.saved", {"booking": {"id": 1, "date": "2030-01-01"}},
            public={"booked": {"2030-01-01": 1}})
events.emit(centre, "booking.cancelled", {"booking": {"id": 1, "date": "2030-01-01"}},
            public={"booked": {"2030-01-01": -1}})
# 三者連携 (the boards' part of issue 23): a job offered and accepted through the real services
from ops.partners import services as partners
org = partners.save_organisation(centre, by=None, name="屋根の協力団体", capabilities=["roof"],
                                 contact_name="団体担当者ZZ", phone="03-5555-0199", email="roof.secret@example.jp",
                                 notes="団体メモPRV")
job = partners.offer(need, org, by=None, note="依頼メモSECRETZZ")
partners.accept(job, by=None)
services.set_recruitment(centre, status="prereg_only", scope="national", capacity=77)
services.set_notices(centre, notice="本日は雨天のため午前のみ", what_to_bring="雨具")
services.set_status(centre, status="preparing")
"""
EVENT_COUNT = (ALL_KINDS.count("events.emit(") + ALL_KINDS.count("services.set_")
               + ALL_KINDS.count("partners.offer(") + ALL_KINDS.count("partners.accept("))
PARTNER_SECRETS = ("団体担当者ZZ", "03-5555-0199", "roof.secret@example.jp", "団体メモPRV", "依頼メモSECRETZZ")


def test_nothing_personal_reaches_the_public_socket_page_or_json(stack):
    centre = factories.make_centre()
    factories.make_need(centre, **SECRETS)
    volunteer = factories.make_volunteer(**VOLUNTEER_SECRETS)
    factories.make_attendance(centre, volunteer)
    staff_cookie = session_cookie(factories.make_user(Role.ADMIN, centre))
    public_base = f"{stack.server_url}/p/{centre.slug}"

    async def capture():
        async with websockets.connect(ws_url(stack.server_url, f"/ws/p/{centre.slug}/board/"),
                                      additional_headers={"Origin": stack.server_url}) as public, \
                websockets.connect(ws_url(stack.server_url, f"/ws/c/{centre.slug}/board/"),
                                   additional_headers={"Origin": stack.server_url, "Cookie": staff_cookie}) as staff:
            await asyncio.to_thread(run_in_other_process, stack.env(), centre, ALL_KINDS)
            public_frames = [await asyncio.wait_for(public.recv(), timeout=10) for _ in range(EVENT_COUNT)]
            staff_frames = [await asyncio.wait_for(staff.recv(), timeout=10) for _ in range(EVENT_COUNT)]
            return public_frames, staff_frames

    public_frames, staff_frames = run_async(capture())
    captured = {
        "socket": "\n".join(public_frames),
        "page": get_text(public_base + "/"),
        "board.json": json.dumps(get_json(public_base + "/board.json")[1], ensure_ascii=False),
        "events.json": json.dumps(get_json(public_base + "/events.json?since=0")[1], ensure_ascii=False),
    }

    # The capture is real: the public side saw every event and the live figures moved.
    public_events = [json.loads(f) for f in public_frames]
    assert [e["seq"] for e in public_events] == list(range(1, EVENT_COUNT + 1))
    assert {e["kind"] for e in public_events} >= {"tick", "attendance.checked_in", "centre.changed"}
    assert "本日は雨天のため午前のみ" in captured["page"] and "準備中" in captured["page"]
    # ...and the staff socket did carry the entity states the public one must not.
    assert any('"need"' in f for f in staff_frames)

    for where, text in captured.items():
        for secret in [*SECRETS.values(), *VOLUNTEER_SECRETS.values()]:
            assert secret not in text, f"{secret!r} leaked on the public {where}"
        assert '"need"' not in text and '"attendance"' not in text and '"team"' not in text, where
        assert '"job"' not in text and "屋根の協力団体" not in text, where  # nothing of partner jobs
        for secret in PARTNER_SECRETS:
            assert secret not in text, f"{secret!r} leaked on the public {where}"
    # Staff boards get states, still never personal data (ops.<app>.state).
    for secret in [*SECRETS.values(), *VOLUNTEER_SECRETS.values(), *PARTNER_SECRETS]:
        assert secret not in "\n".join(staff_frames)
    assert any('"partner.changed"' in f and "屋根の協力団体" in f for f in staff_frames)
