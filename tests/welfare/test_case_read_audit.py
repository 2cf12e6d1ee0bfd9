"""Who read a household's case is on the trail: every GET of the case page is an entry (case.read), a refused
form's page too, by the reader."""
import pytest

from ops.centres.models import AuditEntry
from tests.welfare.conftest import url

pytestmark = pytest.mark.django_db


def reads(case):
    return AuditEntry.objects.filter(action="case.read", object_type="welfare.case", object_id=str(case.pk))


def test_each_get_of_the_case_is_recorded(welfare_client, case, worker):
    for _n in range(3):
        assert welfare_client.get(url("case", case)).status_code == 200
    assert reads(case).count() == 3
    assert set(reads(case).values_list("user", flat=True)) == {worker.pk}


def test_a_refused_form_shows_the_case_and_records_the_read(welfare_client, case):
    assert welfare_client.post(url("close", case), {"note": ""}).status_code == 400
    assert reads(case).count() == 1


def test_a_refused_reader_reads_nothing_and_is_not_recorded(client_as, case):
    from ops.centres.models import Role

    assert client_as(Role.COORDINATOR).get(url("case", case)).status_code == 403
    assert not reads(case).exists()
