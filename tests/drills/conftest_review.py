"""A drill centre for the review's tests, opened as a drill is (a drill Disaster and its centre through
ops.centres.opening.open_centre), with staff in the roles the scripted day needs."""
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from ops.centres.models import Centre, Membership, Role
from ops.centres.opening import open_centre
from ops.drills.models import Cue, Drill
from tests import factories

TOKYO = ZoneInfo("Asia/Tokyo")
T0 = datetime(2026, 7, 20, 9, 0, tzinfo=TOKYO)  # the drill starts: a Monday morning
SPEED = 6


def open_drill_centre(slug="drill-review", *, admin=None):
    """The drill's centre, open, with `admin` (made if None) as its 管理者."""
    factories.ensure_work_types()
    admin = admin or factories.make_user()
    centre = open_centre(
        disaster={"name": "訓練: テスト", "prefecture": "長野県", "started_on": date(2026, 7, 1), "drill": True},
        centre={"name": "訓練センター", "slug": slug, "municipality": "テスト市", "prefecture": "長野県",
                "lat": 36.65, "lng": 138.18, "latest_return_time": time(23, 0)},
        by=admin)
    Centre.objects.filter(pk=centre.pk).update(status=Centre.Status.OPEN)
    centre.refresh_from_db()
    return centre


def staff(centre, role):
    user = factories.make_user()
    Membership.objects.create(user=user, centre=centre, role=role)
    return user


def make_drill(centre, *, started_at=T0, speed=SPEED, scenario="scripted"):
    """The run, as a drill of `scenario` ("scripted": no file; the test writes the cues)."""
    return Drill.objects.create(centre=centre, scenario=scenario, speed=speed, status=Drill.Status.RUNNING,
                                started_at=started_at)


def cue(drill, index, kind, *, played_at, at="", **detail):
    """A played timeline entry as the player writes it (the detail is the entry as written in the file)."""
    return Cue.objects.create(drill=drill, index=index, kind=kind, played_at=played_at,
                              at_seconds=round((played_at - drill.started_at).total_seconds() * drill.speed),
                              detail={"kind": kind, "at": at, **detail})


def drill_centre_of(world):
    """The security tests' drill centre: the world's staff in the same roles at a drill centre of their own,
    made with the world (tests/security/conftest.py build_world)."""
    cached = world.extra.get("drill_review_centre")
    if cached is not None and Centre.objects.filter(pk=cached.pk).exists():
        return cached
    centre = open_drill_centre(slug="drill-matrix", admin=world.users[Role.ADMIN])
    for role, user in world.users.items():
        # Not intake's user: the matrix deactivates them, which a second centre refuses (intake reads no review).
        if role in Role.values and role not in (Role.ADMIN, Role.PARTNER, Role.INTAKE):
            Membership.objects.create(user=user, centre=centre, role=role)
    make_drill(centre, started_at=T0, scenario="morning_rush")  # a shipped file: the run and the reset work
    world.extra["drill_review_centre"] = centre
    return centre
