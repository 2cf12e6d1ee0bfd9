"""Tool desk test data: a centre open all day, a team formed through the real service, shovels counted in
bundles and chainsaws numbered one by one (ledger.add_items), and clients for staff and desk volunteers."""
import pytest
from django.core.signing import get_cookie_signer
from django.test import Client

from ops.centres.models import Role
from ops.desk.models import DeskRole
from ops.dispatch.services import ledger
from ops.volunteers import identity
from tests import factories
from tests.dispatch.conftest import END_OF_DAY, make_team


@pytest.fixture
def desk_centre(db):
    return factories.make_centre(latest_return_time=END_OF_DAY)


@pytest.fixture
def team(desk_centre):
    return make_team(desk_centre, 3)


@pytest.fixture
def shovels(desk_centre):
    return ledger.add_kind(centre=desk_centre, name="スコップ", unit="本", quantity=10)


@pytest.fixture
def chainsaws(desk_centre):
    kind = ledger.add_kind(centre=desk_centre, name="チェーンソー", unit="台", quantity=3)
    ledger.add_items(kind=kind, count=3)
    return kind


def items_of(kind):
    return list(kind.items.order_by("number"))


@pytest.fixture
def coordinator_client(desk_centre):
    client = Client()
    client.force_login(factories.make_user(Role.COORDINATOR, desk_centre))
    return client


def volunteer_client(attendance) -> Client:
    """A phone holding this volunteer's identity cookie (as their personal link sets it)."""
    client = Client()
    client.cookies[identity.COOKIE] = get_cookie_signer(salt=identity.COOKIE + identity.SALT).sign(
        attendance.volunteer.token)
    return client


def desk_volunteer(centre, kind=DeskRole.Kind.TOOLS):
    """A checked-in volunteer given a desk for today (as staff would, ROLES' service writes the same row)."""
    attendance = factories.make_attendance(centre, date=centre.today())
    DeskRole.objects.create(centre=centre, attendance=attendance, kind=kind)
    return attendance
