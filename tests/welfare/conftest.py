"""A household's open case at `centre`, and helpers for the case page's forms."""
import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.welfare import services
from ops.welfare.models import Agency
from tests import factories


@pytest.fixture
def worker(centre):
    return factories.make_user(Role.WELFARE, centre, first_name="福祉 担子")


@pytest.fixture
def case(centre, worker):
    need = factories.make_need(centre, requester_name="見守 一子", phone="090-5555-0001")
    opened, _new = services.open_case(need=need, source="staff", by=worker, summary="独居で不安が強い")
    return opened


@pytest.fixture
def outside(centre):
    """A body outside the council (a referral there needs consent)."""
    return Agency.objects.create(centre=centre, kind=Agency.Kind.COMPREHENSIVE, name="中央地域包括支援センター")


@pytest.fixture
def desk(centre):
    """The council's own desk (seeded with the centre): no consent needed."""
    return Agency.objects.get(centre=centre, internal=True)


@pytest.fixture
def welfare_client(client, worker):
    client.force_login(worker)
    client.user = worker
    return client


def url(name, case, **more):
    return reverse(f"welfare:{name}", kwargs={"centre": case.centre.slug, "pk": case.pk, **more})


def page(response) -> str:
    return response.content.decode()


def field_block(body: str, name: str) -> str:
    """The HTML of one form field's block (its label, input and errors) on a page."""
    start = body.index(f'id="field-{name}"')
    end = body.find('id="field-', start + 10)
    return body[start:end if end > 0 else None]
