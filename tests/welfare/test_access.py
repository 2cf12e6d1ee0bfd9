"""Every welfare URL is for welfare staff and administrators: intake, the coordinator and the viewer get 403 on
each, GET or POST, and change nothing."""
import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.welfare import services
from ops.welfare.models import Agency, Case, Category, Consent, Contact, Referral
from ops.welfare.urls import urlpatterns

pytestmark = pytest.mark.django_db


def urls(case, consent, referral, agency, category, need):
    ids = {"pk": case.pk, "consent": consent.pk, "referral": referral.pk, "need": need.pk}
    out = []
    for pattern in urlpatterns:
        wanted = set(pattern.pattern.converters)
        kwargs = {"centre": case.centre.slug}
        for name in wanted - {"centre"}:
            kwargs[name] = ids[name]
        if pattern.name == "agency":
            kwargs["pk"] = agency.pk
        if pattern.name == "category_active":
            kwargs["pk"] = category.pk
        out.append(reverse(f"welfare:{pattern.name}", kwargs=kwargs))
    return out


def state():
    return [list(m.objects.order_by("pk").values()) for m in (Case, Contact, Consent, Referral, Agency, Category)]


@pytest.mark.parametrize("role", [Role.INTAKE, Role.COORDINATOR, Role.VIEWER])
def test_no_welfare_url_opens_for_other_roles(client_as, case, outside, worker, role):
    consent = services.give_consent(case, by=worker, purpose="share", how="written", agency=outside)
    referral = services.refer(case, by=worker, agency=outside)
    category = Category.objects.filter(centre=case.centre).first()
    client = client_as(role)
    before = state()
    addresses = urls(case, consent, referral, outside, category, case.need)
    assert len(addresses) == len(urlpatterns) >= 15
    for address in addresses:
        assert client.get(address).status_code in (403, 405), address
        assert client.post(address, {"note": "x", "name": "x", "code": "x"}).status_code == 403, address
    assert state() == before
