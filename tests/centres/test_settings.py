"""The centre settings page: each section saves through its service, is audited by field, reaches both boards
(centre.changed) and refuses bad input field by field in the user's language, writing nothing."""
from datetime import time

import pytest
from django.urls import reverse

from ops.centres import services
from ops.centres.models import AuditEntry, Centre, Event, Role
from ops.centres.sections import sections_for
from ops.needs.services.welfare import alert_recipients
from ops.permissions import caps_of
from tests import factories

pytestmark = pytest.mark.django_db

HOURS = {"form": "hours", "hours-activity_start": "08:00", "hours-activity_end": "16:30",
         "hours-latest_return_time": "16:00", "hours-report_time": "19:00"}


@pytest.fixture
def admin_client(client_as):
    return client_as(Role.ADMIN)


def url(centre):
    return reverse("centre_settings", kwargs={"centre": centre.slug})


def fresh(centre):
    return Centre.objects.get(pk=centre.pk)


def test_the_page_shows_every_setting_and_links_to_the_other_homes(admin_client, centre):
    body = admin_client.get(url(centre)).content.decode()
    for words in ("センター名", "所在地", "センター電話番号", "緯度", "経度", "受付開始", "帰着期限", "日報送信時刻",
                  "保険加入案内URL", "近隣として受け入れる市町村", "危機介入の通知先"):
        assert words in body, words
    for name in ("boards:recruitment", "centre_capacity", "centre_bases", "reports:recipients"):
        assert reverse(name, kwargs={"centre": centre.slug}) in body


def test_the_menu_opens_it_for_administrators_only(centre):
    admin, coordinator = factories.make_user(Role.ADMIN, centre), factories.make_user(Role.COORDINATOR, centre)
    menu = [e["url"] for e in sections_for(caps_of(admin, centre), centre)]
    assert url(centre) in menu
    assert url(centre) not in [e["url"] for e in sections_for(caps_of(coordinator, centre), centre)]


def test_hours_are_saved_audited_by_field_and_announced(admin_client, centre):
    response = admin_client.post(url(centre), HOURS)
    assert response.status_code == 302
    centre = fresh(centre)
    assert (centre.activity_start, centre.activity_end, centre.latest_return_time, centre.report_time) == (
        time(8, 0), time(16, 30), time(16, 0), time(19, 0))
    entry = AuditEntry.objects.get(action="centre.hours")
    assert entry.user == admin_client.user
    assert entry.fields == ["activity_end", "activity_start", "latest_return_time", "report_time"]
    event = Event.objects.filter(centre=centre, kind="centre.changed").last()
    assert event.public["centre"]["activity_start"] == "08:00"
    assert event.payload["centre"]["activity_end"] == "16:30"


def test_only_what_changed_is_audited(admin_client, centre):
    admin_client.post(url(centre), HOURS)
    admin_client.post(url(centre), {**HOURS, "hours-report_time": "20:00"})
    assert AuditEntry.objects.filter(action="centre.hours").first().fields == ["report_time"]
    admin_client.post(url(centre), {**HOURS, "hours-report_time": "20:00"})  # no change: no entry, no event
    assert AuditEntry.objects.filter(action="centre.hours").count() == 2


@pytest.mark.parametrize("change, field, words", [
    ({"hours-latest_return_time": "17:00"}, "latest_return_time", "帰着期限は受付開始より後、活動終了までにしてください。"),
    ({"hours-activity_end": "07:00"}, "activity_end", "活動終了は受付開始より後にしてください。"),
    ({"hours-report_time": "12:00"}, "report_time", "日報の送信時刻は活動終了以降にしてください。"),
    ({"hours-activity_start": "25:61"}, "activity_start", None),  # the form's own words
])
def test_bad_hours_are_field_errors_and_write_nothing(admin_client, centre, change, field, words):
    before = fresh(centre)
    events = Event.objects.count()
    response = admin_client.post(url(centre), {**HOURS, **change})
    assert response.status_code == 400
    form = {name: form for name, _title, form in response.context["forms"]}["hours"]
    assert field in form.errors
    assert (words or form.errors[field][0]) in response.content.decode()
    after = fresh(centre)
    assert (after.activity_start, after.activity_end, after.latest_return_time, after.report_time) == (
        before.activity_start, before.activity_end, before.latest_return_time, before.report_time)
    assert Event.objects.count() == events and not AuditEntry.objects.filter(action="centre.hours").exists()


