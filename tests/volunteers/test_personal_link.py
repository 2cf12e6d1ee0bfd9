"""The personal link after issue 17: sign-in by phone and kana mails it to the registered address (never the
page), tries are limited per phone and per address in a counter every process shares, and the link can be
renewed by the volunteer or by reception, the old one dead at once."""
import json

import pytest
import redis
from django.conf import settings
from django.test import Client, override_settings

from ops.centres.models import AuditEntry, Role
from ops.messages.models import OutboundMail
from ops.volunteers.services import register_volunteer
from tests import factories
from tests.volunteers.conftest import CHECKIN_FORM, HEALTHY, details

pytestmark = pytest.mark.django_db


@pytest.fixture
def victim(centre):
    return register_volunteer(centre=centre, **details(email="taro@example.jp"))


def signin(client, centre, phone, kana, address="203.0.113.5"):
    return client.post(f"/p/{centre.slug}/volunteers/signin/", {"phone": phone, "kana": kana}, REMOTE_ADDR=address)


def link_mails():
    return list(OutboundMail.objects.filter(kind="volunteer_link").order_by("pk"))


# --- sign-in ---------------------------------------------------------------------------------------------------

def test_sign_in_mails_the_link_and_shows_it_to_nobody(client, centre, victim):
    response = signin(client, centre, "090 1234 5678", "やまだ たろう")
    body = response.content.decode()
    assert response.status_code == 200
    assert victim.token not in body and "taro@example.jp" not in body
    assert "dvc_volunteer" not in client.cookies
    mail = link_mails()[-1]
    assert mail.to == ["taro@example.jp"] and f"/v/{victim.token}/" in mail.body
    entry = AuditEntry.objects.get(action="volunteer.link_on_signin")
    assert (entry.centre_id, entry.object_id) == (centre.pk, str(victim.pk))


def test_sign_in_answers_alike_whether_or_not_anyone_is_registered(client, centre, victim):
    found = signin(client, centre, victim.phone, victim.kana).content.decode()
    mails = len(link_mails())
    missing = signin(client, centre, victim.phone, "ダレカ").content.decode()
    assert len(link_mails()) == mails  # nobody to mail
    strip = lambda html: html.split("<main", 1)[1].split("</main>", 1)[0]  # noqa: E731 (the csrf token differs)
    assert strip(found) == strip(missing)


def test_sign_in_is_limited_per_phone(client, centre, victim):
    """The pentest found the kana at guess 39 of 60 in half a second: now 5 tries an hour, then 429."""
    codes = [signin(client, centre, victim.phone, f"ゲス{n}", address=f"198.51.100.{n}").status_code
             for n in range(60)]
    assert codes[:5] == [200] * 5 and set(codes[5:]) == {429}
    right = signin(client, centre, victim.phone, victim.kana, address="198.51.100.250")
    assert right.status_code == 429
    assert int(right["Retry-After"]) > 0
    assert "しばらくしてから" in right.content.decode() or "分ほどしてから" in right.content.decode()
    assert link_mails() == []


