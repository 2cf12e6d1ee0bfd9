import pytest

from ops.needs.models import WorkType


@pytest.fixture(autouse=True)
def work_types(db):
    """The work types the needs migration seeds (also present when tests run with --nomigrations)."""
    for order, (code, name) in enumerate([("mud", "泥出し"), ("debris", "がれき撤去"), ("furniture", "家財の運び出し")]):
        WorkType.objects.get_or_create(code=code, defaults={"name": name, "order": order})
