# ruff: noqa: F811  (the fixtures imported from conftest_server are the tests' arguments)
"""The volunteer's phone: check-out from the outbox at the time it was pressed, the personal page kept for a
week (never the staff card a receptionist is sent to), and 「この端末から記録を消す」."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ops.offline.models import Submission
from ops.volunteers import identity
from ops.volunteers.models import Attendance
from tests.offline.conftest_server import attendance, centre, checkout_url, new_key, outbox_post  # noqa: F401

pytestmark = pytest.mark.django_db


def test_check_out_from_the_outbox_is_at_the_time_it_was_pressed(client, attendance):
    pressed = timezone.now() - timedelta(minutes=50)
    response = outbox_post(client, checkout_url(attendance), {}, typed_at=pressed)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "received"
    attendance.refresh_from_db()
    assert attendance.checked_out_at == pressed
    assert float(attendance.hours) == pytest.approx(2.17, abs=0.01)


def test_a_resend_of_the_check_out_is_received_again_and_a_new_key_is_told_it_is_done(client, attendance):
    key = new_key()
    first = outbox_post(client, checkout_url(attendance), {}, key=key)
    again = outbox_post(client, checkout_url(attendance), {}, key=key)
    assert again.json() == {**first.json(), "again": True}
    other = outbox_post(client, checkout_url(attendance), {})
    assert other.status_code == 409 and other.json()["code"] == "checked_out"
    assert Submission.objects.count() == 1


def test_check_out_pressed_yesterday_closes_yesterdays_attendance(client, centre, attendance):
    yesterday = centre.day_bounds(centre.today())[0] - timedelta(minutes=1)  # 23:59 on the centre's clock
    Attendance.objects.filter(pk=attendance.pk).update(date=centre.day_of(yesterday),
                                                       checked_in_at=yesterday - timedelta(hours=2))
    response = outbox_post(client, checkout_url(attendance), {}, typed_at=yesterday)
    assert response.status_code == 200, response.content
    attendance.refresh_from_db()
    assert attendance.checked_out_at == yesterday and attendance.hours == 2


def test_check_out_without_an_attendance_is_refused(client, centre):
    from tests import factories

    volunteer = factories.make_volunteer()
    url = reverse("volunteers:checkout", kwargs={"token": volunteer.token, "centre": centre.slug})
    response = outbox_post(client, url, {})
    assert response.status_code == 409 and response.json()["code"] == "no_attendance"


def test_a_plain_check_out_still_redirects_to_the_personal_page(client, attendance):
    response = client.post(checkout_url(attendance))
    assert response.status_code == 302
    attendance.refresh_from_db()
    assert attendance.checked_out_at is not None and not Submission.objects.exists()


def test_the_personal_page_may_be_kept_for_a_week(client, attendance):
    url = reverse("volunteers:personal", kwargs={"token": attendance.volunteer.token})
    response = client.get(url)
    assert response.status_code == 200
    keep = int(response["X-Offline-Keep"])
    assert abs(keep - (timezone.now() + timedelta(days=7)).timestamp()) < 60
    assert "この端末から記録を消す" in response.content.decode()


def test_a_receptionist_opening_the_link_is_sent_to_the_card_and_nothing_is_kept(client, centre, attendance):
    from ops.centres.models import Role
    from tests import factories

    client.force_login(factories.make_user(centre=centre, role=Role.RECEPTION))
    response = client.get(reverse("volunteers:personal", kwargs={"token": attendance.volunteer.token}))
    assert response.status_code == 302 and "X-Offline-Keep" not in response


def test_forgetting_the_phone_clears_the_cookie_and_what_the_site_kept(client, attendance):
    volunteer = attendance.volunteer
    client.get(reverse("volunteers:personal", kwargs={"token": volunteer.token}))
    assert client.cookies[identity.COOKIE].value
    response = client.post(reverse("volunteers:forget", kwargs={"token": volunteer.token}))
    assert response.status_code == 200
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "この端末の記録を消しました" in response.content.decode()
    assert client.cookies[identity.COOKIE].value == ""
    assert "X-Offline-Keep" not in response
    assert client.get(reverse("volunteers:forget", kwargs={"token": volunteer.token})).status_code == 405
