"""「支援記録を追加」: a visit, call or meeting is logged (newest first, with who wrote it) and its next check date
becomes the case's; a next check in the past, or nothing found or agreed, is refused with nothing saved."""
from datetime import timedelta

import pytest

from ops.welfare.models import Contact
from tests.welfare.conftest import field_block, page, url

pytestmark = pytest.mark.django_db


def form(case, **over):
    data = {"day": case.centre.today().isoformat(), "clock": "10:30", "method": "visit",
            "with_whom": ["person", "minsei"], "found": "食事は摂れている", "agreed": "来週また訪問",
            "next_check_on": (case.centre.today() + timedelta(days=7)).isoformat()}
    data.update(over)
    return data


def test_the_form_defaults_to_now_on_the_centres_clock(welfare_client, case):
    body = page(welfare_client.get(url("case", case)))
    assert f'value="{case.centre.today().isoformat()}"' in body
    assert case.centre.now().strftime("%H:") in body


def test_a_contact_is_logged_and_sets_the_next_check(welfare_client, case, worker):
    response = welfare_client.post(url("contact", case), form(case))
    assert response.status_code == 302
    contact = Contact.objects.get(case=case, found="食事は摂れている")
    assert contact.by == worker and contact.with_whom == ["person", "minsei"]
    assert case.centre.local(contact.at).strftime("%H:%M") == "10:30"
    case.refresh_from_db()
    assert case.next_check_on == case.centre.today() + timedelta(days=7)


def test_contacts_are_listed_newest_first_with_who_wrote_them(welfare_client, case):
    yesterday = (case.centre.today() - timedelta(days=1)).isoformat()
    welfare_client.post(url("contact", case), form(case, day=yesterday, found="前日の訪問"))
    welfare_client.post(url("contact", case), form(case, found="今日の電話"))
    body = page(welfare_client.get(url("case", case)))
    assert body.index("今日の電話") < body.index("前日の訪問")
    assert "福祉 担子" in body


def test_a_next_check_in_the_past_is_refused(welfare_client, case):
    before = Contact.objects.count()
    past = (case.centre.today() - timedelta(days=1)).isoformat()
    response = welfare_client.post(url("contact", case), form(case, next_check_on=past, found="書いた内容"))
    assert response.status_code == 400
    body = page(response)
    assert "次回確認日は今日以降の日付にしてください。" in field_block(body, "next_check_on")  # beside its field
    assert "書いた内容" in body
    assert Contact.objects.count() == before


def test_nothing_found_or_agreed_is_refused(welfare_client, case):
    before = Contact.objects.count()
    response = welfare_client.post(url("contact", case), form(case, found="", agreed=""))
    assert response.status_code == 400
    assert "把握したことか合意したことを記入してください。" in page(response)
    assert Contact.objects.count() == before


def test_a_broken_date_is_a_field_error(welfare_client, case):
    response = welfare_client.post(url("contact", case), form(case, day="not-a-date"))
    assert response.status_code == 400
    assert "errorlist" in page(response)
