"""募集のお知らせ for an offered date, sent from the prefecture's offering page through the centre's calls."""
from datetime import timedelta

import pytest
from django.test import Client

from ops.messages.models import OutboundMail
from ops.prefecture.models import PrefectureMembership
from ops.prefecture.services.allocation import allocate
from ops.prefecture.services.offerings import apply, open_offering
from ops.volunteers.models import RecruitmentCall
from ops.volunteers.services.calls import fan_out, recipients
from tests.factories import make_centre, make_user, make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    centre = make_centre()
    offering = open_offering(centre, on=centre.today() + timedelta(days=2), places_n=5)
    user = make_user()
    PrefectureMembership.objects.create(user=user, disaster=centre.disaster)
    client = Client()
    client.force_login(user)
    registered = [make_volunteer(email=f"r{i}@example.jp", registered_disaster=centre.disaster) for i in range(3)]
    return centre, offering, client, registered


def url(centre, offering):
    return f"/pref/{centre.disaster_id}/offerings/{offering.pk}/call/"


def test_a_call_reaches_those_not_applied_and_asks_them_to_apply(setting):
    centre, offering, client, registered = setting
    apply(registered[0], offering)
    assert sorted(recipients(centre, [offering.date])) == sorted(v.pk for v in registered[1:])
    page = client.get(f"/pref/{centre.disaster_id}/offerings/{offering.pk}/").content.decode()
    assert "お知らせを送る" in page and "2人に送ります" in page
    form = {"message": "川沿いの泥出しに人手が必要です。", "nonce": "n" * 24}
    assert client.post(url(centre, offering), form).status_code == 302
    assert client.post(url(centre, offering), form).status_code == 302  # the same form again: one call
    call = RecruitmentCall.objects.get()
    assert call.recipients_count == 2 and call.dates == [offering.date]
    assert fan_out(call.pk) == 2
    bodies = list(OutboundMail.objects.filter(kind=OutboundMail.Kind.RECRUITMENT_CALL).values_list("body", flat=True))
    assert len(bodies) == 2 and all("あなたのページから応募してください" in b for b in bodies)
    assert "2人へ" in client.get(f"/pref/{centre.disaster_id}/offerings/{offering.pk}/").content.decode()


def test_an_empty_message_is_a_400_with_words_and_sends_nothing(setting):
    centre, offering, client, _registered = setting
    answer = client.post(url(centre, offering), {"message": " ", "nonce": "m" * 24})
    body = answer.content.decode()
    assert answer.status_code == 400 and "この項目は必須です" in body and "has-error" in body
    assert not RecruitmentCall.objects.exists()


def test_no_call_once_allocated(setting):
    centre, offering, client, _registered = setting
    allocate(offering.pk)
    assert client.post(url(centre, offering), {"message": "x", "nonce": "k" * 24}).status_code == 404
    assert not RecruitmentCall.objects.exists()
