"""A site's warnings are one fact on the need (Need.site_warnings): what intake and the survey wrote, and
every near miss an earlier team reported there, dated and with the team. The next team's slip, its printed
copy and the staff need page all show it."""
from datetime import timedelta

import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.dispatch.models import Dispatch
from ops.dispatch.services import dispatch, file_return_report
from tests.dispatch.conftest import make_ready_need, make_team

pytestmark = pytest.mark.django_db

NEAR_MISS = "台所の床板が抜けかけた"


@pytest.fixture
def worked_need(centre):
    """A need with a hazard from intake, worked yesterday by a team that reported a near miss."""
    need = make_ready_need(centre, people_needed=3, hazards="裏の斜面に近づかない")
    first = dispatch(make_team(centre, 2), need)
    file_return_report(first, outcome="continue", people=2, hours=3, near_miss=NEAR_MISS)
    Dispatch.objects.filter(pk=first.pk).update(date=first.date - timedelta(days=1))
    first.refresh_from_db()
    return need, first


def test_the_need_knows_its_hazards_and_every_near_miss_reported_there(worked_need, centre):
    need, first = worked_need
    other = make_ready_need(centre)
    file_return_report(dispatch(make_team(centre, 1), other), outcome="completed", people=1, hours=1,
                       near_miss="別の家のこと")
    warnings = need.site_warnings()
    assert [(w.text, w.day, w.team) for w in warnings] == [
        ("裏の斜面に近づかない", None, ""), (NEAR_MISS, first.date, first.team.label)]


def test_a_near_miss_reaches_the_next_teams_slip_for_the_same_house(client, worked_need, centre):
    need, first = worked_need
    second = dispatch(make_team(centre, 2), need)
    day = f"{first.date.month}/{first.date.day}"
    for name in ("dispatch:slip", "dispatch:slip_print"):
        page = client.get(reverse(name, kwargs={"token": second.slip_token})).content.decode()
        warnings = page.split('class="hazards"', 1)[1].split("</dd>", 1)[0]
        assert "裏の斜面に近づかない" in warnings, name
        assert NEAR_MISS in warnings and day in warnings and first.team.label in warnings, name


def test_the_staff_need_page_shows_near_misses_with_the_hazards(client_as, worked_need, centre):
    need, first = worked_need
    url = reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk})
    page = client_as(Role.COORDINATOR).get(url).content.decode()
    hazards = page.split('id="site-warnings"', 1)[1].split("</dd>", 1)[0]
    assert "裏の斜面に近づかない" in hazards and NEAR_MISS in hazards and first.team.label in hazards
    # A viewer never reads the team's free text.
    assert NEAR_MISS not in client_as(Role.VIEWER).get(url).content.decode()
