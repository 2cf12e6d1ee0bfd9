"""公開情報: staff type today's work, tomorrow's plan and a status message on the recruitment page; the public board
shows them with the centre's contact, hours, bases and links, each block with its own last-changed time. Empty
fields hide their block; a day offers a booking link only while it takes bookings; "last updated" moves when the
public information changes, never on a check-in."""
import re
from datetime import time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from ops.centres import services
from ops.centres.models import AuditEntry, Base, CapacityDay, Centre, Event, Role
from ops.volunteers.services import check_in
from tests import factories

pytestmark = pytest.mark.django_db

HEALTHY = {"no_fever": True, "feeling_well": True, "rested": True}


def recruitment_url(centre):
    return reverse("boards:recruitment", kwargs={"centre": centre.slug})


def board(client, centre) -> str:
    response = client.get(reverse("boards:public", kwargs={"centre": centre.slug}))
    assert response.status_code == 200
    return response.content.decode()


def opening_tag(page: str, css_class: str) -> str:
    """The opening tag of the element whose class list holds `css_class`."""
    match = re.search(r'<[a-z]+ class="[^"]*\b' + re.escape(css_class) + r'\b[^"]*"[^>]*>', page)
    assert match, css_class
    return match.group(0)


def hidden(page: str, css_class: str) -> bool:
    return re.search(r"\shidden[\s>]", opening_tag(page, css_class)) is not None


def day_row(page: str, day) -> str:
    return page.split(f'data-date="{day.isoformat()}"', 1)[1].split("</tr>", 1)[0]


def updated_at(page: str) -> str:
    return re.search(r'<time data-field="updated_at" datetime="([^"]*)"', page).group(1)


def form(**kw):
    data = {"form": "public_info", "public_info-work_today": "泥出し・家財搬出",
            "public_info-tomorrow_meeting_time": "08:30", "public_info-tomorrow_meeting_place": "中央公民館 駐車場",
            "public_info-tomorrow_plan": "引き続き泥出し\n雨天時は中止", "public_info-status_message": "本日の受付は終了しました"}
    data.update({f"public_info-{k}": v for k, v in kw.items()})
    return data


@pytest.fixture
def admin_client(client, centre):
    client.force_login(factories.make_user(Role.ADMIN, centre))
    return client


def test_the_public_info_form_saves_audits_and_reaches_the_board(admin_client, centre):
    response = admin_client.post(recruitment_url(centre), form())
    assert response.status_code == 302
    centre.refresh_from_db()
    assert (centre.work_today, centre.tomorrow_meeting_time, centre.tomorrow_meeting_place, centre.tomorrow_plan,
            centre.status_message) == ("泥出し・家財搬出", time(8, 30), "中央公民館 駐車場", "引き続き泥出し\n雨天時は中止",
                                       "本日の受付は終了しました")
    assert AuditEntry.objects.filter(centre=centre, action="centre.public_info").exists()
    assert Event.objects.filter(centre=centre, kind="centre.changed").count() == 1
    page = admin_client.get(recruitment_url(centre)).content.decode()
    assert "公開情報" in page and "泥出し・家財搬出" in page and 'value="08:30"' in page  # the form shows what is saved


def test_a_status_message_over_200_characters_is_refused_with_400_keeping_what_was_typed(admin_client, centre):
    response = admin_client.post(recruitment_url(centre), form(status_message="あ" * 201, work_today="床下の泥出し"))
    assert response.status_code == 400
    page = response.content.decode()
    field = page.split('name="public_info-status_message"', 1)[1].split("</div>", 1)[0]
    assert "状況メッセージは200文字までです。" in field  # next to its field, not at the top of the form
    assert "あ" * 201 in page and "床下の泥出し" in page and "中央公民館 駐車場" in page
    centre.refresh_from_db()
    assert centre.status_message == "" and centre.work_today == ""
    assert not Event.objects.filter(centre=centre).exists()


def test_a_meeting_time_that_is_no_time_is_refused_with_400(admin_client, centre):
    response = admin_client.post(recruitment_url(centre), form(tomorrow_meeting_time="25:99"))
    assert response.status_code == 400
    assert 'class="field has-error"' in response.content.decode()
    centre.refresh_from_db()
    assert centre.tomorrow_meeting_time is None and centre.work_today == ""


