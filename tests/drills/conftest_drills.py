"""Fixtures of the drills' marking, real-figures and reset tests: a drill centre opened as a drill is (a practice
disaster, the centre through open_centre, its Drill row, the scenario's starting point written), and a dump of every
row of a centre to compare before and after.

The starting point is written by `ops.drills.scenario.set_up` (the run's part). Where that module is not there yet,
a stand-in writes a base and a need through the real services, so the reset is tested against the same contract."""
import sys
import types
from datetime import date

import pytest
from django.contrib.admin.utils import NestedObjects
from django.db import models

from ops.centres.bases import save_base
from ops.centres.models import AuditEntry, Centre, Disaster, Event, Role
from ops.centres.opening import open_centre
from ops.drills.models import Drill
from ops.needs.services.intake import record_need
from tests import factories

STAND_IN_SCENARIO = "stand_in"


def _stand_in_module():
    def load(name):
        return types.SimpleNamespace(name=name)

    def set_up(centre, scenario):
        save_base(centre, name="第2サテライト", kind="satellite", address="テスト市東1-1", lat=36.66, lng=138.19,
                  daily_capacity=40)
        record_need(centre=centre, requester_name="訓練 太郎", requester_kana="クンレン タロウ",
                    phone="090-0000-0001", address="テスト市中央1-2-3", district="中央",
                    received_at=centre.at(centre.today(), centre.activity_start))

    module = types.ModuleType("ops.drills.scenario")
    module.load, module.set_up, module.available = load, set_up, lambda: [STAND_IN_SCENARIO]
    return module


@pytest.fixture
def scenario_module(monkeypatch):
    """The real ops.drills.scenario when it is there; else the stand-in, for this test only."""
    try:
        from ops.drills import scenario

        return scenario
    except ImportError:
        import ops.drills

        module = _stand_in_module()
        monkeypatch.setitem(sys.modules, "ops.drills.scenario", module)
        monkeypatch.setattr(ops.drills, "scenario", module, raising=False)
        return module


def scenario_name(module) -> str:
    names = list(module.available())
    return next((n for n in names if "tiny" in n or "test" in n), names[0])


def open_drill_centre(module, *, by, council=None, slug="kunren", prefecture="長野県") -> Centre:
    """A drill centre as the opening makes one: its own practice disaster, open_centre, open, its Drill, set_up."""
    disaster = Disaster.objects.create(name="訓練: テスト", prefecture=prefecture, started_on=date(2026, 7, 1),
                                       drill=True)
    centre = {"name": "訓練センター", "slug": slug, "prefecture": prefecture, "municipality": "テスト市",
              "address": "テスト市中央1-1", "phone": "026-000-0000", "lat": 36.65, "lng": 138.18}
    if council is not None:
        centre["council"] = council
    opened = open_centre(disaster=disaster, centre=centre, by=by)
    Centre.objects.filter(pk=opened.pk).update(status=Centre.Status.OPEN, opened_on=date(2026, 7, 1))
    opened.refresh_from_db()
    name = scenario_name(module)
    Drill.objects.create(centre=opened, scenario=name, opened_by=by)
    module.set_up(opened, module.load(name))
    return Centre.objects.select_related("disaster").get(pk=opened.pk)


@pytest.fixture
def drill_admin(db):
    return factories.make_user(username="drill-admin")


@pytest.fixture
def drill_centre(scenario_module, drill_admin):
    return open_drill_centre(scenario_module, by=drill_admin)


@pytest.fixture
def drill_client(client, drill_centre, drill_admin):
    assert drill_centre.memberships.filter(user=drill_admin, role=Role.ADMIN).exists()
    client.force_login(drill_admin)
    return client


# --- a dump of every row of a centre: natural keys, no ids, no timestamps, no random tokens ------------------
LOGS = (Event, AuditEntry)  # the boards' log and the trail: they record the reset, they are not its state


def _scalar(field, value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _skipped(field) -> bool:
    return (field.primary_key or isinstance(field, models.DateTimeField | models.DurationField)
            or callable(field.default) and field.default is not dict and field.default is not list
            or any(word in field.name for word in ("token", "secret", "message_id", "_seq", "public_changed")))


def natural(obj, depth=0) -> tuple:
    """The row as its values: each foreign key as the row it points to (to two levels), never an id."""
    if obj is None:
        return None
    out = [obj._meta.label]
    for field in obj._meta.concrete_fields:
        if _skipped(field):
            continue
        if field.is_relation:
            target = getattr(obj, field.name)
            out.append((field.name, natural(target, depth + 1) if depth < 1 else getattr(target, "pk", None) and
                        target._meta.label))
        else:
            out.append((field.name, _scalar(field, getattr(obj, field.attname))))
    for field in obj._meta.many_to_many:
        if depth < 1:
            out.append((field.name, sorted(repr(natural(t, depth + 1)) for t in getattr(obj, field.name).all())))
    return tuple(out)


def dump(centre: Centre) -> list[str]:
    """Every row that goes with the centre (the ORM's own collection, as a delete would find them), with the centre
    itself and the volunteers registered at it, sorted."""
    from ops.volunteers.models import Volunteer

    collector = NestedObjects(using="default")
    collector.collect([Centre.objects.get(pk=centre.pk)])
    rows = [obj for model, objs in collector.data.items() if not issubclass(model, LOGS) for obj in objs]
    rows += list(Volunteer.objects.filter(registered_centre=centre))
    return sorted(repr(natural(obj)) for obj in rows)
