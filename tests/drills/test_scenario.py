# ruff: noqa: F811  (the fixtures imported from conftest_run are the tests' arguments)
"""Scenario files: the shipped ones load and say what a drill designer wrote; a bad file's error names the entry;
the starting point is written the same way every time; opening a drill makes a practice disaster and centre."""
import pytest
from django.core.exceptions import ValidationError

from ops.centres.models import Centre, Membership, Role
from ops.drills import scenario
from ops.drills.opening import open_drill
from tests.drills.conftest_run import home, scenario_dir, tiny_drill  # noqa: F401

SHIPPED = ("morning_rush", "heavy_rain", "hidden_crisis", "satellite")


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_scenario_loads_with_fictional_phones_and_no_mail(name):
    loaded = scenario.load(name)
    assert loaded.title and loaded.title_en and loaded.timeline
    assert [e.index for e in loaded.timeline] == list(range(len(loaded.timeline)))
    assert [e.at for e in loaded.timeline] == sorted(e.at for e in loaded.timeline)
    assert all(0 <= e.at <= loaded.length for e in loaded.timeline)
    for entry in loaded.timeline:
        assert "email" not in entry.detail
        if "phone" in entry.detail:
            assert scenario.FICTIONAL_PHONE.match(entry.detail["phone"]), entry
    people = [e.detail["phone"] for e in loaded.timeline if e.kind == "arrival"]
    assert len(people) == len(set(people))


def test_the_shipped_scenarios_are_the_days_the_issue_asks_for():
    heads = sum(e.detail.get("count", 1) if e.detail.get("group") else 1
                for e in scenario.load("morning_rush").timeline if e.kind == "arrival")
    assert heads == 300
    crisis = scenario.load("hidden_crisis").timeline
    assert len([e for e in crisis if e.kind == "call"]) == 80
    assert len([e for e in crisis if e.detail.get("crisis")]) == 3
    assert any(e.detail.get("expect") == "suspend" for e in scenario.load("heavy_rain").timeline)
    assert any(e.detail.get("expect") == "open_satellite" for e in scenario.load("satellite").timeline)
    assert {s.name for s in scenario.available()} >= set(SHIPPED)


def test_loading_is_deterministic():
    assert scenario.load("hidden_crisis").timeline == scenario.load("hidden_crisis").timeline


@pytest.mark.parametrize(("change", "words"), [
    (lambda t: t.replace('kind = "inject"', 'kind = "earthquake"'), "timeline[6] (08:08, earthquake): unknown kind"),
    (lambda t: t.replace('phone = "080-0000-8002"', 'phone = "090-1234-5678"'), "timeline[2] (08:03, call): 'phone'"),
    (lambda t: t.replace('at = "08:05"', 'at = "9:99"'), "timeline[4] (9:99, web_request) at"),
    (lambda t: t.replace('at = "08:07"', 'at = "10:00"'), "timeline[5] (10:00, team_return): 'at' is outside"),
    (lambda t: t.replace('count = 2\nover = 2', 'count = "two"'), "timeline[0] (08:00, arrivals): 'count'"),
    (lambda t: t.replace('title = "小さな訓練"', ''), "'title' is missing"),
    (lambda t: t + "\n[[timeline", "bad.toml"),
])
def test_a_bad_file_is_refused_with_the_entry_named(scenario_dir, change, words):
    from tests.drills.conftest_run import TINY

    (scenario_dir / "bad.toml").write_text(change(TINY), encoding="utf-8")
    with pytest.raises(scenario.ScenarioError) as refused:
        scenario.load("bad")
    assert words in str(refused.value)
    assert "bad" not in {s.name for s in scenario.available()}


def test_no_file_outside_the_directories_is_read():
    for name in ("../settings", "/etc/passwd", "", "UPPER", "a" * 61):
        with pytest.raises(scenario.ScenarioError):
            scenario.load(name)


