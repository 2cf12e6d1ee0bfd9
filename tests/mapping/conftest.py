import pytest

from tests import factories


@pytest.fixture(autouse=True)
def work_types(db):
    """The work types the needs migration seeds (also present when tests run with --nomigrations)."""
    factories.ensure_work_types()
