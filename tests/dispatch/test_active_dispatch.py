""""The active dispatch of a need" (and of a team) is one manager method, asked by every page and rule."""
import re
from pathlib import Path

import pytest

from ops.dispatch.models import Team
from ops.dispatch.services import cancel_dispatch, dispatch, file_return_report
from tests.dispatch.conftest import make_ready_need, make_team

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_active_is_out_now_and_counted_is_everything_but_a_cancelled_dispatch(centre):
    need = make_ready_need(centre, people_needed=9)
    out, back, mistaken = (dispatch(make_team(centre, n), need) for n in (2, 3, 4))
    file_return_report(back, outcome="continue", people=3, hours=2)
    cancel_dispatch(mistaken, reason="班を間違えた")
    assert list(need.dispatches.active()) == [out] and need.dispatches.active().people() == 2
    assert set(need.dispatches.counted()) == {out, back} and need.dispatches.counted().people() == 5
    teams = {t.pk: t for t in Team.objects.with_active_dispatch()}
    assert teams[out.team_id].active_dispatch == out
    assert teams[back.team_id].active_dispatch is None and teams[mistaken.team_id].active_dispatch is None
    assert Team.objects.get(pk=out.team_id).active_dispatch == out  # without the prefetch: one query


SPELLED_OUT = re.compile(r"(filter|exclude)\([^)]*\bstatus\s*=\s*(Dispatch\.Status\.|[\"']active[\"'])")


def test_no_page_or_rule_spells_out_the_active_dispatch_again():
    offenders = []
    for folder in ("ops", "api", "mapping", "dvc"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts or path.relative_to(ROOT).as_posix() == "ops/dispatch/models/teams.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if SPELLED_OUT.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "use Dispatch.objects.active() / .counted() (need.dispatches.active() ...)"
