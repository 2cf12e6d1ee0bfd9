"""The residents' request form (no login) and their private link."""
import pytest
from django.test import override_settings
from django.urls import reverse

from ops.centres.models import Centre, Event
from ops.needs.models import Need, PublicFormHit
from tests import factories
from tests.needs.conftest import old_stamp

pytestmark = pytest.mark.django_db


def request_url(centre):
    return reverse("needs:public_request", kwargs={"centre": centre.slug})


def public_data(**overrides):
    data = {"requester_name": "松本 さくら", "requester_kana": "マツモト サクラ", "phone": "０８０－２２２２－３３３３",
            "address": "テスト市若宮2-1-8", "work_types": ["mud"], "description": "床下に泥が入った",
            "household": ["elderly_alone"], "consent": "on", "website": "", "stamp": old_stamp()}
    data.update(overrides)
    return data


def test_form_is_public_and_mobile_friendly(client, centre):
    response = client.get(request_url(centre))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="viewport"' in body and 'type="tel"' in body
    assert 'name="website"' in body and 'class="hp"' in body  # honeypot present, hidden by CSS
    assert "tarp" not in body  # specialist-only work is not offered to residents


def test_a_request_creates_a_new_web_need_and_shows_number_and_private_link(client, centre):
    response = client.post(request_url(centre), public_data(), follow=True)
    need = Need.objects.get()
    assert (need.status, need.channel, need.created_by) == ("new", "web", None)
    assert need.phone_normalised == "08022223333" and need.household == ["elderly_alone"]
    body = response.content.decode()
    assert "N-0001" in body
    assert f"/r/{need.reference_token}/" in body
    assert Event.objects.get(kind="need.created").public == {"needs_received": 1}
    assert need.history.get().actor == "web"


def test_the_thanks_page_is_only_for_the_sender(client, centre):
    client.post(request_url(centre), public_data())
    from django.test import Client

    other = Client()
    response = other.get(reverse("needs:public_thanks", kwargs={"centre": centre.slug}))
    assert response.status_code == 302  # back to the form: nothing of the request leaks


def test_errors_are_shown_and_nothing_is_saved(client, centre):
    response = client.post(request_url(centre), public_data(phone="123", consent=""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "phone" in errors and "consent" in errors
    assert not Need.objects.exists()


def test_honeypot_filled_saves_nothing(client, centre):
    response = client.post(request_url(centre), public_data(website="http://spam.example"))
    assert response.status_code == 200
    assert not Need.objects.exists()
    assert "N-0001" not in response.content.decode()


def test_a_post_faster_than_a_person_types_saves_nothing(client, centre):
    response = client.post(request_url(centre), public_data(stamp=old_stamp(seconds=0)))
    assert response.status_code == 200 and "N-0001" not in response.content.decode()
    assert not Need.objects.exists()


@pytest.mark.parametrize("stamp", ["", "form:forged:sig", "expired"])
def test_a_missing_forged_or_expired_stamp_asks_to_send_again(client, centre, stamp):
    if stamp == "expired":
        stamp = old_stamp(seconds=7 * 3600)
    response = client.post(request_url(centre), public_data(stamp=stamp))
    assert "もう一度送信してください" in response.content.decode()
    assert response.context["form"]["requester_name"].value() == "松本 さくら"  # what they typed is kept
    assert not Need.objects.exists()
    resend = public_data(stamp=old_stamp())
    assert client.post(request_url(centre), resend).status_code == 302  # sending again works


@override_settings(PUBLIC_FORM_RATE="3/h")
def test_rate_limited_per_ip(client, centre):
    for i in range(3):
        assert client.post(request_url(centre), public_data(phone=f"080-2222-000{i}"),
                           REMOTE_ADDR="203.0.113.7").status_code == 302
    sent = public_data(phone="080-2222-0009")
    response = client.post(request_url(centre), sent, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert Need.objects.count() == 3
    # nothing typed is lost: the form comes back filled in, with the reason, and can be sent again later
    body = response.content.decode()
    assert "この回線から短時間に多くの依頼が送られた" in body
    assert 'value="松本 さくら"' in body and "床下に泥が入った" in body and 'value="080-2222-0009"' in body
    assert response.context["form"]["stamp"].value() != sent["stamp"]  # a fresh stamp, to send it again
    # another address is not affected, and the stored key is not the address itself
    assert client.post(request_url(centre), public_data(phone="080-2222-0010"),
                       REMOTE_ADDR="198.51.100.2").status_code == 302
    assert not PublicFormHit.objects.filter(ip_hash__contains="203.0.113.7").exists()


@override_settings(PUBLIC_FORM_RATE="2/h")
def test_bots_count_towards_the_limit(client, centre):
    for _ in range(2):
        client.post(request_url(centre), public_data(website="x"), REMOTE_ADDR="203.0.113.8")
    assert client.post(request_url(centre), public_data(), REMOTE_ADDR="203.0.113.8").status_code == 429


def test_closed_centre_has_no_form(client, centre):
    Centre.objects.filter(pk=centre.pk).update(status=Centre.Status.CLOSED)
    assert client.get(request_url(centre)).status_code == 404


def resident_url(need):
    return reverse("needs:resident", kwargs={"token": need.reference_token})


def test_resident_link_shows_only_their_own_need(client, centre):
    mine = factories.make_need(centre, requester_name="自分 太郎", description="私の依頼", notes="職員メモ")
    factories.make_need(centre, requester_name="他人 次郎", description="他人の依頼")
    body = client.get(resident_url(mine)).content.decode()
    assert mine.label in body and "新規受付" in body
    for other in ("N-0002", "他人", "他人の依頼", "職員メモ"):
        assert other not in body
    assert "noindex" in body


def test_unknown_token_is_404(client, centre):
    factories.make_need(centre)
    assert client.get("/r/not-a-real-token/").status_code == 404
    assert client.post("/r/not-a-real-token/close/", {"closure": "no_longer_needed"}).status_code == 404


@pytest.mark.parametrize("closure", ["no_longer_needed", "helped_elsewhere"])
def test_resident_can_say_no_longer_needed_or_already_helped(client, centre, closure):
    need = factories.make_need(centre, status="ready")
    response = client.post(reverse("needs:resident_close", kwargs={"token": need.reference_token}),
                           {"closure": closure})
    assert response.status_code == 302 and response.url == resident_url(need)  # the status page says so
    need.refresh_from_db()
    assert need.status == "cancelled" and need.closure == closure
    line = need.history.last()
    assert line.actor == "resident" and line.by is None
    assert Event.objects.get(kind="need.changed").payload["to"] == "cancelled"


def test_resident_cannot_close_once_a_team_is_assigned(client, centre):
    need = factories.make_need(centre, status="assigned")
    response = client.post(reverse("needs:resident_close", kwargs={"token": need.reference_token}),
                           {"closure": "no_longer_needed"})
    assert response.status_code == 400
    assert "お電話ください" in response.content.decode()
    need.refresh_from_db()
    assert need.status == "assigned"


def test_resident_close_needs_a_known_reason(client, centre):
    need = factories.make_need(centre)
    response = client.post(reverse("needs:resident_close", kwargs={"token": need.reference_token}),
                           {"closure": "duplicate"})
    assert response.status_code == 400
    need.refresh_from_db()
    assert need.status == "new"
