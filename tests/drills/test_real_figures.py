# ruff: noqa: F811  (the fixtures imported from conftest_drills are the tests' arguments)
"""A drill centre's rows never reach a real centre's figures: every surface that reads across centres or disasters
(the roll-up, the prefecture's overview and district needs, the council's page and feed, the public home and
documents, the API's lists, exports, the 日報, retention counts, a volunteer's history) reads the same before and
after a drill centre of the same council and prefecture is opened and played, a real volunteer checking in at it."""
import io
import json
import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from ops.centres import council_feed
from ops.centres.models import Centre, Council, Membership, Role
from ops.centres.services import centre_state
from ops.drills.models import Drill
from ops.needs.services.intake import record_need
from ops.permissions import prefecture_disasters
from ops.prefecture.models import PrefectureMembership
from ops.prefecture.selectors import district_needs, overview
from ops.reports.figures import daily_figures
from ops.reports.render import render_daily_html
from ops.reports.rollup import rollup_figures
from ops.volunteers.selectors import centres_served
from ops.volunteers.services.attendance import check_in
from tests import factories
from tests.drills.conftest_drills import open_drill_centre  # noqa: F401

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 7, 20, 12, 0).astimezone()

VOLATILE = re.compile(r'(csrfmiddlewaretoken" value="|"computed_at": "|"generated_at": ")[^"]*')


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode()
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return VOLATILE.sub(r"\1", value)


def _surfaces(client, *, real, disaster, council, volunteer, admin, pref, superuser) -> dict:
    """Every cross-centre reading, as text."""
    day = real.today()
    out = {
        "rollup": rollup_figures(disaster, day),
        "overview": overview(disaster, day),
        "district_needs": district_needs(disaster),
        "council_listed": [c.pk for c in council_feed.listed_centres(council)],
        "council_data": council_feed.council_data(council),
        "figures": daily_figures(real, day),
        "nippo_html": render_daily_html(daily_figures(real, day)),
        "served": [c.pk for c in centres_served(volunteer)],
        "superuser_prefecture": [d.pk for d in prefecture_disasters(superuser)],
        "real_centres": [c.pk for c in Centre.objects.real()],
    }
    retention = io.StringIO()
    call_command("erase_personal_data", "--dry-run", "--days", "0", stdout=retention)
    out["retention"] = retention.getvalue()
    pages = {"public_home": (None, "/"), "council_page": (None, f"/council/{council.slug}/"),
             "council_json": (None, f"/council/{council.slug}/info.json"),
             "api_council": (None, f"/api/v1/public/councils/{council.slug}/"),
             "api_status": (None, f"/api/v1/public/centres/{real.slug}/status/"),
             "public_board": (None, f"/p/{real.slug}/"),
             "api_figures": (admin, f"/api/v1/centres/{real.slug}/figures/?date={day}"),
             "export_volunteers": (admin, f"/c/{real.slug}/exports/volunteers/?format=csv"),
             "export_attendance": (admin, f"/c/{real.slug}/exports/attendances/?format=csv"),
             "export_needs": (admin, f"/c/{real.slug}/exports/needs/?format=csv"),
             "pref_overview": (pref, f"/pref/{disaster.pk}/"),
             "pref_figures": (pref, f"/pref/{disaster.pk}/figures.json"),
             "pref_districts": (pref, f"/pref/{disaster.pk}/map/districts.json"),
             "superuser_home": (superuser, "/")}
    for name, (user, url) in pages.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        body = b"".join(response) if response.streaming else response.content
        out[name] = response.get("Content-Disposition", "") + "\n" + body.decode("utf-8-sig").replace("><", ">\n<")
    # The admin's own list of centres: a drill they were given a role at (the opening copies the council's staff)
    # is theirs to see, marked `drill` (the next test); the real centres in it must read the same.
    client.force_login(admin)
    out["api_centres"] = [c for c in client.get("/api/v1/centres/").json() if not c["drill"]]
    return {name: _text(value) for name, value in out.items()}


def test_a_drill_centre_leaves_every_real_surface_unchanged(client):
    with time_machine.travel(NOON, tick=False):
        council = Council.objects.create(slug="test-shakyo", name="テスト市社会福祉協議会", prefecture="長野県")
        real = factories.make_centre(council=council, opened_on=NOON.date() - timedelta(days=3))
        disaster = real.disaster
        admin = factories.make_user(Role.ADMIN, real)
        pref = factories.make_user(username="pref-staff")
        PrefectureMembership.objects.create(disaster=disaster, user=pref)
        superuser = factories.make_user(username="root", is_superuser=True, is_staff=True)
        volunteer = factories.make_volunteer(registered_centre=real)
        check_in(volunteer, real, on=real.today(), health={"no_fever": True}, insurance_confirmed=True)
        record_need(centre=real, by=admin, requester_name="本物 花子", requester_kana="ホンモノ ハナコ",
                    phone="090-1111-0001", address="テスト市中央1-1", district="中央", lat=36.651, lng=138.181)
        kwargs = {"real": real, "disaster": disaster, "council": council, "volunteer": volunteer, "admin": admin,
                  "pref": pref, "superuser": superuser}
        before = _surfaces(client, **kwargs)

        # a drill of the same council and prefecture, played: calls, arrivals, the real volunteer among them
        opener = factories.make_user(username="drill-opener")
        Membership.objects.create(user=opener, centre=real, role=Role.ADMIN)  # the council's 管理者 opens it
        drill = open_drill_centre(by=opener, home=real, slug="kunren-same")
        for i in range(3):
            record_need(centre=drill, by=opener, requester_name="訓練 次郎", requester_kana="クンレン ジロウ",
                        phone=f"090-2222-000{i}", address="テスト市中央1-2", district="中央",
                        lat=36.652, lng=138.182)
        for person in [volunteer, *(factories.make_volunteer(registered_centre=drill) for _ in range(2))]:
            check_in(person, drill, on=drill.today(), health={"no_fever": True}, insurance_confirmed=True)
        after_open = _surfaces(client, **kwargs)  # open: listed wherever centres are listed, were it not a drill's
        Centre.objects.filter(pk=drill.pk).update(status=Centre.Status.CLOSED, closed_on=NOON.date() - timedelta(
            days=400))  # closed long ago: a retention count, were it not a drill's

        after = _surfaces(client, **kwargs)
    assert Drill.objects.filter(centre=drill).exists()
    changed = [name for name in before if before[name] != after[name] or before[name] != after_open[name]]
    assert changed == [], changed


def test_a_drill_centre_is_marked_where_its_own_staff_list_it(client):
    opener = factories.make_user(username="drill-lister")
    real = factories.make_centre()
    Membership.objects.create(user=opener, centre=real, role=Role.ADMIN)
    drill = open_drill_centre(by=opener, home=real, slug="kunren-list")
    client.force_login(opener)
    home = client.get("/").content.decode()
    assert '<span class="drill-badge">訓練</span>' in home.split(drill.name)[1][:60]
    listed = client.get("/api/v1/centres/").json()
    assert {c["slug"]: c["drill"] for c in listed} == {real.slug: False, drill.slug: True}
    assert centre_state(drill)["drill"] is True and centre_state(real)["drill"] is False
