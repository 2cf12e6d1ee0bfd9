"""An organisation's name is typed by staff: on the surfaces of this area (the resident's page, the staff board,
the 日報, the map board's card and lists) it is shown escaped, never as markup; JSON stays JSON for the
scripts to put in the DOM as text (textContent)."""
import re

import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.partners import services
from ops.reports.figures import daily_figures
from ops.reports.render import render_daily_html
from tests.partners import conftest_boards as boards
from tests.partners.conftest_boards import make_org, offer_tarp, tarp_need

pytestmark = pytest.mark.django_db
centre, coordinator = boards.centre, boards.coordinator  # the fixtures
PAYLOAD = """団体<script>alert(1)</script>"'><img src=x onerror=alert(1)>"""
RAW = re.compile(r"<script>alert\(1\)|<img src=x onerror")
ESCAPED = "団体&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def need(centre, coordinator):
    need = tarp_need(centre)
    services.accept(offer_tarp(need, make_org(centre, PAYLOAD), coordinator), by=coordinator)
    return need


def test_the_resident_page_escapes_the_name(client, need):
    html = client.get(reverse("needs:resident", kwargs={"token": need.reference_token})).content.decode()
    assert ESCAPED in html and not RAW.search(html)


def test_the_staff_board_escapes_the_name(client_as, centre, need):
    html = client_as(Role.VIEWER).get(reverse("boards:staff", kwargs={"centre": centre.slug})).content.decode()
    assert ESCAPED in html and not RAW.search(html)


def test_the_report_escapes_the_name(centre, need):
    html = render_daily_html(daily_figures(centre, centre.today()))
    assert ESCAPED in html and not RAW.search(html)


def test_the_map_card_is_json(coordinator_client, centre, need):
    response = coordinator_client.get(reverse("mapping:need_card", kwargs={"centre": centre.slug, "need": need.pk}))
    assert response["Content-Type"] == "application/json"
    assert response.json()["partner_jobs"][0]["organisation"] == PAYLOAD
