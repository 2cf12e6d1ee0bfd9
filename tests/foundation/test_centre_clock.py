"""The centre's clock is the centre's: every "today", "now" and day boundary is asked of Centre, in the
centre's own zone, whatever zone the site runs in (settings.TIME_ZONE)."""
import re
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from harness.stack import ROOT
from ops.centres.models import Centre
from ops.volunteers.certificate import certificate_context
from tests import factories

# 20:00 UTC on 20 July is 05:00 on the 21st in Tokyo (the site's zone) and 10:00 on the 20th in Honolulu.
MOMENT = datetime(2026, 7, 20, 20, 0, tzinfo=ZoneInfo("UTC"))


def test_the_centres_today_is_its_own_calendar_day():
    centre = Centre(timezone="Pacific/Honolulu")
    with time_machine.travel(MOMENT, tick=False):
        assert centre.today() == date(2026, 7, 20)
        assert Centre(timezone="Asia/Tokyo").today() == date(2026, 7, 21)
        start, end = centre.day_bounds(date(2026, 7, 20))
        assert start <= centre.now() < end
        assert centre.latest_return_at(date(2026, 7, 20)) == datetime(2026, 7, 20, 15, 30,
                                                                      tzinfo=ZoneInfo("Pacific/Honolulu"))
        assert centre.at(date(2026, 7, 20), time(8, 30)).utcoffset().total_seconds() == -10 * 3600


@pytest.mark.django_db
def test_the_certificate_is_issued_on_the_centres_today_not_the_sites():
    centre = factories.make_centre(timezone="Pacific/Honolulu")
    volunteer = factories.make_volunteer()
    with time_machine.travel(MOMENT, tick=False):
        assert certificate_context(volunteer, centre)["issued_on"] == date(2026, 7, 20)


def test_no_module_works_out_a_centres_day_by_itself():
    """One home: ops/centres/models/centre.py. A ZoneInfo built from a centre, a typed zone or the site's localdate()
    elsewhere is a second clock that can disagree with it."""
    offenders = []
    pattern = re.compile(r"ZoneInfo\(\s*(centre|self\.centre|c|tz)\b|\"Asia/Tokyo\"|timezone\.localdate\(\)")
    for path in [*ROOT.glob("ops/**/*.py"), *ROOT.glob("api/**/*.py"), *ROOT.glob("mapping/**/*.py")]:
        if "migrations" in path.parts or path == ROOT / "ops/centres/models/centre.py":
            continue
        text = Path(path).read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    # The retention sweep counts volunteers, who belong to no one centre, by the site's own day.
    assert offenders == ["ops/centres/management/commands/erase_personal_data.py: timezone.localdate()"]
