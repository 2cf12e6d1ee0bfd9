"""「ケースを終了」: a note is required; a closed (or handed-over) case is shown read-only and refuses writes."""
import pytest

from ops.welfare import services
from ops.welfare.models import Case, Contact
from tests.welfare.conftest import page, url

pytestmark = pytest.mark.django_db


def test_closing_needs_a_note(welfare_client, case):
    response = welfare_client.post(url("close", case), {"note": "  "})
    assert response.status_code == 400
    assert "errorlist" in page(response)
    assert Case.objects.get(pk=case.pk).status == "open"


def test_a_case_is_closed_with_its_note(welfare_client, case, worker):
    response = welfare_client.post(url("close", case), {"note": "家族と同居になった"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.close_note, case.closed_by) == ("closed", "家族と同居になった", worker)


@pytest.mark.parametrize("status", ["closed", "handed_over"])
def test_a_finished_case_is_read_only(welfare_client, case, worker, status):
    services.add_contact(case, by=worker, method="visit", found="最後の訪問")
    services.close_case(case, by=worker, note="終了")
    Case.objects.filter(pk=case.pk).update(status=status)
    body = page(welfare_client.get(url("case", case)))
    assert "最後の訪問" in body
    for action in ("update", "contact", "consent", "refer", "close"):
        assert f'action="{url(action, case)}"' not in body
    before = Contact.objects.count()
    response = welfare_client.post(url("contact", case), {
        "day": case.centre.today().isoformat(), "clock": "09:00", "method": "visit", "found": "後から"})
    assert response.status_code == 400
    assert Contact.objects.count() == before
