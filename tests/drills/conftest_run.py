"""Fixtures of the drill's run tests: a tiny scenario of the test's own (DRILL_SCENARIO_DIRS), a real centre
whose administrator opens drills from it with its staff."""
from pathlib import Path

import pytest

from ops.centres.models import Role
from tests import factories

# Ten minutes of a centre's day: two volunteers and a group, a call, a walk-in, a web request, a team return, a
# 状況付与. At speed 600 the whole day is one real second.
TINY = """
title = "小さな訓練"
title_en = "A tiny drill"
day_start = "08:00"
day_end = "08:10"

[setup]
capacity = 50
latest_return = "08:09"
tools = [{ name = "角スコップ", count = 5, unit = "本" }]

[[setup.needs]]
caller = "佐藤 和子"
kana = "サトウ カズコ"
phone = "080-0000-8001"
address = "中央1-2-3"
district = "中央"
offset = [0.001, 0.002]
work = ["mud"]
people = 3
says = "床下の泥出し。"

[[timeline]]
at = "08:00"
kind = "arrivals"
count = 2
over = 2

[[timeline]]
at = "08:01"
kind = "arrival"
group = "テスト大学サークル"
leader = "宮下 拓海"
leader_kana = "ミヤシタ タクミ"
count = 5

[[timeline]]
at = "08:03"
kind = "call"
crisis = true
caller = "伊藤 清"
kana = "イトウ キヨシ"
phone = "080-0000-8002"
address = "若宮2-3-4"
district = "若宮"
work = ["furniture"]
says = "もう疲れた。片付けても仕方ない。"

[[timeline]]
at = "08:04"
kind = "walk_in"
caller = "荻原 キヨ"
kana = "オギワラ キヨ"
phone = "080-0000-8003"
address = "柳原1-1-1"
work = ["mud"]
says = "歩いて来ました。"

[[timeline]]
at = "08:05"
kind = "web_request"
caller = "竹内 美代子"
kana = "タケウチ ミヨコ"
phone = "070-0000-8004"
address = "北堤4-9-2"
work = ["mud", "cleaning"]
says = "床下の泥出しをお願いします。"

[[timeline]]
at = "08:07"
kind = "team_return"
teams = 2
after = 1
outcomes = ["completed"]
near_miss = "釘の出た板を踏みそうになった。"

[[timeline]]
at = "08:08"
kind = "inject"
text = "大雨警報が発表されました。"
text_en = "A heavy-rain warning has been issued."
expect = "suspend"
"""


def write_tiny(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "tiny.toml").write_text(TINY, encoding="utf-8")
    return directory


@pytest.fixture
def scenario_dir(tmp_path, settings):
    settings.DRILL_SCENARIO_DIRS = [str(write_tiny(tmp_path / "scenarios"))]
    return tmp_path / "scenarios"


@pytest.fixture
def home(db):
    """A real centre with an administrator and one of each staff role."""
    centre = factories.make_centre()
    centre.admin = factories.make_user(Role.ADMIN, centre)
    centre.staff = {role: factories.make_user(role, centre) for role in (Role.COORDINATOR, Role.INTAKE,
                                                                         Role.RECEPTION, Role.WELFARE)}
    return centre


@pytest.fixture
def tiny_drill(scenario_dir, home):
    from ops.drills.opening import open_drill

    return open_drill(scenario="tiny", by=home.admin, staff_from=home, speed=60)
