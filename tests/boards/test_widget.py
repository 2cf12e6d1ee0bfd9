"""The council's widget (/p/<c>/widget/): the one page another site may frame, Japanese unless ?lang=en asks,
showing the centre's public information and never a person's; no cookie, no input."""
import re
from datetime import time, timedelta

import pytest
from django.test import Client

from ops.centres import services, suspension
from ops.centres.models import Centre, Suspension
from ops.volunteers.services import register_group
from tests import factories

pytestmark = pytest.mark.django_db

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]")
TAGS = re.compile(r"<[^>]+>")


def visible(response) -> str:
    """The page's text as read (the labels' JSON for the script and the head's title left out)."""
    html = response.content.decode()
    html = re.sub(r"<script[^>]*>.*?</script>|<head>.*?</head>", " ", html, flags=re.S)
    return " ".join(TAGS.sub(" ", html).split())


def widget_url(centre, **query) -> str:
    qs = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/p/{centre.slug}/widget/" + (f"?{qs}" if qs else "")


@pytest.fixture
def centre():
    centre = factories.make_centre(name="川辺町災害ボランティアセンター", daily_capacity=30)
    services.set_profile(centre, name=centre.name, address="川辺町中央1-2-3 体育館", phone="0261-22-1234",
                         lat=centre.lat, lng=centre.lng)
    services.set_public_info(centre, work_today="床下の泥出し（中央地区）", tomorrow_meeting_time=time(8, 30),
                             tomorrow_meeting_place="川辺町体育館 駐車場", tomorrow_plan="泥出しと家財の運び出し",
                             status_message="明日は9時から受付します")
    centre.refresh_from_db()
    return centre