def starting_point(centre) -> dict:
    """What set_up wrote, by natural keys (no pks, no times)."""
    from ops.dispatch.models import Consumable, EquipmentKind

    return {
        "centre": Centre.objects.filter(pk=centre.pk).values(
            "status", "recruitment_status", "recruitment_scope", "daily_capacity", "notice", "what_to_bring").get(),
        "bases": list(centre.bases.order_by("pk").values_list("name", "kind", "daily_capacity")),
        "tools": list(EquipmentKind.objects.filter(centre=centre).order_by("pk").values_list("name", "unit", "total")),
        "supplies": list(Consumable.objects.filter(centre=centre).order_by("pk").values_list("name", "unit")),
        "needs": [(n.number, n.requester_name, n.phone, n.address, n.status, round(n.lat - centre.lat, 6),
                   sorted(w.code for w in n.work_types.all())) for n in centre.needs.order_by("number")],
    }


@pytest.mark.django_db
def test_set_up_writes_the_same_starting_point_every_time(home):
    first = open_drill(scenario="morning_rush", by=home.admin, staff_from=home)
    second = open_drill(scenario="morning_rush", by=home.admin, staff_from=home)
    assert starting_point(first) == starting_point(second)
    point = starting_point(first)
    assert [b[0] for b in point["bases"]] == ["本部", "北サテライト"]
    assert len(point["needs"]) == 3 and point["tools"][0] == ("角スコップ", "本", 60)


@pytest.mark.django_db
def test_set_up_refuses_a_real_centre(home):
    with pytest.raises(scenario.ScenarioError):
        scenario.set_up(home, scenario.load("morning_rush"))
    assert not home.needs.exists()


def test_opening_a_drill_makes_a_practice_disaster_with_the_staff_in_their_roles(tiny_drill, home):
    centre = tiny_drill
    assert centre.is_drill and centre.disaster.name == "訓練: 小さな訓練"
    assert centre.status == Centre.Status.OPEN and centre.drill.status == "ready" and centre.drill.speed == 60
    assert centre not in Centre.objects.real() and home in Centre.objects.real()
    roles = set(Membership.objects.filter(centre=centre).values_list("user__username", "role"))
    expected = {(home.admin.username, Role.ADMIN)} | {(u.username, r) for r, u in home.staff.items()}
    assert roles == expected
    assert centre.needs.count() == 1 and centre.needs.get().phone == "080-0000-8001"


@pytest.mark.django_db
def test_opening_refuses_a_centre_the_opener_does_not_administer(home, other_centre):
    before = Centre.objects.count()
    with pytest.raises(ValidationError):
        open_drill(scenario="morning_rush", by=home.admin, staff_from=other_centre)
    with pytest.raises(ValidationError):
        open_drill(scenario="no-such", by=home.admin)
    assert Centre.objects.count() == before


@pytest.mark.django_db
def test_set_up_on_a_wiped_centre_writes_the_opening_again(tiny_drill):
    """What the reset relies on: with the centre's rows gone (as the reset leaves it), set_up writes the same
    starting point as at the opening, its 本部 and hours included."""
    from ops.centres.models import Base
    from ops.dispatch.models import EquipmentKind, EquipmentMovement
    from ops.needs.models import Need

    centre = tiny_drill
    opened = starting_point(centre)
    hours = Centre.objects.filter(pk=centre.pk).values_list("activity_start", "latest_return_time", "activity_end")
    assert [t.strftime("%H:%M") for t in hours.get()] == ["08:00", "08:09", "08:10"]
    Need.objects.filter(centre=centre).delete()
    EquipmentMovement.objects.filter(kind__centre=centre).delete()
    EquipmentKind.objects.filter(centre=centre).delete()
    Base.objects.filter(centre=centre).delete()
    Centre.objects.filter(pk=centre.pk).update(recruitment_status="none", notice="x")
    scenario.set_up(centre, scenario.load("tiny"))
    assert starting_point(centre) == opened