def test_the_refusal_is_in_the_users_language(admin_client, centre):
    response = admin_client.post(recruitment_url(centre), form(tomorrow_plan="x" * 501), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    page = response.content.decode()
    assert "明日の予定は500文字までです。" not in page
    assert "500 characters" in page


def test_the_public_board_shows_every_field(client, centre):
    services.set_profile(centre, name=centre.name, address="長野県テスト市中央1-2-3", phone="026-123-4567",
                         lat=centre.lat, lng=centre.lng)
    services.set_volunteer_terms(centre, insurance_signup_url="https://example.jp/hoken", neighbour_cities="")
    services.set_public_info(centre, work_today="泥出し・家財搬出", tomorrow_meeting_time=time(8, 30),
                             tomorrow_meeting_place="中央公民館 駐車場", tomorrow_plan="引き続き泥出し",
                             status_message="本日の受付は終了しました")
    Base.objects.create(centre=centre, name="東サテライト", kind=Base.Kind.SATELLITE, address="テスト市東町5",
                        lat=centre.lat, lng=centre.lng)
    page = board(client, centre)
    assert "本日の受付は終了しました" in page.split('class="pb-message-text"', 1)[1].split("</p>", 1)[0]
    assert 'href="tel:0261234567"' in page and "026-123-4567" in page
    assert "長野県テスト市中央1-2-3" in page
    assert "08:30–16:00" in page  # reception hours
    assert "帰着期限" in page and "15:30" in page
    assert "泥出し・家財搬出" in page
    assert "08:30" in page.split('class="pb-card pb-tomorrow"', 1)[1] and "中央公民館 駐車場" in page
    assert "引き続き泥出し" in page
    bases = page.split('data-info-list="bases"', 1)[1].split("</ul>", 1)[0]
    assert "本部" in bases and "東サテライト" in bases and "サテライト" in bases and "テスト市東町5" in bases
    for name in ("volunteers:register", "volunteers:book", "needs:public_request"):
        assert reverse(name, kwargs={"centre": centre.slug}) in page
    assert 'href="https://example.jp/hoken"' in page
    for block in ("pb-message", "pb-work", "pb-tomorrow", "pb-contact", "pb-bases"):
        assert not hidden(page, block), block
    # each block's own last-changed time: 「12/7 9:05 更新」
    assert re.search(r'data-changed-block="work_today" datetime="[^"]+">\d{1,2}/\d{1,2} \d{1,2}:\d\d 更新<', page)


def test_empty_fields_hide_their_blocks(client, centre):
    services.set_profile(centre, name=centre.name, address="", phone="", lat=centre.lat, lng=centre.lng)
    page = board(client, centre)
    for block in ("pb-message", "pb-work", "pb-tomorrow"):
        assert hidden(page, block), block
    assert 'data-show-if="phone" hidden' in page and 'data-show-if="address" hidden' in page
    assert 'data-show-if="insurance_signup_url" hidden' in page

    services.set_public_info(centre, work_today="", tomorrow_meeting_time=None, tomorrow_meeting_place="",
                             tomorrow_plan="屋内の片付け", status_message="")
    page = board(client, centre)
    assert not hidden(page, "pb-tomorrow") and hidden(page, "pb-work") and hidden(page, "pb-message")
    assert 'data-show-if="tomorrow.meeting_time" hidden' in page and 'data-show-if="tomorrow.plan">' in page


def test_a_booking_link_only_on_a_day_that_takes_bookings(client, centre):
    tomorrow, day_after = centre.today() + timedelta(days=1), centre.today() + timedelta(days=2)
    CapacityDay.objects.create(centre=centre, date=tomorrow, closed=True)
    page = board(client, centre)
    assert "pb-book" not in day_row(page, tomorrow)
    open_row = day_row(page, day_after)
    assert 'class="pb-book"' in open_row and f"?date={day_after.isoformat()}" in open_row

    services.set_recruitment(centre, status=Centre.Recruitment.NONE, scope=centre.recruitment_scope,
                             capacity=centre.daily_capacity)
    assert 'class="pb-book"' not in board(client, centre)


def test_last_updated_does_not_move_on_a_check_in_but_does_when_the_information_changes(client, centre):
    before = updated_at(board(client, centre))
    check_in(factories.make_volunteer(), centre, on=centre.today(), via="phone", health=HEALTHY,
             insurance_confirmed=True)
    page = board(client, centre)
    assert 'data-field="volunteers_today">1<' in page  # the check-in is on the board...
    assert updated_at(page) == before  # ...but the information did not change
    services.set_public_info(centre, work_today="泥出し", tomorrow_meeting_time=None, tomorrow_meeting_place="",
                             tomorrow_plan="", status_message="")
    after = updated_at(board(client, centre))
    assert after > before
    assert after == Centre.objects.get(pk=centre.pk).public_changed["work_today"]


def test_the_booking_page_preselects_the_day_from_the_board(client, centre):
    volunteer = factories.make_volunteer()
    client.get(f"/v/{volunteer.token}/")
    url = reverse("volunteers:book", kwargs={"centre": centre.slug})
    day = centre.today() + timedelta(days=3)
    page = client.get(url, {"date": day.isoformat()}).content.decode()
    assert re.search(rf'<option value="{day.isoformat()}"[^>]* selected>', page)
    for odd in ("2001-01-01", "tomorrow", ""):  # not an offered day: nothing chosen, no error
        response = client.get(url, {"date": odd})
        assert response.status_code == 200 and " selected>" not in response.content.decode()


def test_registering_first_keeps_the_chosen_day(client, centre):
    url = reverse("volunteers:book", kwargs={"centre": centre.slug})
    day = centre.today() + timedelta(days=2)
    response = client.get(url, {"date": day.isoformat()})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [f"{url}?date={day.isoformat()}"]