def test_only_the_widget_may_be_framed_by_another_site(client, centre):
    widget = client.get(widget_url(centre))
    assert widget.status_code == 200
    assert "X-Frame-Options" not in widget
    directives = dict(d.strip().split(" ", 1) for d in widget["Content-Security-Policy"].split(";") if d.strip())
    assert directives["frame-ancestors"] == "*"
    # The rest of the page's policy stays as strict as every other page's.
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"

    board = client.get(f"/p/{centre.slug}/")
    assert board["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in board["Content-Security-Policy"]


def test_the_widget_sets_no_cookie(centre):
    client = Client(enforce_csrf_checks=True)
    response = client.get(widget_url(centre), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response
    assert "<form" not in response.content.decode()


def test_an_unknown_centre_is_404(client, centre):
    assert client.get("/p/no-such-centre/widget/").status_code == 404


def test_the_widget_is_japanese_whatever_the_browser_asks(client, centre):
    response = client.get(widget_url(centre), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    text = visible(response)
    assert '<html lang="ja">' in response.content.decode()
    assert response["Content-Language"] == "ja"
    assert "受付時間" in text and "最終更新" in text and "Reception hours" not in text
    # An unknown ?lang= is the default, not an error.
    assert '<html lang="ja">' in client.get(widget_url(centre, lang="xx")).content.decode()


def test_lang_en_gives_the_widget_in_english(client, db):
    ascii_centre = factories.make_centre(name="Riverside Volunteer Centre", slug="riverside-w")
    response = client.get(widget_url(ascii_centre, lang="en"), HTTP_ACCEPT_LANGUAGE="ja")
    html = response.content.decode()
    text = visible(response)
    assert '<html lang="en">' in html and response["Content-Language"] == "en"
    assert "Reception hours" in text and "Last updated" in text and "Volunteer registration" in text
    # The test centre's only Japanese is its base's name (not shown): any Japanese here is untranslated UI.
    assert not JAPANESE.findall(text), JAPANESE.findall(text)


def test_the_widget_shows_the_centres_public_information(client, centre):
    tomorrow = centre.today() + timedelta(days=1)
    suspension.suspend(centre, day=centre.today(), starts_at=None, reason=Suspension.Reason.HEAT_ALERT,
                       note="WBGT 33")
    register_group(centre=centre, name="松本建設", leader_name="代表 一郎", leader_kana="ダイヒョウ イチロウ",
                   phone="090-1111-2222", member_count=8, age_band="40s", prefecture="長野県", city="松本市",
                   on=tomorrow)
    factories.make_attendance(centre, date=centre.today())
    response = client.get(widget_url(centre))
    text = visible(response)
    html = response.content.decode()
    for shown in ("川辺町災害ボランティアセンター", "開設中", "募集中", "明日は9時から受付します", "活動中止",
                  "熱中症警戒アラート", "WBGT 33", "0261-22-1234", "川辺町中央1-2-3 体育館", "床下の泥出し（中央地区）",
                  "08:30", "川辺町体育館 駐車場", "泥出しと家財の運び出し", "最終更新"):
        assert shown in text, shown
    assert 'href="tel:0261221234"' in html
    assert re.search(r'data-field="volunteers_today">1<', html)
    row = re.search(rf'<tr data-date="{tomorrow.isoformat()}">(.*?)</tr>', html, re.S).group(1)
    assert "22人" in row  # 30 places, 8 booked
    assert f"/book/?date={tomorrow.isoformat()}" in row and 'target="_blank"' in row
    # Every link leaves the frame for a tab of its own.
    for link in re.findall(r"<a [^>]*>", html):
        if "tel:" not in link:
            assert 'target="_blank"' in link and 'rel="noopener"' in link, link
    for path in (f"/p/{centre.slug}/", f"/p/{centre.slug}/volunteers/register/", f"/p/{centre.slug}/request/"):
        assert path in html, path


def test_a_centre_not_recruiting_shows_no_days_to_book(client, centre):
    services.set_recruitment(centre, status=Centre.Recruitment.NONE, scope=centre.recruitment_scope,
                             capacity=centre.daily_capacity)
    html = client.get(widget_url(centre)).content.decode()
    assert re.search(r'<section class="w-sec w-days" data-shown-when="days" hidden>', html)
    assert "/book/?date=" not in html
    assert "募集なし" in html


def test_the_widget_shows_no_personal_data(client, centre):
    factories.make_need(centre, requester_name="秘密山ヒミツ太郎", requester_kana="ヒミツヤマタロウ",
                        phone="090-7777-3141", address="極秘市内緒町9-8-7", description="裏庭の金庫の番号は4321")
    volunteer = factories.make_volunteer(name="個人情報花子QQ", phone="080-2718-2818", email="hanako.p@example.jp")
    factories.make_attendance(centre, volunteer, date=centre.today())
    html = client.get(widget_url(centre)).content.decode()
    for secret in ("秘密山", "ヒミツヤマタロウ", "090-7777-3141", "極秘市", "4321", "個人情報花子", "080-2718-2818",
                   "hanako.p@example.jp"):
        assert secret not in html, secret


def test_what_staff_typed_is_shown_escaped(client, centre):
    payload = '<script>alert(1)</script><img src=x onerror=alert(1)>'
    services.set_public_info(centre, work_today=payload, tomorrow_meeting_time=None, tomorrow_meeting_place=payload,
                             tomorrow_plan=payload, status_message=payload)
    html = client.get(widget_url(centre)).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_poll_interval_is_bounded(client, centre):
    def poll(**query):
        return re.search(r'data-poll="(\d+)"', client.get(widget_url(centre, **query)).content.decode()).group(1)

    assert poll() == "30"
    assert poll(poll="2") == "2"
    assert poll(poll="0") == "2"
    assert poll(poll="-5") == "2"
    assert poll(poll="99999") == "3600"
    assert poll(poll="abc") == "30"


def test_a_reload_of_an_unchanged_widget_is_answered_304(client, centre):
    first = client.get(widget_url(centre))
    assert first["Cache-Control"].startswith("public")
    again = client.get(widget_url(centre), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert "X-Frame-Options" not in again
    services.set_public_info(centre, work_today="瓦礫の撤去", tomorrow_meeting_time=None, tomorrow_meeting_place="",
                             tomorrow_plan="", status_message="")
    changed = client.get(widget_url(centre), HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "瓦礫の撤去" in changed.content.decode()


def test_the_widget_takes_no_post(client, centre):
    assert client.post(widget_url(centre)).status_code == 405


def test_a_closed_centre_says_so_and_offers_no_registration(client, centre):
    services.set_status(centre, status=Centre.Status.CLOSED)
    html = client.get(widget_url(centre)).content.decode()
    assert re.search(r'<p class="w-closed" data-shown-when="closed" role="status">', html)
    assert re.search(r'<section class="w-sec w-days" data-shown-when="days" hidden>', html)
    assert re.search(r'<a [^>]*/volunteers/register/[^>]*hidden>', html)
