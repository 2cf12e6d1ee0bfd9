"""The demo's prefecture level (ops.season.prefecture), played through the services."""
import pytest
from django.contrib.auth import get_user_model

from ops.permissions import may_run_prefecture
from ops.prefecture.models import Application, Offering
from ops.season.prefecture import seed_prefecture
from tests.factories import make_centre

pytestmark = pytest.mark.django_db


def test_the_demo_prefecture_is_played_once():
    centre = make_centre(daily_capacity=300)
    minami = seed_prefecture(centre, centre.today())
    assert minami.disaster == centre.disaster
    drawn = Offering.objects.get(centre=minami)
    assert (drawn.status, drawn.allocated_by_method) == ("allocated", "draw")
    assert Application.objects.filter(offering=drawn, status="allocated").count() == 20
    seats = list(Application.objects.filter(offering=drawn, seat__isnull=False).values_list("seat", flat=True))
    assert 0 < len(seats) <= 12 and len(set(seats)) == len(seats)
    still_open = Offering.objects.get(centre=centre)
    assert still_open.status == "open" and still_open.applications.count() == 18
    assert may_run_prefecture(get_user_model().objects.get(username="pref"), centre.disaster)
    assert minami.needs.count() == 7
    assert seed_prefecture(centre, centre.today()) is None
    assert Application.objects.count() == 60
