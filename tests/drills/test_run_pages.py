# ruff: noqa: F811  (the fixtures imported from conftest_run are the tests' arguments)
"""The drill's run pages: opening a drill (drills/new/), the control page and its actions (the drill's
管理者 only), the 「訓練の電話」 panel (who takes calls), the staff board's 状況付与 banner; a real centre has none."""
from datetime import timedelta

import pytest
from django.urls import reverse

from ops.centres.models import Centre, Role
from ops.drills.models import Drill
from ops.drills.player import play_due
from tests import factories
from tests.drills.conftest_run import home, scenario_dir, tiny_drill  # noqa: F401


def url(name, centre):
    return reverse(f"drills:{name}", kwargs={"centre": centre.slug})


def member(centre, role):
    return factories.make_user(role, centre)


def test_a_centres_administrator_opens_a_drill_with_the_staff(client, home):
    client.force_login(home.admin)
    page = client.get(reverse("drills:new"))
    assert page.status_code == 200 and "朝の受付ラッシュ" in page.content.decode()
    response = client.post(reverse("drills:new"), {"scenario": "morning_rush", "name": "", "speed": "6",
                                                   "staff_from": str(home.pk)})
    centre = Centre.objects.drills().get()
    assert response.status_code == 302 and response["Location"] == url("control", centre)
    assert centre.name == "訓練センター" and centre.memberships.count() == 1 + len(home.staff)


@pytest.mark.parametrize("data", [{"scenario": "../x", "speed": "6"}, {"scenario": "morning_rush", "speed": "7"},
                                  {"scenario": "morning_rush", "speed": "6", "staff_from": "999999"}])
def test_a_bad_opening_shows_the_form_again_and_opens_nothing(client, home, data):
    client.force_login(home.admin)
    response = client.post(reverse("drills:new"), data)
    assert response.status_code == 400 and not Centre.objects.drills().exists()
    assert 'class="error"' in response.content.decode()


def test_only_administrators_may_open_a_drill(client, home):
    for user in (home.staff[Role.COORDINATOR], factories.make_user()):
        client.force_login(user)
        assert client.get(reverse("drills:new")).status_code == 403
        assert client.post(reverse("drills:new"), {"scenario": "morning_rush", "speed": "6"}).status_code == 403
    client.logout()
    assert client.get(reverse("drills:new")).status_code == 302
    assert not Centre.objects.drills().exists()


def test_the_control_page_runs_the_drill_for_its_administrator(client, tiny_drill, home):
    centre = tiny_drill
    client.force_login(home.admin)
    page = client.get(url("control", centre)).content.decode()
    assert "小さな訓練" in page and "開始前" in page and "08:00" in page
    client.post(url("run", centre), {"action": "start"})
    assert Drill.objects.get(centre=centre).status == Drill.Status.RUNNING
    page = client.get(url("control", centre)).content.decode()
    assert 'http-equiv="refresh"' in page and "一時停止" in page
    client.post(url("run", centre), {"action": "pause"})
    assert Drill.objects.get(centre=centre).status == Drill.Status.PAUSED
    response = client.post(url("run", centre), {"action": "pause"}, follow=True)
    assert "実施中の訓練だけが一時停止できます。" in response.content.decode()
    client.post(url("run", centre), {"action": "nonsense"})
    assert Drill.objects.get(centre=centre).status == Drill.Status.PAUSED
    assert client.get(url("run", centre)).status_code == 405


def test_the_control_page_is_the_drill_administrators_only(client, tiny_drill, home):
    centre = tiny_drill
    for role in (Role.COORDINATOR, Role.INTAKE, Role.VIEWER):
        client.force_login(member(centre, role))
        assert client.get(url("control", centre)).status_code == 403
        assert client.post(url("run", centre), {"action": "start"}).status_code == 403
    client.force_login(member(home, Role.ADMIN))  # the real centre's other administrator: not this drill's
    assert client.get(url("control", centre)).status_code == 403
    assert Drill.objects.get(centre=centre).status == Drill.Status.READY


def test_a_real_centre_has_no_drill_pages(client, home):
    client.force_login(home.admin)
    for name in ("control", "run", "calls"):
        assert client.get(url(name, home)).status_code in (404, 405)
        assert client.post(url(name, home), {"action": "start"}).status_code == 404


def test_the_calls_panel_shows_what_was_rung_to_who_takes_calls(client, tiny_drill, home):
    centre = tiny_drill
    drill = centre.drill
    from ops.drills import services

    drill = services.start(drill, by=home.admin)
    Drill.objects.filter(pk=drill.pk).update(started_at=drill.started_at - timedelta(seconds=5))
    play_due(drill.pk)
    client.force_login(home.staff[Role.INTAKE])
    page = client.get(url("calls", centre)).content.decode()
    assert "伊藤 清" in page and "080-0000-8002" in page and "もう疲れた。" in page and "荻原 キヨ" in page
    assert "危機" not in page  # the intake must hear it: the panel does not say it
    assert reverse("needs:new", kwargs={"centre": centre.slug}) in page
    assert "受付済み" not in page
    # the intake types 伊藤 清's call into the real intake page: the panel then says it was taken, and by which need
    from ops.needs.services.intake import record_need

    need = record_need(centre=centre, by=home.staff[Role.INTAKE], requester_name="伊藤 清",
                       requester_kana="イトウ キヨシ", phone="08000008002", address="テスト市若宮4-25-11",
                       district="若宮")
    page = client.get(url("calls", centre)).content.decode()
    assert f"受付済み: {need.label}" in page and page.count("受付済み") == 1
    for role in (Role.RECEPTION, Role.WELFARE):
        client.force_login(home.staff[role])
        assert client.get(url("calls", centre)).status_code == 403


def test_the_staff_board_of_a_drill_shows_the_injects(client, tiny_drill, home):
    centre = tiny_drill
    drill = centre.drill
    from ops.drills import services

    drill = services.start(drill, by=home.admin)
    Drill.objects.filter(pk=drill.pk).update(started_at=drill.started_at - timedelta(seconds=9))
    play_due(drill.pk)
    client.force_login(home.staff[Role.RECEPTION])
    page = client.get(reverse("boards:staff", kwargs={"centre": centre.slug})).content.decode()
    assert "大雨警報が発表されました。" in page and "drills/board.js" in page
    assert "訓練の電話を見る" not in page  # reception takes no calls
    client.force_login(home.admin)
    real = client.get(reverse("boards:staff", kwargs={"centre": home.slug})).content.decode()
    assert "drill-injects" not in real


def test_the_menu_of_a_drill_centre_links_its_pages_and_a_real_ones_does_not(client, tiny_drill, home):
    client.force_login(home.admin)
    menu = client.get(reverse("centre_home", kwargs={"centre": tiny_drill.slug}) + "?menu").content.decode()
    assert url("control", tiny_drill) in menu and url("calls", tiny_drill) in menu
    real = client.get(reverse("centre_home", kwargs={"centre": home.slug}) + "?menu").content.decode()
    assert "/drill/" not in real and reverse("drills:new") in real
