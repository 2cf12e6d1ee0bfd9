"""Nobody takes over a volunteer by typing their details (issue 17): registering again with a registered
volunteer's name or kana and phone, or their e-mail, from a phone that does not hold their link, hands out no
link and no cookie and changes nothing of theirs; their link goes to the address they registered."""
import pytest

from ops.centres.models import AuditEntry, Role
from ops.messages.models import OutboundMail
from ops.volunteers.models import Booking, Group, Volunteer
from ops.volunteers.services import AlreadyRegistered, register_group, register_volunteer
from ops.volunteers.services.registration import UPDATABLE
from tests import factories
from tests.volunteers.conftest import details, form_data

pytestmark = pytest.mark.django_db

# What an attacker types: the victim's name or kana with their phone, or their name with their e-mail; and
# contacts of the attacker's own in every field a returning volunteer could once bring "up to date".
THEIRS = {"email": "evil@example.net", "city": "乗っ取り市", "emergency_name": "偽 連絡先", "emergency_phone": "080-6666-6666",
          "insurance": Volunteer.Insurance.ENROLLED_HERE, "age_band": Volunteer.AgeBand.FORTIES, "prefecture": "東京都"}
ATTACKS = {
    "name and phone": dict(THEIRS, kana="ベツジン"),
    "kana and phone": dict(THEIRS, name="別人 名前"),
    "email": dict(THEIRS, phone="080-7777-0000", kana="ベツジン", email="TARO@example.jp"),
}


@pytest.fixture
def victim(centre):
    return register_volunteer(centre=centre, **details(email="taro@example.jp", skills=["driver"]))


def stored(volunteer) -> dict:
    volunteer = Volunteer.objects.get(pk=volunteer.pk)
    return {f: getattr(volunteer, f) for f in (*UPDATABLE, "name", "kana", "phone", "token", "group_id")}


def link_mails(volunteer):
    return list(OutboundMail.objects.filter(kind="volunteer_link", about=f"volunteers.volunteer:{volunteer.pk}")
                .order_by("pk"))


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_registering_with_someone_elses_details_changes_nothing_and_mails_them(client, centre, victim, attack):
    before = stored(victim)
    mails_before = len(link_mails(victim))
    response = client.post(f"/p/{centre.slug}/volunteers/register/", form_data(**details(**ATTACKS[attack])))
    body = response.content.decode()
    assert response.status_code == 200
    assert "すでに登録があります。登録されたメールアドレスに個人用リンクを送りました" in body
    assert victim.token not in body and "taro@example.jp" not in body.lower()
    assert "dvc_volunteer" not in client.cookies
    assert stored(victim) == before
    assert Volunteer.objects.count() == 1
    mails = link_mails(victim)
    assert len(mails) == mails_before + 1
    assert mails[-1].to == ["taro@example.jp"] and f"/v/{victim.token}/" in mails[-1].body


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_the_service_refuses_an_anonymous_match(centre, victim, attack):
    before = stored(victim)
    with pytest.raises(AlreadyRegistered) as refused:
        register_volunteer(centre=centre, **details(**ATTACKS[attack]))
    assert refused.value.volunteer.pk == victim.pk
    assert stored(victim) == before


def test_a_group_registration_led_by_someone_registered_rolls_back_and_mails_them(client, centre, victim, tomorrow):
    before = stored(victim)
    response = client.post(f"/p/{centre.slug}/volunteers/group/", {
        "name": "乗っ取り団", "leader_name": victim.name, "leader_kana": victim.kana, "phone": victim.phone,
        "email": "evil@example.net", "member_count": 5, "age_band": "40s", "prefecture": "東京都", "city": "乗っ取り市",
        "date": tomorrow.isoformat(), "insured": "on", "privacy": "on"})
    body = response.content.decode()
    assert response.status_code == 200 and "すでに登録があります" in body
    assert victim.token not in body and "dvc_volunteer" not in client.cookies
    assert not Group.objects.exists() and not Booking.objects.exists()
    assert stored(victim) == before
    assert link_mails(victim)[-1].to == ["taro@example.jp"]


def test_the_group_service_rolls_back_when_its_leader_is_registered(centre, victim):
    with pytest.raises(AlreadyRegistered):
        register_group(centre=centre, name="乗っ取り団", leader_name=victim.name, leader_kana=victim.kana,
                       phone=victim.phone, member_count=3, age_band="40s", prefecture="長野県", city="長野市")
    assert not Group.objects.exists()


def test_the_volunteers_own_phone_may_bring_their_details_up_to_date(client, centre, victim):
    client.get(f"/v/{victim.token}/")  # this phone holds their link
    response = client.post(f"/p/{centre.slug}/volunteers/register/", form_data(**details(city="松本市")))
    assert response.status_code == 302 and response["Location"] == f"/v/{victim.token}/"
    assert Volunteer.objects.get(pk=victim.pk).city == "松本市"


def test_a_phone_holding_another_volunteers_link_is_anonymous_for_this_one(client, centre, victim):
    other = factories.make_volunteer()
    client.get(f"/v/{other.token}/")
    before = stored(victim)
    response = client.post(f"/p/{centre.slug}/volunteers/register/", form_data(**details(city="乗っ取り市")))
    assert "すでに登録があります" in response.content.decode()
    assert stored(victim) == before


def test_reception_may_bring_a_recognised_volunteers_details_up_to_date(centre, victim):
    user = factories.make_user(Role.RECEPTION, centre)
    again = register_volunteer(centre=centre, by=user, **details(city="松本市"))
    assert again.pk == victim.pk and again.created is False
    assert Volunteer.objects.get(pk=victim.pk).city == "松本市"


def test_the_link_mail_is_written_in_the_centres_audit_trail(client, centre, victim):
    client.post(f"/p/{centre.slug}/volunteers/register/", form_data(**details(kana="ベツジン")))
    entry = AuditEntry.objects.get(action="volunteer.link_on_register")
    assert (entry.centre_id, entry.object_id, entry.actor) == (centre.pk, str(victim.pk), "anonymous")


def test_the_link_mail_is_shown_on_the_audit_page_of_the_centre_where_it_happened(client_as, centre, victim,
                                                                                   other_centre):
    from django.test import Client

    Client().post(f"/p/{other_centre.slug}/volunteers/signin/", {"phone": victim.phone, "kana": victim.kana})
    admin = factories.make_user(Role.ADMIN, other_centre)
    page = Client()
    page.force_login(admin)
    body = page.get(f"/c/{other_centre.slug}/audit/").content.decode()
    assert "電話番号とフリガナでの呼び出し" in body


def test_a_double_tap_is_the_same_registration(client, centre):
    """The same form sent twice at once (a double tap) lands on the personal page both times: nothing to update."""
    first = client.post(f"/p/{centre.slug}/volunteers/register/", form_data())
    second = client.post(f"/p/{centre.slug}/volunteers/register/", form_data())
    volunteer = Volunteer.objects.get()
    assert first["Location"] == second["Location"] == f"/v/{volunteer.token}/"


def test_the_same_details_a_minute_later_are_not_a_double_tap(client, centre, victim):
    from datetime import timedelta

    Volunteer.objects.filter(pk=victim.pk).update(created_at=victim.created_at - timedelta(minutes=2))
    response = client.post(f"/p/{centre.slug}/volunteers/register/",
                           form_data(**details(email="taro@example.jp", skills=["driver"])))
    assert response.status_code == 200 and "すでに登録があります" in response.content.decode()
    assert "dvc_volunteer" not in client.cookies
