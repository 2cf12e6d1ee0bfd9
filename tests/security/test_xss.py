"""Stored XSS: every free-text field of the centre's day holds a script payload (resident's name and address,
need description, hazards, notes, survey, return report, history reason, photo caption, referral note,
team vehicle, tools, base, volunteers' names, groups, recipients, notices, report notes, staff names), and
every page, feed and private link is read back by the roles that see it. HTML shows the payload escaped,
never raw; JSON is served as JSON (never sniffed as a page), for the scripts to put in the DOM as text.
"""
import re

import pytest
from django.urls import reverse

from ops.centres.models import Role
from ops.reports.figures import daily_figures
from ops.reports.render import render_daily_html
from tests.security.conftest import ANONYMOUS, PREFECTURE, VOLUNTEER, client_for, world_for_module
from tests.security.test_access_matrix import ROUTES, body_text, url_of

PAYLOAD = """<script>alert(1)</script>"'><img src=x onerror=alert(1)>"""
RAW = re.compile(r"<script>alert\(1\)|<img src=x onerror|onerror=alert\(1\)>")
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
READERS = (Role.ADMIN, Role.LEADER, Role.VIEWER, VOLUNTEER, ANONYMOUS, Role.PARTNER)


def tagged(field: str) -> str:
    """The payload behind the field's name, so a page shows which field it came from."""
    return f"{field}{PAYLOAD}"


@pytest.fixture(scope="module")
def hostile(django_db_setup, django_db_blocker, tmp_path_factory):
    resident = {"requester_name": tagged("依頼者"), "requester_kana": tagged("イライシャ"), "phone": "090-4242-1717",
                "address": tagged("住所")}
    with world_for_module(django_db_blocker, tmp_path_factory.mktemp("media"), text=tagged,
                          resident=resident) as world:
        yield world


@pytest.fixture
def world(hostile, db):
    return hostile


# Pages that show free text, each with the fields it must show (escaped): the payload really reached them.
# (route, object the URL points at or None, who reads it) -> field names
SHOWN = {
    ("needs:list", None, Role.ADMIN): {"依頼者", "住所", "地区"},
    ("needs:detail", "need", Role.ADMIN): {"依頼者", "イライシャ", "住所", "地区", "依頼内容", "危険箇所", "備考",
                                           "資機材"},
    ("needs:detail", "need", Role.VIEWER): {"地区", "資機材"},  # operational only (ops.privacy)
    ("needs:detail", "open_need", Role.ADMIN): {"写真の説明"},
    ("needs:detail", "done_need", Role.ADMIN): {"作業区分", "根拠", "変更理由", "対応不可の理由", "紹介先", "活動内容",
                                                "ヒヤリハット"},
    ("needs:card", "need", Role.ADMIN): {"依頼者", "住所", "依頼内容", "危険箇所", "備考"},
    ("needs:edit", "open_need", Role.ADMIN): {"依頼者", "住所", "依頼内容", "危険箇所", "備考"},
    ("needs:survey", "open_need", Role.ADMIN): {"危険箇所"},
    ("welfare:cases", None, Role.ADMIN): {"依頼者", "地区"},
    ("welfare:case", "case", Role.WELFARE): {"依頼者", "イライシャ", "住所", "ケースの概要", "申し送り", "把握したこと",
                                            "合意したこと", "紹介の内容", "紹介先"},
    ("welfare:summary", "case", Role.WELFARE): {"依頼者", "イライシャ", "住所", "ケースの概要", "申し送り", "把握したこと",
                                               "合意したこと", "紹介の内容", "紹介先"},
    ("welfare:handover", None, Role.ADMIN): {"依頼者", "住所", "ケースの概要", "把握したこと", "紹介先"},
    ("welfare:directory", None, Role.WELFARE): {"紹介先"},
    ("welfare:agency", None, Role.ADMIN): {"紹介先"},
    ("dispatch:slip", "record", ANONYMOUS): {"住所", "依頼内容", "危険箇所", "資機材"},
    ("dispatch:slip_print", "record", ANONYMOUS): {"住所", "依頼内容", "危険箇所"},
    ("dispatch:teams", None, Role.ADMIN): {"車両", "軽トラ", "スコップ", "班長", "本部"},
    ("mapping:panel", None, Role.ADMIN): {"ボランティア本人"},
    ("boards:public", None, ANONYMOUS): {"お知らせ", "持ち物", "本日の作業", "集合場所", "明日の活動予定", "状況メッセージ",
                                         "サテライト"},
    ("council", None, ANONYMOUS): {"社会福祉協議会名", "リンク名"},
    ("council_settings", None, Role.ADMIN): {"社会福祉協議会名", "平常時のお知らせ", "リンク名"},
    ("boards:recruitment", None, Role.ADMIN): {"お知らせ", "持ち物", "本日の作業", "集合場所", "明日の活動予定",
                                              "状況メッセージ"},
    ("boards:staff", None, Role.VIEWER): {"職員名"},
    ("reports:today", None, Role.LEADER): {"特記事項", "明日の予定"},
    ("reports:detail", None, Role.VIEWER): {"昨日の特記事項", "昨日の明日の予定"},
    ("reports:recipients", None, Role.ADMIN): {"宛名"},
    ("volunteers:card", None, Role.ADMIN): {"ボランティア本人", "緊急連絡先", "市区町村"},
    ("volunteers:roster", None, Role.ADMIN): {"班長", "班員", "帰着した人"},
    ("volunteers:groups", None, Role.ADMIN): {"団体名", "団体代表"},
    ("volunteers:bookings", None, Role.ADMIN): {"ボランティア本人", "団体代表"},
    ("volunteers:group", None, ANONYMOUS): {"団体名", "団体代表"},
    ("volunteers:personal", None, VOLUNTEER): {"ボランティア本人"},
    ("volunteers:checkin", None, VOLUNTEER): {"ボランティア本人"},
    ("volunteers:register", None, ANONYMOUS): {"持ち物"},
    # 県の受付窓口 (ops.prefecture): the bus's hub and the offering's note as the prefecture typed them; `me`'s
    # application with its bus on their page
    ("pref_vol:point", None, ANONYMOUS): {"出発地", "受入枠のお知らせ"},
    ("volunteers:personal", None, ANONYMOUS): {"ボランティア本人", "出発地"},
    # 協力団体 (partner pages): the site as staff typed it, the centre's note, the organisation's own report
    ("partners:partner_jobs", None, Role.PARTNER): {"地区"},
    ("partners:partner_job", "job_offered", Role.PARTNER): {"住所", "地区", "危険箇所", "依頼メモ", "協力団体名"},
    ("partners:partner_job", "job_accepted", Role.PARTNER): {"依頼者", "住所", "依頼メモ"},
    ("partners:partner_job", "job_reported", Role.PARTNER): {"対応内容"},
    # 三者連携 (issue 23, the technical desk): organisations typed by staff, and the job's note on the need page
    ("partners:staff_organisations", None, Role.ADMIN): {"協力団体名", "団体の担当者"},
    ("partners:staff_organisation", None, Role.ADMIN): {"協力団体名", "団体の担当者", "団体のメモ", "団体の職員名"},
    ("partners:staff_desk", None, Role.VIEWER): {"協力団体名"},
    ("needs:detail", "technical_need", Role.COORDINATOR): {"協力団体名", "依頼メモ"},
    # 受入枠・ボランティアバス (offerbus): the offering's note, hubs and operators typed by the prefecture's staff,
    # and the volunteer's name on the boarding roster (the prefecture's and reception's)
    ("pref_ops:offering_detail", None, PREFECTURE): {"受入枠のお知らせ"},
    ("pref_ops:bus_list", None, PREFECTURE): {"出発地", "運行会社", "乗車地", "バス会社"},
    ("pref_ops:bus_detail", None, PREFECTURE): {"出発地", "運行会社"},
    ("pref_ops:bus_roster", None, PREFECTURE): {"ボランティア本人", "乗車地", "バス会社"},
    ("pref_ops:centre_buses", None, Role.RECEPTION): {"出発地", "乗車地"},
    ("pref_ops:centre_buses_roster", None, Role.RECEPTION): {"ボランティア本人", "乗車地", "バス会社"},
    # 県域 (ops.prefecture): the prefecture staff page shows its members' names
    ("prefecture:staff", None, PREFECTURE): {"県職員名"},
}
OBJECTS = {"need": "pk", "open_need": "pk", "done_need": "pk", "record": "slip_token", "case": "pk",
           "job_offered": "pk", "job_accepted": "pk", "job_reported": "pk", "technical_need": "pk"}