def test_errors_speak_english_on_an_english_page(admin_client, centre):
    response = admin_client.post(url(centre), {**HOURS, "hours-latest_return_time": "17:00"},
                                 HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "The return deadline must be after reception opens" in response.content.decode()


def test_the_profile_and_its_pin_are_saved_and_the_public_board_gets_the_name(admin_client, centre):
    response = admin_client.post(url(centre), {
        "form": "profile", "profile-name": "新センター", "profile-address": "長野県テスト市本町2-2",
        "profile-phone": "026-222-3333", "profile-lat": "36.7001", "profile-lng": "138.2502"})
    assert response.status_code == 302
    centre = fresh(centre)
    assert (centre.name, centre.address, centre.phone, centre.lat, centre.lng) == (
        "新センター", "長野県テスト市本町2-2", "026-222-3333", 36.7001, 138.2502)
    assert AuditEntry.objects.get(action="centre.profile").fields == ["address", "lat", "lng", "name", "phone"]
    assert Event.objects.filter(kind="centre.changed").last().public["centre"]["name"] == "新センター"


@pytest.mark.parametrize("change, field", [
    ({"profile-lat": "95"}, "lat"), ({"profile-lng": "abc"}, "lng"), ({"profile-lat": "NaN"}, "lat"),
    ({"profile-name": " "}, "name"), ({"profile-phone": "12345"}, "phone"),
])
def test_a_bad_profile_is_refused_whole(admin_client, centre, change, field):
    base = {"form": "profile", "profile-name": "新センター", "profile-address": "", "profile-phone": "",
            "profile-lat": "36.7", "profile-lng": "138.2"}
    response = admin_client.post(url(centre), {**base, **change})
    assert response.status_code == 400
    form = {name: form for name, _title, form in response.context["forms"]}["profile"]
    assert field in form.errors
    assert fresh(centre).name == centre.name and fresh(centre).lat == centre.lat


def test_the_services_refuse_what_a_form_would_let_through(centre):
    with pytest.raises(services.CentreSettingError):
        services.set_profile(centre, name="x", address="", phone="", lat=float("inf"), lng=0)
    with pytest.raises(services.CentreSettingError) as refused:
        services.set_volunteer_terms(centre, insurance_signup_url="javascript:alert(1)", neighbour_cities="")
    assert refused.value.field == "insurance_signup_url"
    assert fresh(centre).insurance_signup_url == ""


def test_terms_keep_one_neighbour_per_line(admin_client, centre):
    admin_client.post(url(centre), {"form": "terms", "terms-insurance_signup_url": "https://example.jp/hoken",
                                    "terms-neighbour_cities": " 隣町\n\n川向村\n隣町\n"})
    centre = fresh(centre)
    assert centre.insurance_signup_url == "https://example.jp/hoken"
    assert centre.neighbour_cities == "隣町\n川向村"
    assert centre.neighbours() == ["テスト市", "隣町", "川向村"]


def test_crisis_alerts_go_to_the_added_addresses_too(admin_client, centre):
    factories.make_user(Role.WELFARE, centre, email="welfare@example.jp")
    response = admin_client.post(url(centre), {"form": "alerts",
                                               "alerts-crisis_alert_emails": "Soudan@Example.jp\nhead@example.jp"})
    assert response.status_code == 302
    assert alert_recipients(centre.pk) == ["head@example.jp", "soudan@example.jp", "welfare@example.jp"]
    page = admin_client.get(url(centre)).content.decode()
    assert "welfare@example.jp" in page  # the staff the alert goes to, shown on the page


def test_a_bad_alert_address_is_refused(admin_client, centre):
    response = admin_client.post(url(centre), {"form": "alerts", "alerts-crisis_alert_emails": "ok@example.jp\nnot-mail"})
    assert response.status_code == 400 and "メールアドレスの形式が正しくありません: not-mail" in response.content.decode()
    assert fresh(centre).crisis_alert_emails == ""


def test_staff_without_the_right_cannot_post(client_as, centre):
    client = client_as(Role.COORDINATOR)
    assert client.post(url(centre), HOURS).status_code == 403
    assert fresh(centre).activity_start == time(8, 30)
