"""Fixtures of the drills' marking, real-figures and reset tests: a drill centre opened as a drill is (a practice
disaster, the centre through open_centre, its Drill row, the scenario's starting point written), and a dump of every
row of a centre to compare before and after.

The starting point is the real one: `ops.drills.opening.open_drill` writes it with `ops.drills.scenario.set_up`."""

import pytest
from django.contrib.admin.utils import NestedObjects
from django.db import models

from ops.centres.models import AuditEntry, Centre, Event, Role
from ops.drills.opening import open_drill
from tests import factories

SCENARIO = "morning_rush"  # a shipped day whose starting point has bases, tools, supplies and open needs


def open_drill_centre(*, by, home=None, slug="kunren", scenario=SCENARIO) -> Centre:
    """A drill centre opened as 「訓練を開設する」 opens one (ops.drills.opening.open_drill): its own practice
    disaster, open, its Drill READY, the scenario's starting point written; with `home` (where `by` is 管理者) at
    home's council and place, with home's staff in their roles."""
    opened = open_drill(scenario=scenario, by=by, staff_from=home, slug=slug)
    return Centre.objects.select_related("disaster").get(pk=opened.pk)


@pytest.fixture
def drill_admin(db):
    return factories.make_user(username="drill-admin")


@pytest.fixture
def drill_centre(drill_admin):
    return open_drill_centre(by=drill_admin)


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