def address(world, name, obj):
    if obj is None:
        return url_of(name, world)
    kwargs = ROUTES[name].kwargs(world)
    key = "token" if "token" in kwargs else "pk"
    return reverse(name, kwargs={**kwargs, key: getattr(getattr(world, obj), OBJECTS[obj])})


def read(world, name, who, obj=None):
    route = ROUTES[name]
    return client_for(world, who).get(address(world, name, obj), route.query(world) if route.query else {})


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if r.get))
def test_no_answer_carries_the_payload_raw(world, name):
    """Every page any reader may open: never the raw markup; JSON only as JSON, with sniffing off."""
    for who in READERS:
        if who not in ROUTES[name].get:
            continue
        response = read(world, name, who)
        kind = response.get("Content-Type", "")
        text = body_text(response)
        if "json" in kind:
            assert kind.split(";")[0] in ("application/json", "application/geo+json"), (name, kind)
            assert response["X-Content-Type-Options"] == "nosniff", name
            continue
        if kind.startswith("text/csv"):  # an export: the cells as typed, a download no browser renders as a page
            assert response["Content-Disposition"].startswith("attachment"), name
            assert response["X-Content-Type-Options"] == "nosniff", name
            continue
        assert not RAW.search(text), f"{name} as {who}: {RAW.search(text).group(0)!r} unescaped"


@pytest.mark.parametrize(("name", "obj", "who"), sorted(SHOWN, key=str))
def test_free_text_is_shown_escaped(world, name, obj, who):
    response = read(world, name, who, obj)
    assert response.status_code == 200, (name, who, response.status_code)
    text = body_text(response)
    missing = sorted(field for field in SHOWN[(name, obj, who)] if f"{field}{ESCAPED}" not in text)
    assert missing == [], f"{name} as {who} does not show {missing}"


@pytest.mark.parametrize("obj", ["need", "open_need", "done_need"])
def test_every_need_page_is_escaped(world, obj):
    for name in ("needs:detail", "needs:card", "needs:edit", "needs:survey", "needs:slip"):
        text = body_text(read(world, name, Role.ADMIN, obj))
        assert not RAW.search(text), (name, obj)


def test_the_report_document_escapes_the_notes(world):
    html = render_daily_html(daily_figures(world.centre, world.today), notes=tagged("特記事項"),
                             plan_tomorrow=tagged("明日の予定"))
    assert not RAW.search(html)
    assert f"特記事項{ESCAPED}" in html and f"明日の予定{ESCAPED}" in html
