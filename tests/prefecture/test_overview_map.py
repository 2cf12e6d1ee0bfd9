# ruff: noqa: F811  (the fixtures imported from conftest_overview are the tests' arguments)
"""The needs map by district (/pref/<d>/map/districts.json): counts per centre and district, at a mean position
to 3 decimals when 3 or more needs have one, and never a household: no number, name, phone, address, note,
welfare flag or position of its own."""
import json

import pytest
from django.urls import reverse

from tests.prefecture.conftest_overview import EXACT, RESIDENT_SECRETS, as_member, pref  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def districts(client, pref):
    answer = client.get(reverse("prefecture:district_needs", kwargs={"disaster": pref.disaster.pk}))
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/json")
    return answer


def test_counts_by_district_status_group_and_work(pref, as_member):
    data = districts(as_member, pref).json()
    rows = {(d["centre"], d["district"]): d for d in data["districts"]}
    north = rows[(pref.a.pk, "北町")]
    assert north["total"] == 4  # completed and withdrawn needs are not open
    assert north["statuses"] == {"waiting": 2, "in_progress": 1, "on_hold": 1}
    assert [(w["code"], w["n"]) for w in north["work"]] == [("mud", 4)]
    south = rows[(pref.b.pk, "南町")]
    assert south["statuses"] == {"waiting": 3, "in_progress": 0, "on_hold": 0}  # 継続 waits for its next team
    assert {w["code"]: w["n"] for w in south["work"]} == {"mud": 3, "debris": 3}


def test_a_district_is_placed_at_its_mean_rounded_to_100_m(pref, as_member):
    rows = {(d["centre"], d["district"]): d for d in districts(as_member, pref).json()["districts"]}
    north = rows[(pref.a.pk, "北町")]
    open_north = [n for n in pref.needs if n.centre_id == pref.a.pk and n.district == "北町"
                  and n.status not in ("completed", "cancelled")]
    assert north["lat"] == round(sum(n.lat for n in open_north) / len(open_north), 3)
    assert north["lng"] == round(sum(n.lng for n in open_north) / len(open_north), 3)
    for d in rows.values():
        for value in (d["lat"], d["lng"]):
            assert value is None or round(value, 3) == value


def test_a_district_of_fewer_than_three_is_counted_not_placed(pref, as_member):
    rows = {(d["centre"], d["district"]): d for d in districts(as_member, pref).json()["districts"]}
    lone = rows[(pref.a.pk, "一軒だけ")]
    assert lone["total"] == 1 and lone["lat"] is None and lone["lng"] is None


def test_no_household_is_in_the_answer(pref, as_member):
    text = json.dumps(districts(as_member, pref).json(), ensure_ascii=False)
    assert [s for s in RESIDENT_SECRETS if s in text] == []
    exact = (str(EXACT["lat"])[:7], str(EXACT["lng"])[:8])  # 36.6123, 138.2123: finer than 100 m
    assert [s for s in exact if s in text] == []
    for need in pref.needs:
        assert f"N-{need.number:04d}" not in text
    keys = {k for d in json.loads(text)["districts"] for k in d}
    assert keys == {"centre", "centre_name", "district", "total", "lat", "lng", "statuses", "work"}


def test_the_map_page_shows_no_household_either(pref, as_member):
    page = as_member.get(reverse("prefecture:district_map", kwargs={"disaster": pref.disaster.pk})).content.decode()
    assert [s for s in RESIDENT_SECRETS if s in page] == []
    assert "leaflet" in page and "district_map.js" in page
