"""The council's public address (/council/<slug>/, info.json, /api/v1/public/councils/<slug>/): its 平常時
message and links while none of its centres is open or preparing, its centres while any is; served with CORS,
ETag and 304 like the centre's feed; edited by its staff on /council/<slug>/settings/."""
import json

import pytest
from django.urls import reverse

from ops.centres import closing, services
from ops.centres.councils import set_council_info
from ops.centres.models import AuditEntry, Centre, Council, Role
from tests import factories

pytestmark = pytest.mark.django_db

MESSAGE = "平常時はボランティアセンター窓口でご相談を受け付けています。"
LINKS = "活動保険のご案内 | https://example.jp/hoken\nhttps://example.jp/kokoroe"


@pytest.fixture
def council(db):
    return Council.objects.create(slug="test-shakyo", name="テスト市社会福祉協議会", prefecture="長野県",
                                  phone="026-111-2222", normal_message=MESSAGE, links=LINKS)


@pytest.fixture
def quiet_centre(council):
    """The council's centre, not open yet... and not preparing either: closed, so the council is in normal times."""
    return factories.make_centre(council=council, status=Centre.Status.CLOSED)


def page(client, council):
    return client.get(reverse("council", kwargs={"council": council.slug}))


def info(client, council, **headers):
    return client.get(reverse("council_info", kwargs={"council": council.slug}), **headers)


def test_normal_times_show_the_councils_message_and_links(client, council, quiet_centre):
    response = page(client, council)
    text = response.content.decode()
    assert response.status_code == 200
    assert MESSAGE in text and "活動保険のご案内" in text and "https://example.jp/kokoroe" in text
    assert quiet_centre.name not in text  # a closed centre is not listed
    data = json.loads(info(client, council).content)
    assert data["mode"] == "normal" and data["message"] == MESSAGE and data["centres"] == []
    assert data["links"] == [{"label": "活動保険のご案内", "url": "https://example.jp/hoken"},
                             {"label": "https://example.jp/kokoroe", "url": "https://example.jp/kokoroe"}]
    assert data["council"]["name"] == council.name and data["council"]["phone"] == "026-111-2222"


def test_opening_a_centre_lists_it_and_closing_it_returns_to_normal_times(client, council, quiet_centre):
    centre = factories.make_centre(council=council, status=Centre.Status.PREPARING, phone="026-333-4444")
    services.set_public_info(centre, work_today="泥出し", tomorrow_meeting_time=None, tomorrow_meeting_place="",
                             tomorrow_plan="", status_message="本日も受付中")
    services.set_status(centre, status=Centre.Status.OPEN)
    data = json.loads(info(client, council).content)
    assert data["mode"] == "disaster" and data["message"] == ""
    [listed] = data["centres"]
    assert listed["slug"] == centre.slug and listed["status"] == "open" and listed["status_label"] == "開設中"
    assert listed["recruitment_label"] == "募集中" and listed["message"] == "本日も受付中"
    assert listed["links"]["board"].endswith(reverse("boards:public", kwargs={"centre": centre.slug}))
    assert listed["volunteers_today"] == 0
    text = page(client, council).content.decode()
    assert centre.name in text and "本日も受付中" in text and MESSAGE not in text

    closing.close_centre(centre, confirm_name=centre.name, by=factories.make_user(Role.ADMIN, centre))
    data = json.loads(info(client, council).content)
    assert data["mode"] == "normal" and data["centres"] == []
    assert MESSAGE in page(client, council).content.decode()


def test_another_councils_centre_is_not_listed(client, council):
    other = Council.objects.create(slug="other-shakyo", name="別市社会福祉協議会", prefecture="長野県")
    factories.make_centre(council=other)
    factories.make_centre()  # no council at all
    assert json.loads(info(client, council).content)["mode"] == "normal"


