"""The tool desk in chromium with a fake camera (tests/desk/fakecam.py): a member's personal QR chooses the
team, five labels are read through scanner.js + jsQR and lent; the bench's measure_lend drives it."""
import pytest
from django.test import Client
from django.urls import reverse

from bench.desk_tools import measure_lend, prepare_lend
from ops.centres.models import Role
from ops.dispatch.models import EquipmentLoan
from tests import factories
from tests.dispatch.conftest import END_OF_DAY, make_team
from tests.e2e.conftest import no_horizontal_scroll, screenshot_dir  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_five_labels_on_camera_are_lent_to_the_team_a_members_qr_chose(stack, tmp_path, screenshot_dir):  # noqa: F811
    centre = factories.make_centre(latest_return_time=END_OF_DAY)
    team = make_team(centre, 3)
    _, tool_codes = prepare_lend(centre, team)
    member_link = stack.server_url + reverse("volunteers:personal", kwargs={"token": team.crew()[2].volunteer.token})
    staff = Client()
    staff.force_login(factories.make_user(Role.COORDINATOR, centre))

    seen = {}

    def desk_page(page):  # at 360 px, as on the desk's phone
        page.wait_for_selector("#tool-desk-tools[data-out='5']")
        seen["rows"] = page.locator("#tool-desk-tools li.out").all_inner_texts()
        seen["team"] = page.locator("#tool-desk-team-label").inner_text()
        seen["fits"] = no_horizontal_scroll(page)
        seen["errors"] = page.evaluate("() => document.querySelectorAll('.desk-message.refused').length")
        page.screenshot(path=screenshot_dir / "desk-tools-phone.png", full_page=True)

    lend_s = measure_lend(stack.server_url, centre.slug, [("sessionid", staff.cookies["sessionid"].value)], tmp_path,
                          team_code=member_link, tool_codes=tool_codes, after=desk_page)

    loans = EquipmentLoan.objects.filter(team=team).select_related("kind", "item").order_by("pk")
    assert [(loan.kind.name.split()[0], loan.item.number if loan.item else None, loan.quantity) for loan in loans] == [
        ("発電機", 1, 1), ("発電機", 2, 1), ("発電機", 3, 1), ("スコップ", None, 5), ("バケツ", None, 1)]
    assert seen["team"] == team.label and seen["fits"] and seen["errors"] == 0
    assert [r.split(" (")[0] for r in seen["rows"]][:3] == [f"{loans[0].kind.name} No. {n}" for n in (1, 2, 3)]
    assert 0 < lend_s < 15
