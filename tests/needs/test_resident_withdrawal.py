"""The resident's private link: withdrawing is a confirmed step with a reason, and a withdrawal can be
taken back from the same link on the centre's same day, while staff have not acted on it since."""
from datetime import timedelta

import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.needs.models import NeedStatus
from ops.needs.services import set_status_by_hand
from tests import factories

pytestmark = pytest.mark.django_db


def links(need):
    token = need.reference_token
    return (reverse("needs:resident", kwargs={"token": token}), reverse("needs:resident_close", kwargs={"token": token}),
            reverse("needs:resident_undo", kwargs={"token": token}))


def test_withdrawing_is_a_confirmed_step_with_a_reason(client, centre):
    need = factories.make_need(centre, status=NeedStatus.READY)
    status_page, confirm, _undo = links(need)
    page = client.get(status_page).content.decode()
    assert 'name="closure"' not in page  # no one-tap withdrawal on the status page
    assert f'href="{confirm}"' in page

    page = client.get(confirm).content.decode()
    assert "派遣予定から外れます" in page  # what it means
    radios = [t.split(">", 1)[0] for t in page.split("<input")[1:] if 'name="closure"' in t.split(">", 1)[0]]
    assert len(radios) == 2 and not any("checked" in r for r in radios)

    refused = client.post(confirm, {})
    assert refused.status_code == 400 and "選択肢から選んでください" in refused.content.decode()
    need.refresh_from_db()
    assert need.status == NeedStatus.READY


def test_a_withdrawal_can_be_taken_back_the_same_day(client, centre):
    need = factories.make_need(centre, status=NeedStatus.READY)
    status_page, confirm, undo = links(need)
    response = client.post(confirm, {"closure": "no_longer_needed"})
    assert response.status_code == 302 and response.url == status_page
    page = client.get(status_page).content.decode()
    assert "取下げとして記録しました" in page
    assert f'action="{undo}"' in page
    today = centre.today()
    assert f"{today.month}月{today.day}日" in page  # until when, in words

    response = client.post(undo, follow=True)
    assert response.status_code == 200 and "取下げを取り消しました" in response.content.decode()
    need.refresh_from_db()
    assert need.status == NeedStatus.READY and need.closure == ""  # back where it was in the queue
    assert [(h.to_status, h.actor) for h in need.history.all()][-3:] == [
        ("cancelled", "resident"), ("new", "resident"), ("ready", "resident")]


def test_no_undo_once_staff_have_acted_on_the_withdrawal(client, centre, staff):
    staff = staff(Role.COORDINATOR)
    need = factories.make_need(centre, status=NeedStatus.NEW)
    status_page, confirm, undo = links(need)
    client.post(confirm, {"closure": "helped_elsewhere"})
    set_status_by_hand(need, NeedStatus.NEW, by=staff)
    set_status_by_hand(need, NeedStatus.CANCELLED, by=staff, reason="電話で確認、不要")
    assert f'action="{undo}"' not in client.get(status_page).content.decode()
    response = client.post(undo)
    assert response.status_code == 400 and "お電話ください" in response.content.decode()
    need.refresh_from_db()
    assert need.status == NeedStatus.CANCELLED


def test_no_undo_after_the_day_of_the_withdrawal(client, centre):
    need = factories.make_need(centre, status=NeedStatus.NEW)
    status_page, confirm, undo = links(need)
    client.post(confirm, {"closure": "no_longer_needed"})
    line = need.history.last()
    type(line).objects.filter(pk=line.pk).update(at=line.at - timedelta(days=1))
    page = client.get(status_page).content.decode()
    assert f'action="{undo}"' not in page and "取下げとして記録されています" in page
    assert client.post(undo).status_code == 400
    need.refresh_from_db()
    assert need.status == NeedStatus.CANCELLED