@override_settings(VOLUNTEER_LINK_ADDRESS_RATE="3/h")
def test_sign_in_is_limited_per_address(client, centre):
    codes = [signin(client, centre, f"090-5555-{n:04d}", "ダレカ").status_code for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert signin(client, centre, "090-5555-9999", "ダレカ", address="192.0.2.77").status_code == 200


def test_the_count_is_shared_by_every_process(client, centre, victim):
    """Counted in Redis (the `rates` cache), not in the process: another web process sees the same tries."""
    for n in range(5):
        signin(client, centre, victim.phone, f"ゲス{n}", address=f"198.51.100.{n}")
    rates = settings.CACHES["rates"]
    with redis.Redis.from_url(rates["LOCATION"]) as r:
        keys = [k.decode() for k in r.scan_iter(match=f"{rates['KEY_PREFIX']}:*vlink:phone:*")]
    assert len(keys) == 1
    assert victim.phone_normalised not in keys[0]  # a keyed hash: no phone number in Redis
    from django.core.cache import cache

    cache.clear()  # the process's own cache (a fresh process) knows nothing, and it makes no difference
    assert signin(Client(), centre, victim.phone, victim.kana, address="198.51.100.99").status_code == 429


def test_registering_again_counts_against_the_same_limit(client, centre, victim):
    from tests.volunteers.conftest import form_data

    for n in range(5):
        signin(client, centre, victim.phone, f"ゲス{n}", address=f"198.51.100.{n}")
    response = client.post(f"/p/{centre.slug}/volunteers/register/", form_data(**details(kana="ベツジン")),
                           REMOTE_ADDR="198.51.100.200")
    assert response.status_code == 429 and response["Retry-After"]
    assert link_mails() == []


# --- renewing the link -----------------------------------------------------------------------------------------

def test_the_volunteer_renews_their_link_and_the_old_one_is_dead(client, centre, victim, code):
    client.get(f"/v/{victim.token}/")
    old = victim.token
    thief = Client()
    thief.get(f"/v/{old}/")  # a phone that got hold of the old link
    response = client.post(f"/v/{old}/renew/")
    victim.refresh_from_db()
    assert victim.token != old
    assert response.status_code == 302 and response["Location"] == f"/v/{victim.token}/"
    assert client.get(f"/v/{victim.token}/").status_code == 200
    assert client.get(f"/v/{old}/").status_code == 404
    # this phone's cookie now holds the new link; the thief's holds a dead one
    assert client.get(f"/p/{centre.slug}/checkin/{code}/").context["volunteer"].pk == victim.pk
    refused = thief.get(f"/p/{centre.slug}/checkin/{code}/")
    assert "volunteers/checkin_who.html" in [t.name for t in refused.templates]  # asked who they are
    assert thief.post(f"/p/{centre.slug}/checkin/{code}/", CHECKIN_FORM).status_code == 200  # asked who they are
    assert not victim.attendances.exists()
    entry = AuditEntry.objects.get(action="volunteer.link_renewed")
    assert (entry.centre_id, entry.fields, entry.actor) == (centre.pk, ["token"], f"volunteer:{victim.pk}")


def test_a_renewed_link_no_longer_opens_the_api(client, centre, victim, code):
    old = victim.token
    client.post(f"/v/{old}/renew/")
    body = json.dumps({"centre": centre.slug, "code": code, "health": HEALTHY, "insurance_confirmed": True})
    response = Client().post("/api/v1/volunteer/check-in/", body, content_type="application/json",
                             HTTP_AUTHORIZATION=f"Volunteer {old}")
    assert response.status_code == 401


def test_renewing_is_a_post(client, victim):
    assert client.get(f"/v/{victim.token}/renew/").status_code == 405


def test_reception_renews_a_link_and_mails_the_new_one(client_as, centre, victim):
    reception = client_as(Role.RECEPTION)
    old = victim.token
    card = reception.get(f"/c/{centre.slug}/volunteers/{victim.pk}/").content.decode()
    assert f"/c/{centre.slug}/volunteers/{victim.pk}/renew-link/" in card
    response = reception.post(f"/c/{centre.slug}/volunteers/{victim.pk}/renew-link/", follow=True)
    victim.refresh_from_db()
    assert victim.token != old
    body = response.content.decode()
    assert victim.token not in body  # reception sees that it was sent, not the link
    assert "登録されたメールアドレスに送りました" in body
    mail = link_mails()[-1]
    assert mail.to == ["taro@example.jp"] and f"/v/{victim.token}/" in mail.body and old not in mail.body
    assert Client().get(f"/v/{old}/").status_code == 404
    entry = AuditEntry.objects.get(action="volunteer.link_renewed")
    assert (entry.centre_id, entry.user_id) == (centre.pk, reception.user.pk)


def test_reception_at_another_centre_cannot_renew_a_volunteer_it_never_met(client, other_centre, victim):
    user = factories.make_user(Role.RECEPTION, other_centre)
    client.force_login(user)
    old = victim.token
    assert client.post(f"/c/{other_centre.slug}/volunteers/{victim.pk}/renew-link/").status_code == 404
    victim.refresh_from_db()
    assert victim.token == old
