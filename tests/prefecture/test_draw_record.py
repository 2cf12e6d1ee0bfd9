"""The allocation's record: anyone can re-run the draw from the stored input and the seed."""
from datetime import timedelta

import pytest
from django.test import Client

from ops.prefecture.models import Application, Offering, PrefectureMembership
from ops.prefecture.services.allocation import allocate
from ops.prefecture.services.offerings import apply, cancel_application, open_offering
from tests.factories import make_centre, make_user, make_volunteer

pytestmark = pytest.mark.django_db


def drawn(n=12, places_n=5):
    centre = make_centre()
    offering = open_offering(centre, on=centre.today() + timedelta(days=2), places_n=places_n,
                             method=Offering.Method.DRAW)
    apps = [apply(make_volunteer(name=f"応募者の名前{i}"), offering) for i in range(n)]
    allocate(offering.pk)
    return centre, Offering.objects.get(pk=offering.pk), apps


def record(centre, offering):
    user = make_user()
    PrefectureMembership.objects.create(user=user, disaster=centre.disaster)
    client = Client()
    client.force_login(user)
    answer = client.get(f"/pref/{centre.disaster_id}/offerings/{offering.pk}/draw.csv")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    return answer.content.decode("utf-8-sig")


def test_the_record_re_runs_the_draw_and_every_row_matches():
    centre, offering, apps = drawn()
    assert offering.arrival_ids == [a.pk for a in apps]
    text = record(centre, offering)
    lines = [line.split(",") for line in text.splitlines()[1:13]]
    assert [int(line[1]) for line in lines] == [a.pk for a in apps]  # in order of arrival
    assert all(line[4] == "○" for line in lines)
    assert offering.seed in text and "応募者の名前" not in text


def test_a_cancellation_after_the_draw_changes_neither_its_input_nor_its_proof():
    centre, offering, apps = drawn()
    cancel_application(Application.objects.filter(offering=offering, status="allocated").first())
    text = record(centre, offering)
    assert "×" not in text


def test_a_rank_written_other_than_the_draw_says_so():
    centre, offering, apps = drawn()
    Application.objects.filter(pk=apps[0].pk).update(rank=999)
    assert "×" in record(centre, offering)


def test_no_record_before_the_allocation():
    centre = make_centre()
    offering = open_offering(centre, on=centre.today() + timedelta(days=2), places_n=3)
    user = make_user()
    PrefectureMembership.objects.create(user=user, disaster=centre.disaster)
    client = Client()
    client.force_login(user)
    assert client.get(f"/pref/{centre.disaster_id}/offerings/{offering.pk}/draw.csv").status_code == 404
