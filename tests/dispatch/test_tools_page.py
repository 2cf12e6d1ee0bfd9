"""The tools page and a kind's history: who holds what (names only for roles the registry lets see them), the
history in pages, forms only for the tool desk, a retired kind off the teams page's lending list, and the audit
trail's words for the desk's writes."""
from datetime import timedelta

import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.dispatch.models import EquipmentLoan, EquipmentMovement
from ops.dispatch.services import lend_tools
from ops.dispatch.services.ledger import add_kind, record_movement, retire_kind
from tests.dispatch.conftest import make_team

pytestmark = pytest.mark.django_db


def tools_url(centre):
    return reverse("dispatch:tools", kwargs={"centre": centre.slug})


def history_url(centre, kind):
    return reverse("dispatch:tool_history", kwargs={"centre": centre.slug, "kind": kind.pk})


def test_holders_show_the_team_since_when_and_overdue_after_the_deadline(client_as, centre):
    shovels = add_kind(centre=centre, name="スコップ", quantity=10)
    team = make_team(centre, 2)
    loan = lend_tools(team=team, kind=shovels, quantity=3)
    EquipmentLoan.objects.filter(pk=loan.pk).update(lent_at=loan.lent_at - timedelta(days=1))
    leader = team.leader.volunteer.name
    page = client_as(Role.COORDINATOR).get(tools_url(centre)).content.decode()
    assert f"{team.label} × 3" in page and "期限超過" in page and leader in page
    assert 'data-count="tools.overdue">3<' in page
    viewer = client_as(Role.VIEWER).get(tools_url(centre)).content.decode()
    assert f"{team.label} × 3" in viewer and leader not in viewer  # volunteers' names: reception's
    assert "tools/add/" not in viewer and "/move/" not in viewer  # read-only


def test_a_loan_of_today_is_not_overdue_before_the_deadline(client_as, centre):
    shovels = add_kind(centre=centre, name="スコップ", quantity=10)
    lend_tools(team=make_team(centre, 2), kind=shovels, quantity=3)  # the deadline is the end of the day
    page = client_as(Role.COORDINATOR).get(tools_url(centre)).content.decode()
    assert 'data-count="tools.overdue">0<' in page


def test_the_history_comes_in_pages_newest_first(client_as, centre):
    kind = add_kind(centre=centre, name="土のう袋", unit="袋", quantity=1)
    for n in range(2, 62):
        record_movement(kind=kind, reason=EquipmentMovement.Reason.DONATED, quantity=n, note=f"寄贈{n}回目")
    client = client_as(Role.VIEWER)
    first = client.get(history_url(centre, kind)).content.decode()
    assert "寄贈61回目" in first and "寄贈11回目" not in first and "1 / 2" in first
    second = client.get(history_url(centre, kind), {"page": 2}).content.decode()
    assert "寄贈11回目" in second and "寄贈61回目" not in second


def test_a_kind_of_another_centre_is_a_404(client_as, centre, other_centre):
    theirs = add_kind(centre=other_centre, name="スコップ")
    assert client_as(Role.COORDINATOR).get(history_url(centre, theirs)).status_code == 404


def test_a_retired_kind_leaves_the_lending_list_but_stays_on_the_tools_page(client_as, centre):
    kind = add_kind(centre=centre, name="高圧洗浄機", quantity=2)
    make_team(centre, 2)
    client = client_as(Role.COORDINATOR)
    assert "高圧洗浄機（残り2）" in client.get(reverse("dispatch:teams", kwargs={"centre": centre.slug})).content.decode()
    client.post(reverse("dispatch:tool_retire", kwargs={"centre": centre.slug, "kind": kind.pk}))
    assert "高圧洗浄機（残り2）" not in client.get(reverse("dispatch:teams",
                                                         kwargs={"centre": centre.slug})).content.decode()
    assert "使用終了" in client.get(tools_url(centre)).content.decode()


def test_bad_forms_say_why_and_write_nothing(client_as, centre):
    kind = add_kind(centre=centre, name="バール", quantity=1)
    client = client_as(Role.COORDINATOR)
    response = client.post(reverse("dispatch:tool_move", kwargs={"centre": centre.slug, "kind": kind.pk}),
                           {"reason": "lost", "quantity": "5"}, follow=True)
    assert "資機材受付に1しかありません" in response.content.decode()
    response = client.post(reverse("dispatch:tool_add", kwargs={"centre": centre.slug}),
                           {"name": "バール", "quantity": "3"}, follow=True)
    assert "すでに登録されています" in response.content.decode()
    assert kind.movements.count() == 1


def test_the_audit_trail_reads_the_desks_writes_in_words(client_as, centre):
    kind = add_kind(centre=centre, name="バケツ", quantity=4)
    retire_kind(kind=kind)
    page = client_as(Role.ADMIN).get(reverse("centre_audit", kwargs={"centre": centre.slug})).content.decode()
    assert "資機材の登録" in page and "資機材の使用終了" in page and ">tools.kind_added<" not in page
