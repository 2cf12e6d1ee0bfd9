"""The case list: overdue checks first, status tabs, filters by 「自分の担当」 and category, the next check date
with an overdue badge, pages of PAGE_SIZE."""
from datetime import timedelta

import pytest
from django.urls import reverse

from ops.welfare import services, views
from ops.welfare.models import Case, Category
from tests import factories

pytestmark = pytest.mark.django_db


def list_url(centre):
    return reverse("welfare:cases", kwargs={"centre": centre.slug})


def make_case(centre, name, n, by=None):
    need = factories.make_need(centre, requester_name=name, phone=f"090-7000-{n:04d}", address=f"北町{n}")
    case, _new = services.open_case(need=need, source="staff", by=by)
    return case


def test_my_cases_only(welfare_client, centre, worker):
    mine = make_case(centre, "担当 一子", 1)
    make_case(centre, "ほか 二郎", 2)
    services.update_case(mine, by=worker, assignee=worker)
    body = welfare_client.get(list_url(centre), {"mine": "1"}).content.decode()
    assert "担当 一子" in body and "ほか 二郎" not in body
    assert "自分の担当" in body


def test_by_category(welfare_client, centre, worker):
    tagged = make_case(centre, "区分 三子", 3)
    make_case(centre, "なし 四郎", 4)
    services.update_case(tagged, by=worker, categories=[Category.objects.get(centre=centre, code="poverty")])
    body = welfare_client.get(list_url(centre), {"category": "poverty"}).content.decode()
    assert "区分 三子" in body and "なし 四郎" not in body
    # an unknown category is no filter, not an error
    assert "なし 四郎" in welfare_client.get(list_url(centre), {"category": "nope"}).content.decode()


def test_the_next_check_and_an_overdue_badge(welfare_client, centre, worker):
    late = make_case(centre, "遅れ 五子", 5)
    Case.objects.filter(pk=late.pk).update(next_check_on=centre.today() - timedelta(days=2))
    body = welfare_client.get(list_url(centre)).content.decode()
    assert "確認日を過ぎたケース" in body
    assert "期限超過" in body


def test_the_list_is_paged(welfare_client, centre, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(5):
        make_case(centre, f"頁 {n}", 10 + n)
    first = welfare_client.get(list_url(centre), {"mine": ""}).content.decode()
    assert "1 / 3" in first and "page=2" in first
    last = welfare_client.get(list_url(centre), {"page": "3"}).content.decode()
    assert "3 / 3" in last
    assert welfare_client.get(list_url(centre), {"page": "x"}).status_code == 200


def test_closed_cases_are_on_their_tab(welfare_client, centre, worker):
    done = make_case(centre, "終了 六子", 6)
    services.close_case(done, by=worker, note="解決")
    assert "終了 六子" not in welfare_client.get(list_url(centre)).content.decode()
    assert "終了 六子" in welfare_client.get(list_url(centre), {"status": "closed"}).content.decode()
