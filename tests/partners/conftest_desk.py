"""Fixtures of the technical desk's tests (tests/partners/test_desk_*.py): a centre with staff, a roof need and
organisations. Imported by those files (not a shared conftest.py, which other areas' helpers write too)."""
import pytest

from ops.centres.models import Role
from ops.partners import services
from tests import factories

ROOF_CREW = {"name": "屋根ネット信州", "kind": "technical", "capabilities": ["roof", "chainsaw"],
             "contact_name": "高所 太郎", "phone": "026-000-1111"}
HEAVY_CREW = {"name": "重機の会", "kind": "npo", "capabilities": ["heavy"]}


@pytest.fixture
def staff(centre):
    """{role: user}: one account for each of the seven staff roles of the centre."""
    return {role: factories.make_user(role, centre) for role in (
        Role.ADMIN, Role.COORDINATOR, Role.INTAKE, Role.RECEPTION, Role.WELFARE, Role.LEADER, Role.VIEWER)}


@pytest.fixture
def crews(centre, staff):
    """(roof crew, heavy crew): the heavy crew first by name, so a sort by capability is visible."""
    admin = staff[Role.ADMIN]
    return (services.save_organisation(centre, by=admin, **ROOF_CREW),
            services.save_organisation(centre, by=admin, **HEAVY_CREW))


@pytest.fixture
def partner(centre, crews):
    """A login of the roof crew with the 協力団体 role."""
    user = factories.make_user(Role.PARTNER, centre, username="roofcrew")
    crews[0].users.add(user)
    return user


@pytest.fixture
def roof_need(centre):
    return factories.make_need(centre, work_types=["mud", "tarp"], district="川端", status="new")


def client_of(client, user):
    client.force_login(user)
    return client
