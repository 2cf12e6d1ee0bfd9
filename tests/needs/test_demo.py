import pytest
from django.utils import timezone

from ops.needs import demo
from ops.needs.models import Need

pytestmark = pytest.mark.django_db


def test_demo_seeds_about_forty_varied_needs_once(centre):
    demo.seed(centre, timezone.localdate())
    needs = Need.objects.filter(centre=centre)
    assert 35 <= needs.count() <= 45
    assert len(set(needs.values_list("status", flat=True))) >= 6
    assert len(set(needs.values_list("district", flat=True))) >= 5
    assert needs.filter(welfare="crisis").count() >= 1 and needs.filter(welfare="watch").exists()
    assert all(n.lat and abs(n.lat - centre.lat) < 0.05 for n in needs)
    demo.seed(centre, timezone.localdate())
    assert Need.objects.filter(centre=centre).count() == needs.count()
