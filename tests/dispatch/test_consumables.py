"""消耗品: counted in, handed out to a team or at the desk, never below zero; the page and the team row write
through the same service, and the figures read what was handed out on each day."""
from datetime import timedelta

import pytest
from django.urls import reverse

from ops.centres.models import AuditEntry, Role
from ops.dispatch.models import Consumable, ConsumableMovement
from ops.dispatch.services import StockError
from ops.dispatch.services.consumables import add_consumable, hand_out, receive, retire_consumable, write_off
from tests import factories
from tests.dispatch.conftest import make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def water(centre):
    return add_consumable(centre=centre, name="飲料水", unit="本", quantity=48)


def on_hand(item):
    return Consumable.objects.with_on_hand().get(pk=item.pk).on_hand


def test_received_less_handed_out_is_on_hand(centre, water):
    team = make_team(centre, 2)
    receive(item=water, quantity=24)
    hand_out(item=water, quantity=10, team=team)
    hand_out(item=water, quantity=6)  # at the desk
    write_off(item=water, quantity=2, note="破損")
    assert water.on_hand() == on_hand(water) == 54
    row = Consumable.objects.with_on_hand(centre.today()).get(pk=water.pk)
    assert (row.handed_out, row.handed_out_on_day) == (16, 16)
    assert ConsumableMovement.objects.get(team=team).delta == -10


def test_handing_out_more_than_on_hand_is_refused_and_writes_nothing(centre, water):
    with pytest.raises(StockError) as refused:
        hand_out(item=water, quantity=49)
    assert "残り48" in refused.value.message
    assert water.movements.count() == 1


def test_a_day_in_the_future_is_refused_and_a_past_day_counts_for_that_day(centre, water):
    today = centre.today()
    with pytest.raises(StockError):
        hand_out(item=water, quantity=1, on=today + timedelta(days=1))
    hand_out(item=water, quantity=3, on=today - timedelta(days=1))
    yesterday = Consumable.objects.with_on_hand(today - timedelta(days=1)).get(pk=water.pk)
    assert yesterday.handed_out_on_day == 3
    assert Consumable.objects.with_on_hand(today).get(pk=water.pk).handed_out_on_day == 0


def test_a_team_of_another_centre_is_refused(centre, other_centre, water):
    with pytest.raises(StockError):
        hand_out(item=water, quantity=1, team=make_team(other_centre, 2))


def test_a_retired_consumable_is_not_handed_out(centre, water):
    retire_consumable(item=water)
    with pytest.raises(StockError):
        hand_out(item=water, quantity=1)


def test_handing_out_is_audited(centre, water):
    user = factories.make_user()
    hand_out(item=water, quantity=2, by=user)
    assert AuditEntry.objects.filter(user=user, action="consumables.handed_out",
                                     object_type="dispatch.consumablemovement").count() == 1


def test_the_team_row_hands_out_to_that_team(client, centre, water):
    client.force_login(factories.make_user(Role.COORDINATOR, centre))
    team = make_team(centre, 2)
    response = client.post(reverse("dispatch:team_hand_out", kwargs={"centre": centre.slug, "team": team.pk}),
                           {"item": water.pk, "quantity": "4"})
    assert response.status_code == 302
    assert ConsumableMovement.objects.get(team=team).delta == -4
    page = client.get(reverse("dispatch:teams", kwargs={"centre": centre.slug})).content.decode()
    assert "飲料水（在庫44）" in page


def test_the_tools_page_counts_in_and_hands_out(client, centre):
    client.force_login(factories.make_user(Role.COORDINATOR, centre))
    slug = centre.slug
    client.post(reverse("dispatch:consumable_add", kwargs={"centre": slug}),
                {"name": "マスク", "unit": "枚", "quantity": "100"})
    mask = Consumable.objects.get(centre=centre, name="マスク")
    client.post(reverse("dispatch:consumable_count", kwargs={"centre": slug, "item": mask.pk}),
                {"reason": "received", "quantity": "50"})
    client.post(reverse("dispatch:consumable_hand_out", kwargs={"centre": slug, "item": mask.pk}),
                {"quantity": "30", "team": "", "on": centre.today().isoformat()})
    refused = client.post(reverse("dispatch:consumable_hand_out", kwargs={"centre": slug, "item": mask.pk}),
                          {"quantity": "500"}, follow=True)
    assert "在庫が足りません" in refused.content.decode()
    assert mask.on_hand() == 120
    page = client.get(reverse("dispatch:tools", kwargs={"centre": slug})).content.decode()
    assert 'data-figure="consumables.マスク.on_hand">120<' in page
    assert 'data-figure="consumables.マスク.handed_out_today">30<' in page


def test_a_day_before_the_centre_opened_is_refused(centre, water):
    from datetime import date

    centre.opened_on = centre.today() - timedelta(days=2)
    centre.save(update_fields=["opened_on"])
    water.centre.refresh_from_db()
    for day in (centre.opened_on - timedelta(days=1), date(1, 1, 1)):
        with pytest.raises(StockError):
            hand_out(item=water, quantity=1, on=day)
    hand_out(item=water, quantity=1, on=centre.opened_on)
    assert water.movements.count() == 2