def test_the_json_has_cors_an_etag_and_answers_304_until_a_centre_changes(client, council):
    centre = factories.make_centre(council=council)
    first = info(client, council)
    assert first.status_code == 200 and first["Access-Control-Allow-Origin"] == "*"
    assert first["ETag"] and first["Last-Modified"] and "public" in first["Cache-Control"]
    assert info(client, council, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    services.set_public_info(centre, work_today="家財搬出", tomorrow_meeting_time=None, tomorrow_meeting_place="",
                             tomorrow_plan="", status_message="")
    second = info(client, council, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    assert json.loads(second.content)["centres"][0]["work_today"] == "家財搬出"


def test_the_json_changes_when_the_council_changes(client, council):
    first = info(client, council)
    set_council_info(council, name=council.name, phone="", address="", website="", normal_message="新しいお知らせ",
                     links="")
    second = info(client, council, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and json.loads(second.content)["message"] == "新しいお知らせ"


def test_preflight_is_answered_for_other_sites(client, council):
    for url in (reverse("council_info", kwargs={"council": council.slug}),
                reverse("api:public_council", kwargs={"council": council.slug})):
        response = client.options(url, HTTP_ORIGIN="https://example.org",
                                  HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
        assert response.status_code == 204 and response["Access-Control-Allow-Origin"] == "*"


def test_the_api_serves_the_same_document(client, council):
    factories.make_centre(council=council)
    api = client.get(reverse("api:public_council", kwargs={"council": council.slug}))
    page_json = info(client, council)
    assert api.status_code == 200 and api.content == page_json.content and api["ETag"] == page_json["ETag"]


def test_an_unknown_council_is_404_and_json_on_the_api(client):
    assert client.get(reverse("council", kwargs={"council": "nope"})).status_code == 404
    assert client.get(reverse("council_info", kwargs={"council": "nope"})).status_code == 404
    response = client.get(reverse("api:public_council", kwargs={"council": "nope"}))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_council_page_holds_no_persons_data(client, council):
    centre = factories.make_centre(council=council)
    factories.make_need(centre, requester_name="秘密山 依頼子", phone="090-4242-1717")
    admin = factories.make_user(Role.ADMIN, centre, first_name="職員名の例")
    assert admin
    for response in (page(client, council), info(client, council)):
        text = response.content.decode()
        assert "秘密山" not in text and "4242-1717" not in text and "職員名の例" not in text


def test_the_api_route_is_in_the_schema(client):
    schema = json.loads(client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content)
    operation = schema["paths"]["/api/v1/public/councils/{council}/"]["get"]
    assert operation["operationId"] == "public_council" and "404" in operation["responses"]
    assert operation.get("security", []) in ([], [{}])


# --- the settings page -------------------------------------------------------------------------------------

SETTINGS = {"name": "テスト市社会福祉協議会", "phone": "026-111-2222", "address": "テスト市中央1-1",
            "website": "https://example.jp/shakyo/", "normal_message": "平常時のお知らせです。",
            "links": "ご案内 | https://example.jp/annai"}


def settings_url(council):
    return reverse("council_settings", kwargs={"council": council.slug})


def test_a_superuser_may_edit_the_council(client, council):
    client.force_login(factories.make_user(is_superuser=True, is_staff=True))
    assert client.get(settings_url(council)).status_code == 200
    response = client.post(settings_url(council), SETTINGS)
    assert response.status_code == 302
    council.refresh_from_db()
    assert council.normal_message == "平常時のお知らせです。" and council.address == "テスト市中央1-1"


def test_an_administrator_of_the_councils_centre_may_edit_it_and_the_trail_says_so(client, council):
    centre = factories.make_centre(council=council)
    before = council.changed_at
    client.force_login(factories.make_user(Role.ADMIN, centre))
    assert client.post(settings_url(council), SETTINGS).status_code == 302
    council.refresh_from_db()
    assert council.links == "ご案内 | https://example.jp/annai" and council.changed_at > before
    entry = AuditEntry.objects.get(action="council.info")
    assert entry.centre_id == centre.pk and "normal_message" in entry.fields


def test_a_coordinator_and_another_councils_administrator_may_not(client, council):
    centre = factories.make_centre(council=council)
    other = factories.make_centre(council=Council.objects.create(slug="o", name="別の社協", prefecture="長野県"))
    for user in (factories.make_user(Role.COORDINATOR, centre), factories.make_user(Role.ADMIN, other),
                 factories.make_user(Role.ADMIN, factories.make_centre())):
        client.force_login(user)
        assert client.get(settings_url(council)).status_code == 403
        assert client.post(settings_url(council), SETTINGS).status_code == 403
    council.refresh_from_db()
    assert council.normal_message == MESSAGE


def test_anonymous_visitors_are_sent_to_log_in(client, council):
    response = client.get(settings_url(council))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_bad_link_line_is_a_400_that_keeps_what_was_typed(client, council):
    client.force_login(factories.make_user(is_superuser=True, is_staff=True))
    typed = {**SETTINGS, "normal_message": "書きかけのお知らせ", "links": "ご案内 | https://example.jp/\nご案内 | javascript:alert(1)"}
    response = client.post(settings_url(council), typed)
    text = response.content.decode()
    assert response.status_code == 400
    assert "2行目" in text and "書きかけのお知らせ" in text and "javascript:alert(1)" in text
    council.refresh_from_db()
    assert council.normal_message == MESSAGE


@pytest.mark.parametrize("links", ["ラベルだけ", " | https://example.jp/", "ftp://example.jp/file",
                                   "\n".join(f"https://example.jp/{n}" for n in range(21))])
def test_links_must_be_label_and_web_address_and_at_most_twenty(council, links):
    from ops.centres.services import CentreSettingError

    with pytest.raises(CentreSettingError) as refused:
        set_council_info(council, **{**SETTINGS, "links": links})
    assert refused.value.field == "links"


def test_links_are_stored_one_per_line_without_blank_lines(council):
    saved = set_council_info(council, **{**SETTINGS, "links": "\n  https://example.jp/a  \n\n案内 |https://example.jp/b"})
    assert saved.links == "https://example.jp/a\n案内 | https://example.jp/b"


# --- opening a centre for a council ---------------------------------------------------------------------------

def test_opening_a_centre_can_name_its_council(client, council):
    client.force_login(factories.make_user(is_superuser=True, is_staff=True))
    disaster = factories.make_disaster()
    page_text = client.get(reverse("staff:open_centre")).content.decode()
    assert council.name in page_text
    response = client.post(reverse("staff:open_centre"), {
        "disaster": disaster.pk, "name": "新センター", "slug": "new-centre", "prefecture": "長野県",
        "municipality": "テスト市", "lat": 36.6, "lng": 138.2, "council": council.pk})
    assert response.status_code == 302
    centre = Centre.objects.get(slug="new-centre")
    assert centre.council == council
    data = json.loads(info(client, council).content)
    assert [c["slug"] for c in data["centres"]] == ["new-centre"]  # 準備中 is listed


def test_the_centre_settings_page_names_its_council_and_links_to_its_settings(client, council):
    centre = factories.make_centre(council=council)
    client.force_login(factories.make_user(Role.ADMIN, centre))
    text = client.get(reverse("centre_settings", kwargs={"centre": centre.slug})).content.decode()
    assert council.name in text and settings_url(council) in text


def test_the_public_board_links_to_its_council(client, council):
    centre = factories.make_centre(council=council)
    text = client.get(reverse("boards:public", kwargs={"centre": centre.slug})).content.decode()
    assert reverse("council", kwargs={"council": council.slug}) in text


# --- the demo ------------------------------------------------------------------------------------------------

def test_the_demo_centre_is_on_the_demo_councils_page_with_its_public_information(client):
    from datetime import date, time

    from ops.centres.demo import centre_and_staff

    centre = centre_and_staff(date.today())
    council = Council.objects.get(slug="demo-shakyo")
    assert centre.council == council and council.name == "デモ市社会福祉協議会" and len(council.link_list()) == 2
    assert centre.work_today == "泥出し・家財搬出・床下の清掃" and centre.tomorrow_meeting_time == time(8, 30)
    assert centre.tomorrow_meeting_place == "本部（デモ市福祉センター駐車場）" and centre.tomorrow_plan
    assert centre.status_message and centre.phone and centre.address and centre.insurance_signup_url
    services.set_public_info(centre, work_today="床下の乾燥", tomorrow_meeting_time=time(9, 0),
                             tomorrow_meeting_place=centre.tomorrow_meeting_place, tomorrow_plan=centre.tomorrow_plan,
                             status_message=centre.status_message)
    again = centre_and_staff(date.today())  # a second run keeps what staff typed since, adds no council
    assert again.work_today == "床下の乾燥" and again.tomorrow_meeting_time == time(9, 0)
    assert Council.objects.count() == 1
    data = json.loads(info(client, council).content)
    assert data["mode"] == "disaster" and [c["slug"] for c in data["centres"]] == ["demo"]


def test_a_link_typed_in_the_admin_is_shown_only_when_it_is_a_web_link():
    """The admin's text field skips the settings page's check: the public page must still never carry a script."""
    from ops.centres.models import Council

    council = Council(slug="x", name="x", prefecture="長野県",
                      links="悪い | javascript:alert(1)\nよい | https://example.jp/\nJAVASCRIPT:alert(2)")
    assert council.link_list() == [{"label": "よい", "url": "https://example.jp/"}]
