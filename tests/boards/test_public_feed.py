"""The public JSON as other sites read it: conditional requests (ETag, Last-Modified, 304), CORS and its preflight,
Cache-Control, the per-group last-changed times (a check-in moves the figures, never 'last updated'), one
document behind both URLs, and the OpenAPI contract it keeps."""
from datetime import time, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from api.centres import PublicStatusSerializer
from ops.centres import bases, suspension
from ops.centres import services as centre_services
from ops.centres.models import Base
from ops.volunteers.services import check_in
from tests import factories
from tests.volunteers.conftest import HEALTHY

# The snapshot opens its own REPEATABLE READ transaction, as real requests do (see tests/api).
pytestmark = pytest.mark.django_db(transaction=True)


def feed_url(centre):
    return reverse("boards:public_snapshot", kwargs={"centre": centre.slug})


def api_url(centre):
    return reverse("api:public_status", kwargs={"centre": centre.slug})


def arrive(centre):
    return check_in(factories.make_volunteer(), centre, on=centre.today(), health=HEALTHY, insurance_confirmed=True)


def test_an_unchanged_document_is_a_304_to_its_etag_and_a_200_after_a_change(client):
    centre = factories.make_centre()
    first = client.get(feed_url(centre))
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and len(etag) > 10

    again = client.get(feed_url(centre), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Last-Modified"] == first["Last-Modified"]
    weak = client.get(feed_url(centre), headers={"If-None-Match": f'"other", W/{etag}'})
    assert weak.status_code == 304  # RFC 9110: If-None-Match compares weakly
    assert client.get(feed_url(centre), headers={"If-None-Match": "*"}).status_code == 304

    arrive(centre)
    changed = client.get(feed_url(centre), headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["counters"]["volunteers_today"] == 1


def test_if_modified_since_answers_304_only_when_nothing_changed_since(client):
    centre = factories.make_centre()
    first = client.get(feed_url(centre))
    last_modified = first["Last-Modified"]
    assert client.get(feed_url(centre), headers={"If-Modified-Since": last_modified}).status_code == 304
    older = http_date((timezone.now() - timedelta(days=2)).timestamp())
    assert client.get(feed_url(centre), headers={"If-Modified-Since": older}).status_code == 200
    # An ETag that no longer matches wins over a date that would (If-None-Match decides when both are sent).
    assert client.get(feed_url(centre), headers={"If-None-Match": '"stale"',
                                                  "If-Modified-Since": last_modified}).status_code == 200


def test_a_check_in_moves_the_figures_and_last_modified_but_not_updated_at(client):
    with time_machine.travel(timezone.now() - timedelta(minutes=5), tick=False):
        centre = factories.make_centre()
    before = client.get(feed_url(centre))
    arrive(centre)
    after = client.get(feed_url(centre))

    assert after.json()["updated_at"] == before.json()["updated_at"]
    assert after.json()["centre"]["changed"] == before.json()["centre"]["changed"]
    assert after.json()["figures_at"] is not None
    assert after["Last-Modified"] != before["Last-Modified"]  # the counters moved: a cache must revalidate


def test_each_public_change_stamps_its_own_group_and_last_updated(client):
    with time_machine.travel(timezone.now() - timedelta(hours=1), tick=False):
        centre = factories.make_centre()
    start = client.get(feed_url(centre)).json()
    assert start["centre"]["updated_at"] == start["updated_at"]

    centre_services.set_public_info(centre, work_today="泥出し・家財搬出", tomorrow_meeting_time=time(8, 30),
                                    tomorrow_meeting_place="本部駐車場", tomorrow_plan="", status_message="受付中")
    body = client.get(feed_url(centre)).json()
    moved = {g for g, at in body["centre"]["changed"].items() if at != start["centre"]["changed"][g]}
    assert moved == {"work_today", "tomorrow", "message"}
    assert body["updated_at"] == max(body["centre"]["changed"].values()) > start["updated_at"]
    info = body["centre"]["info"]
    assert info["work_today"] == "泥出し・家財搬出" and info["message"] == "受付中"
    assert info["tomorrow"] == {"meeting_time": "08:30", "meeting_place": "本部駐車場", "plan": ""}

    bases.save_base(centre, name="北サテライト", kind=Base.Kind.SATELLITE, address="北町1-1", lat=36.7, lng=138.2,
                    daily_capacity=None)
    bases.set_capacity_day(centre, day=centre.today() + timedelta(days=2), capacity=10, closed=False)
    suspension.suspend(centre, day=centre.today() + timedelta(days=3), starts_at=None, reason="heavy_rain")
    centre_services.set_profile(centre, name=centre.name, address="中央1-2-3", phone="026-000-0000",
                                lat=centre.lat, lng=centre.lng)
    later = client.get(feed_url(centre)).json()
    moved = {g for g, at in later["centre"]["changed"].items() if at != body["centre"]["changed"][g]}
    assert moved == {"bases", "days", "suspensions", "address", "phone"}
    assert [b["name"] for b in later["centre"]["info"]["bases"]] == ["本部", "北サテライト"]
    assert later["centre"]["info"]["phone"] == "026-000-0000"


def test_saving_the_same_values_again_changes_nothing(client):
    centre = factories.make_centre()
    centre_services.set_public_info(centre, work_today="泥出し", tomorrow_meeting_time=None,
                                    tomorrow_meeting_place="", tomorrow_plan="", status_message="")
    etag = client.get(feed_url(centre))["ETag"]
    centre_services.set_public_info(centre, work_today="泥出し", tomorrow_meeting_time=None,
                                    tomorrow_meeting_place="", tomorrow_plan="", status_message="")
    assert client.get(feed_url(centre), headers={"If-None-Match": etag}).status_code == 304


def test_days_say_whether_booking_is_open_with_the_link(client):
    centre = factories.make_centre(daily_capacity=5)
    today = centre.today()
    bases.set_capacity_day(centre, day=today + timedelta(days=2), capacity=None, closed=True)
    suspension.suspend(centre, day=today + timedelta(days=3), starts_at=None, reason="heavy_rain")
    suspension.suspend(centre, day=today + timedelta(days=4), starts_at=time(13, 0), reason="heat_alert")
    days = client.get(feed_url(centre)).json()["days"]

    open_days = {d["date"]: d["booking_open"] for d in days}
    assert open_days[(today + timedelta(days=1)).isoformat()] is True
    assert open_days[(today + timedelta(days=2)).isoformat()] is False  # 休止日
    assert open_days[(today + timedelta(days=3)).isoformat()] is False  # suspended all day
    assert open_days[(today + timedelta(days=4)).isoformat()] is True  # from 13:00 only: the morning works
    first = days[0]
    assert first["booking_url"].endswith(f"/p/{centre.slug}/volunteers/book/?date={first['date']}")
    assert days[1]["booking_url"] is None

    centre_services.set_recruitment(centre, status="none", scope="prefecture", capacity=5)
    assert not any(d["booking_open"] for d in client.get(feed_url(centre)).json()["days"])


def test_both_urls_serve_one_document_with_cors_and_cache_control(client):
    centre = factories.make_centre()
    board, api = client.get(feed_url(centre)), client.get(api_url(centre))
    assert board.status_code == api.status_code == 200
    assert board.content == api.content and board["ETag"] == api["ETag"]
    for response in (board, api):
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "ETag" in response["Access-Control-Expose-Headers"]
        cache = response["Cache-Control"]
        assert cache.startswith("public") and "max-age=10" in cache and "stale-while-revalidate" in cache
        assert "Set-Cookie" not in response and not response.cookies


@pytest.mark.parametrize("url", [feed_url, api_url])
def test_a_cross_origin_preflight_is_answered(client, url):
    centre = factories.make_centre()
    response = client.options(url(centre), headers={"Origin": "https://www.example-shakyo.or.jp",
                                                    "Access-Control-Request-Method": "GET",
                                                    "Access-Control-Request-Headers": "if-none-match"})
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]


def test_head_answers_the_headers_without_the_body(client):
    centre = factories.make_centre()
    full, head = client.get(feed_url(centre)), client.head(feed_url(centre))
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == full["ETag"] and int(head["Content-Length"]) == len(full.content)


def test_unknown_centres_and_other_methods(client):
    assert client.get(reverse("boards:public_snapshot", kwargs={"centre": "nowhere"})).status_code == 404
    centre = factories.make_centre()
    assert client.post(feed_url(centre)).status_code == 405


def test_during_a_burst_a_recent_document_is_served_for_the_stale_window(client, settings):
    """With a window, a check-in right after a build is not rebuilt for: the document lags (it says so by its
    unchanged ETag); with none, it is rebuilt at once."""
    centre = factories.make_centre()
    settings.PUBLIC_FEED_STALE_SECONDS = 60
    etag = client.get(feed_url(centre))["ETag"]
    arrive(centre)
    assert client.get(feed_url(centre), headers={"If-None-Match": etag}).status_code == 304
    settings.PUBLIC_FEED_STALE_SECONDS = 0
    fresh = client.get(feed_url(centre), headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.json()["counters"]["volunteers_today"] == 1


def test_the_document_keeps_the_openapi_contract(client):
    """Every field the schema promises is in the document, with the promised type: the contract is the code."""
    centre = factories.make_centre()
    centre_services.set_public_info(centre, work_today="泥出し", tomorrow_meeting_time=time(8, 0),
                                    tomorrow_meeting_place="本部", tomorrow_plan="継続", status_message="受付中")
    suspension.suspend(centre, day=centre.today() + timedelta(days=1), starts_at=time(13, 0), reason="heat_alert")
    body = client.get(api_url(centre)).json()
    check_fields(PublicStatusSerializer(), body, "")

    schema = SchemaGenerator(patterns=None, urlconf="dvc.urls", api_version="v1").get_schema(public=True)
    operation = schema["paths"]["/api/v1/public/centres/{centre}/status/"]["get"]
    assert {"200", "304"} <= set(operation["responses"])
    assert "Stability" in operation["description"] and "If-None-Match" in operation["description"]


TYPES = {serializers.IntegerField: int, serializers.BooleanField: bool, serializers.FloatField: (float, int),
         serializers.CharField: str, serializers.URLField: str, serializers.DateField: str,
         serializers.DateTimeField: str, serializers.ChoiceField: str, serializers.DictField: dict,
         serializers.ListField: list}


def check_fields(field, value, path):
    if value is None:
        assert getattr(field, "allow_null", False), f"{path} is null but the schema does not allow it"
        return
    if isinstance(field, serializers.ListSerializer):
        assert isinstance(value, list), path
        for i, item in enumerate(value):
            check_fields(field.child, item, f"{path}[{i}]")
        return
    if isinstance(field, serializers.Serializer):
        assert isinstance(value, dict), path
        missing = set(field.fields) - set(value)
        assert not missing, f"{path}: the schema promises {sorted(missing)}"
        for name, child in field.fields.items():
            check_fields(child, value[name], f"{path}.{name}")
        return
    if isinstance(field, serializers.ChoiceField):
        assert value in field.choices, f"{path}: {value!r} is not one of the schema's codes"
    expected = next(t for cls, t in TYPES.items() if isinstance(field, cls))
    assert isinstance(value, expected), f"{path}: {value!r} is not {expected}"


def test_a_change_of_information_is_served_at_once_even_in_the_stale_window(client, settings):
    centre = factories.make_centre()
    settings.PUBLIC_FEED_STALE_SECONDS = 60
    client.get(feed_url(centre))
    centre_services.set_public_info(centre, work_today="", tomorrow_meeting_time=None, tomorrow_meeting_place="",
                                    tomorrow_plan="", status_message="本日の受付は終了しました")
    assert client.get(feed_url(centre)).json()["centre"]["info"]["message"] == "本日の受付は終了しました"


def test_the_day_rolls_over_at_the_centres_midnight_without_any_event(client, settings):
    settings.PUBLIC_FEED_STALE_SECONDS = 60
    centre = factories.make_centre()
    evening = centre.at(centre.today(), time(23, 59))
    with time_machine.travel(evening, tick=False):
        arrive(centre)
        before = client.get(feed_url(centre))
        assert before.json()["counters"]["volunteers_today"] == 1
    with time_machine.travel(evening + timedelta(minutes=2), tick=False):
        after = client.get(feed_url(centre), headers={"If-None-Match": before["ETag"]})
        assert after.status_code == 200
        assert after.json()["date"] == (evening + timedelta(days=1)).date().isoformat()
        assert after.json()["counters"]["volunteers_today"] == 0


def test_closing_and_reopening_the_centre_moves_last_updated(client):
    """The status is public information: the board's 最終更新 must say when the centre closed (it did not)."""
    from ops.centres.closing import close_centre, reopen_centre

    with time_machine.travel(timezone.now() - timedelta(hours=1), tick=False):
        centre = factories.make_centre()
    before = client.get(feed_url(centre)).json()
    close_centre(centre, confirm_name=centre.name, by=None)
    closed = client.get(feed_url(centre)).json()
    assert closed["centre"]["status"] == "closed"
    assert closed["centre"]["changed"]["status"] > before["centre"]["changed"]["status"]
    assert closed["updated_at"] == closed["centre"]["changed"]["status"]
    reopen_centre(centre, by=None)
    assert client.get(feed_url(centre)).json()["centre"]["changed"]["status"] > closed["centre"]["changed"]["status"]


def test_the_fast_path_answers_as_the_full_middleware_chain_does(client, settings):
    """ops.boards.fastpath skips sessions, CSRF, users and the audit actor for the polled JSON: the answer must
    be the one the whole chain gives (body, ETag, language, 304), and anything else must still take the chain."""
    centre = factories.make_centre()
    fast = client.get(feed_url(centre), headers={"Accept-Language": "en"})
    fast_304 = client.get(feed_url(centre), headers={"Accept-Language": "en", "If-None-Match": fast["ETag"]})
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "ops.boards.fastpath.PublicFeedFastPath"]
    full = Client().get(feed_url(centre), headers={"Accept-Language": "en"})
    assert full.has_header("X-Frame-Options") and not fast.has_header("X-Frame-Options")  # two different paths

    assert fast.status_code == full.status_code == 200 and fast_304.status_code == 304
    assert fast.content == full.content and fast["ETag"] == full["ETag"]
    assert fast.json()["labels"]["status"] == "Open"  # the language of Accept-Language, as LocaleMiddleware
    assert fast["Content-Language"] == "en" and "Accept-Language" in fast["Vary"]
    assert "Cookie" not in fast["Vary"]  # a CDN may keep one copy per language


def test_the_fast_path_leaves_other_answers_to_the_full_chain(client):
    unknown = client.get("/p/no-such-centre/board.json")
    assert unknown.status_code == 404 and b"<html" in unknown.content.lower()  # the site's own 404 page
    centre = factories.make_centre()
    assert client.post(feed_url(centre)).status_code == 405
    ja = client.get(feed_url(centre))
    assert ja.json()["labels"]["status"] == "開設中" and ja["Content-Language"] == "ja"


def test_polls_share_one_read_of_the_centres_state_for_the_state_window(client, settings,
                                                                        django_assert_max_num_queries):
    centre = factories.make_centre()
    settings.PUBLIC_FEED_STATE_SECONDS = 60
    etag = client.get(feed_url(centre))["ETag"]
    with django_assert_max_num_queries(0):
        for _ in range(5):
            assert client.get(feed_url(centre), headers={"If-None-Match": etag}).status_code == 304
    settings.PUBLIC_FEED_STATE_SECONDS = 0
    centre_services.set_public_info(centre, work_today="", tomorrow_meeting_time=None, tomorrow_meeting_place="",
                                    tomorrow_plan="", status_message="午後は雨のため中止します")
    assert client.get(feed_url(centre), headers={"If-None-Match": etag}).status_code == 200
