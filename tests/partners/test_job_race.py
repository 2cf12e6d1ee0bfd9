"""Two coordinators offering the same roof at once, and an organisation answering while the centre withdraws:
on real PostgreSQL, one wins and the other is refused cleanly."""
import pytest
from django.db import connection

from ops.needs.models import NeedStatus, WorkType
from ops.partners import services
from ops.partners.models import Capability, PartnerJob
from ops.partners.services import PartnerRefused
from tests import factories
from tests.conftest import run_together

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL (make test)")


def test_the_same_work_offered_to_eight_organisations_at_once_goes_to_one():
    centre = factories.make_centre()
    need = factories.make_need(centre, work_types=["tarp"], status=NeedStatus.SURVEYED)
    orgs = [services.save_organisation(centre, by=None, name=f"団体{i}", capabilities=[Capability.ROOF])
            for i in range(8)]
    tarp = WorkType.objects.get(code="tarp")

    results, failures = run_together(8, lambda i: services.offer(need, orgs[i], by=None, work_type=tarp))

    assert [repr(e) for e in failures if e is not None and not isinstance(e, PartnerRefused)] == []
    assert len([r for r in results if r is not None]) == 1
    assert PartnerJob.objects.filter(need=need).count() == 1


def test_an_answer_and_a_withdrawal_at_once_leave_one_consistent_outcome():
    centre = factories.make_centre()
    need = factories.make_need(centre, work_types=["tarp"], status=NeedStatus.SURVEYED)
    npo = services.save_organisation(centre, by=None, name="技術系NPO", capabilities=[Capability.ROOF])
    for _ in range(5):
        job = services.offer(need, npo, by=None, work_type=WorkType.objects.get(code="tarp"))
        steps = [lambda: services.accept(job, by=None), lambda: services.withdraw(job, by=None, reason="不要")]

        results, failures = run_together(2, lambda i: steps[i]())

        assert [repr(e) for e in failures if e is not None and not isinstance(e, PartnerRefused)] == []
        job.refresh_from_db()
        history = [h.to_status for h in job.history.all()]
        assert history[0] == PartnerJob.Status.OFFERED and history[-1] == job.status
        assert len(history) in (2, 3)  # offered → withdrawn, or offered → accepted → withdrawn
        if job.status != PartnerJob.Status.WITHDRAWN:  # accepted first, then the withdrawal went through too
            pytest.fail(f"withdrawal lost: {history}")
