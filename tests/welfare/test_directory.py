"""The council's directory (紹介先): an entry is added by the service, with a kind from the list and a name."""
import pytest

from ops.centres.models import AuditEntry, Role
from ops.welfare.models import Agency
from ops.welfare.services import WelfareError, add_agency
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_entry_is_added_on_the_trail(centre):
    worker = factories.make_user(Role.WELFARE, centre)
    agency = add_agency(centre, by=worker, kind="sasaeai", name=" 地域支え合いセンター ", takes_handover=True)
    assert (agency.name, agency.takes_handover, agency.internal) == ("地域支え合いセンター", True, False)
    assert AuditEntry.objects.filter(action="agency.added", object_id=str(agency.pk), user=worker).exists()


@pytest.mark.parametrize("kind,name", [("nope", "包括"), ("houkatsu", "  "), ("houkatsu", "あ" * 121)])
def test_a_bad_kind_or_name_is_refused(centre, kind, name):
    with pytest.raises(WelfareError):
        add_agency(centre, by=None, kind=kind, name=name)
    assert not Agency.objects.filter(centre=centre).exclude(internal=True).exists()
