"""`make run`'s demo (ops.centres.demo, seed_demo) shows 三者連携: the partner organisations the season
registers, the login `partner` of the technical NPO printed with the other demo logins, and jobs routed to
the organisations, each login seeing only its own organisation's."""
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from ops.centres import demo
from ops.centres.models import Centre, Membership, Role
from ops.partners.models import Organisation, PartnerJob
from ops.permissions import may_see_job, partner_organisations
from ops.season import cast

pytestmark = [pytest.mark.django_db, pytest.mark.pg, pytest.mark.timeout(600)]

NOW = datetime(2026, 7, 24, 11, 30, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture
def seeded(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr(demo, "SEASON_DAYS", 3)  # a shorter season than make run's: the same steps
    out = io.StringIO()
    with time_machine.travel(NOW, tick=True):
        call_command("seed_demo", stdout=out)
    return Centre.objects.get(slug="demo"), out.getvalue()


def test_the_demo_has_the_organisations_and_prints_the_login_of_the_npo(seeded):
    centre, printed = seeded
    names = list(Organisation.objects.filter(centre=centre).order_by("pk").values_list("name", flat=True))
    assert names == [row[0] for row in cast.ORGANISATIONS]
    assert f"partner    / {demo.DEMO_PASSWORD}  ({Role.PARTNER.label}: {names[0]})" in printed
    partner = Membership.objects.get(centre=centre, user__username="partner").user
    assert partner.check_password(demo.DEMO_PASSWORD)
    assert Membership.objects.get(centre=centre, user=partner).role == Role.PARTNER
    assert [o.name for o in partner_organisations(partner, centre)] == [names[0]]


def test_the_demo_partner_sees_only_its_organisations_jobs_and_seeding_again_adds_nothing(seeded):
    centre, _printed = seeded
    partner = Membership.objects.get(centre=centre, user__username="partner").user
    jobs = list(PartnerJob.objects.filter(centre=centre))
    mine = set(PartnerJob.objects.filter(organisation__in=partner_organisations(partner, centre)))
    assert mine and {job for job in jobs if may_see_job(partner, job)} == mine
    with time_machine.travel(NOW, tick=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert Organisation.objects.filter(centre=centre).count() == len(cast.ORGANISATIONS)
    npo = Organisation.objects.filter(centre=centre).order_by("pk").first()
    assert list(npo.users.values_list("username", flat=True)) == ["partner"]
    assert PartnerJob.objects.filter(centre=centre).count() == len(jobs)
