"""Two phone-bank desks saving at the same moment get different numbers (real threads on PostgreSQL)."""
import pytest
from django.db import connection

from ops.needs.models import Need
from ops.needs.services import record_need
from tests.conftest import run_together
from tests.needs.conftest import intake_fields

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True)]

WORKERS = 8
PER_WORKER = 5


def test_concurrent_intakes_get_distinct_gap_free_numbers(centre):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    def desk(n):
        for i in range(PER_WORKER):
            record_need(centre=centre, **intake_fields(phone=f"090-{n:04d}-{i:04d}"))

    _results, errors = run_together(WORKERS, desk)
    assert errors == [None] * WORKERS
    numbers = sorted(Need.objects.filter(centre=centre).values_list("number", flat=True))
    assert numbers == list(range(1, WORKERS * PER_WORKER + 1))
