# ruff: noqa: F811  (the fixture imported from conftest_offerbus is the tests' argument)
"""The prefecture staff's offering pages: the list and opening form, one offering with its allocation from
the page (how it was decided, the draw's seed, the outcome mails' delivery), and who may open them."""
import pytest

from ops.messages.models import OutboundMail
from ops.prefecture.models import Application, Offering, PrefectureMembership
from ops.prefecture.services.allocation import draw_order
from ops.prefecture.services.outcomes import mail_outcomes
from tests.factories import make_centre, make_user
from tests.prefecture.conftest_offerbus import pref  # noqa: F401

pytestmark = pytest.mark.django_db


def form(pref, **over):
    data = {"centre": pref.centre.pk, "date": pref.tomorrow.isoformat(), "places": "20", "method": "draw",
            "closes_at": "", "note": "長靴持参"}
    return {**data, **over}


def test_the_list_shows_each_offering_with_its_counts(pref):
    offering = pref.offering(places=4)
    pref.applicants(offering, 2)
    page = pref.client.get(pref.url("offering_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert pref.centre.name in text and "応募受付中" in text and "抽選" in text
    assert [(o.applied_n, o.allocated_n, o.waiting_n) for o in page.context["offerings"]] == [(2, 0, 0)]
    assert page.context["room"]["rows"][0][1][0] == 50  # the places left as help, day by day


def test_opening_an_offering_from_the_page(pref):
    answer = pref.client.post(pref.url("offering_list"), form(pref))
    offering = Offering.objects.get()
    assert answer.status_code == 302 and answer["Location"] == pref.url("offering_detail", pk=offering.pk)
    assert (offering.places, offering.method, offering.note, offering.opened_by) == (20, "draw", "長靴持参", pref.staff)


def test_a_refusal_keeps_the_input_on_its_field_and_writes_nothing(pref):
    answer = pref.client.post(pref.url("offering_list"), form(pref, places="80", note="残す文"))
    assert answer.status_code == 400
    assert answer.context["form"].errors["places"] == ["この日の残りの受入可能人数は50人です。"]
    assert 'value="残す文"' in answer.content.decode() and 'value="80"' in answer.content.decode()
    assert not Offering.objects.exists()


@pytest.mark.parametrize("over", [{"places": "abc"}, {"date": "2026-02-30"}, {"centre": "999999"},
                                  {"method": "lottery"}, {"closes_at": "x"}, {"places": "0"}])
def test_junk_is_a_400_with_field_errors(pref, over):
    answer = pref.client.post(pref.url("offering_list"), form(pref, **over))
    assert answer.status_code == 400 and answer.context["form"].errors
    assert not Offering.objects.exists()


def test_another_disasters_centre_cannot_be_chosen(pref):
    elsewhere = make_centre()
    answer = pref.client.post(pref.url("offering_list"), form(pref, centre=str(elsewhere.pk)))
    assert answer.status_code == 400 and "centre" in answer.context["form"].errors


def test_allocating_by_draw_from_the_page_says_how_with_the_seed(pref):
    offering = pref.offering(places=3, method=Offering.Method.DRAW)
    applied = pref.applicants(offering, 7)
    answer = pref.client.post(pref.url("offering_allocate", pk=offering.pk), follow=True)
    offering.refresh_from_db()
    text = answer.content.decode()
    assert "参加決定 3人、キャンセル待ち 4人" in text
    assert f"抽選で決めました（抽選のシード: {offering.seed}）" in text
    assert "draw_order" in text  # how anyone reproduces the draw
    winners = set(Application.objects.filter(offering=offering, status="allocated").values_list("pk", flat=True))
    assert winners == set(draw_order([a.pk for a in applied], offering.seed)[:3])
    assert answer.context["offering"].allocated_n == 3 and answer.context["offering"].waiting_n == 4


def test_the_outcome_mails_are_shown_by_delivery_state(pref):
    offering = pref.offering(places=2, method=Offering.Method.FIRST_COME)
    pref.applicants(offering, 3)
    pref.client.post(pref.url("offering_allocate", pk=offering.pk))
    mail_outcomes(offering.pk)
    page = pref.client.get(pref.url("offering_detail", pk=offering.pk))
    assert page.context["mails"] == [("送信待ち", 3)]
    assert "応募の順（先着順）で決めました。" in page.content.decode()


def test_a_fitting_offering_is_first_come_whatever_its_method(pref):
    offering = pref.offering(places=5, method=Offering.Method.DRAW)
    pref.applicants(offering, 2)
    page = pref.client.post(pref.url("offering_allocate", pk=offering.pk), follow=True)
    assert "先着順" in page.content.decode() and "draw_order" not in page.content.decode()


def test_a_second_allocation_says_already_and_changes_nothing(pref):
    offering = pref.offering(places=2)
    pref.applicants(offering, 4)
    pref.client.post(pref.url("offering_allocate", pk=offering.pk))
    before = list(Application.objects.order_by("pk").values_list("pk", "status", "rank", "booking_id"))
    again = pref.client.post(pref.url("offering_allocate", pk=offering.pk), follow=True)
    assert "すでに割り当てました" in again.content.decode()
    assert list(Application.objects.order_by("pk").values_list("pk", "status", "rank", "booking_id")) == before


def test_the_offering_page_shows_counts_never_names(pref):
    offering = pref.offering(places=1)
    people = pref.applicants(offering, 2)
    pref.client.post(pref.url("offering_allocate", pk=offering.pk))
    text = pref.client.get(pref.url("offering_detail", pk=offering.pk)).content.decode()
    for application in people:
        assert application.volunteer.name not in text and application.volunteer.phone not in text


def test_allocation_is_post_only(pref):
    offering = pref.offering()
    assert pref.client.get(pref.url("offering_allocate", pk=offering.pk)).status_code == 405
    assert Offering.objects.get().status == Offering.Status.OPEN


def test_staff_of_another_disaster_are_refused(pref, client):
    offering = pref.offering()
    other = make_centre()
    stranger = make_user()
    PrefectureMembership.objects.create(user=stranger, disaster=other.disaster)
    client.force_login(stranger)
    for name, kw in (("offering_list", {}), ("offering_detail", {"pk": offering.pk})):
        assert client.get(pref.url(name, **kw)).status_code == 403
    assert client.post(pref.url("offering_allocate", pk=offering.pk)).status_code == 403
    assert Offering.objects.get().status == Offering.Status.OPEN and not OutboundMail.objects.exists()


def test_an_offering_of_another_disaster_is_not_found_through_ours(pref):
    elsewhere = make_centre()
    theirs = Offering.objects.create(centre=elsewhere, date=elsewhere.today(), places=1)
    assert pref.client.get(pref.url("offering_detail", pk=theirs.pk)).status_code == 404
    assert pref.client.post(pref.url("offering_allocate", pk=theirs.pk)).status_code == 404
