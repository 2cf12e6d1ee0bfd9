"""Who may open what: every URL of the site, asked by every kind of caller (websockets:
test_socket_access.py).

ROUTES below is the one table of expectations, keyed by URL name. A route the resolver knows but the table
does not fails the suite: a new page is added here, with who may see it, before it ships.

Refused means 403, 401, 404, 405 or a redirect to a login page; allowed means any other 2xx/3xx. A POST
refused to someone must also leave the database as it was, and the same POST by an allowed role must
change it (so "nothing changed" is not just a broken request body). Two more columns say who finds a
resident's name, phone or address in the answer, and who finds a volunteer's name or phone: exactly those.
A third says who may find the rest of a resident's data (ops.privacy): the 危機介入 flag, free text about them (the need's, its survey's, referral's, history's, photo's and the team's report) and the exact
position; everyone else finds none of it, and a position no finer than about 100 m.
"""
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from ops.centres.models import Role
from ops.desk.codes import kind_code, need_code
from ops.permissions import Cap
from ops.staff.firstrun import setup_key
from ops.volunteers.mailing import stop_calls_token
from tests.drills.conftest_review import drill_centre_of
from tests.mapping.address_files import block_row as address_block_row
from tests.mapping.address_files import csv_bytes as address_csv
from tests.needs.conftest import form_data as intake_form
from tests.security.conftest import (
    ANONYMOUS,
    CASEWORK_FIELDS,
    DESK,
    EXACT_SECRETS,
    FREE_TEXT_FIELDS,
    OUTSIDER,
    PARTNER_ELSEWHERE,
    PARTNER_OTHER_ORG,
    PREFECTURE,
    PRINCIPALS,
    RESIDENT,
    RESIDENT_SECRETS,
    VOLUNTEER,
    WELFARE_SECRETS,
    World,
    client_for,
    jpeg,
    plain,
)
from tests.volunteers.conftest import form_data as registration_form

AD, CO, IN, RE, WE, LE, VI = (Role.ADMIN, Role.COORDINATOR, Role.INTAKE, Role.RECEPTION, Role.WELFARE, Role.LEADER,
                       Role.VIEWER)
VOL, ANON, OUT = VOLUNTEER, ANONYMOUS, OUTSIDER
# 協力団体 (partner pages): the organisation's login the world's jobs are routed to, another organisation's at the
# centre, and an organisation's at the other centre. Not staff: none of them opens a staff page.
PA, PO, PE = Role.PARTNER, PARTNER_OTHER_ORG, PARTNER_ELSEWHERE
# 県域スタッフ: the prefecture's staff of the centre's disaster (no role at any centre).
PREF = PREFECTURE
# デスク担当: a volunteer checked in today with the 受付スキャン desk in force, on their own phone (no login).
DSK = DESK
STAFF = frozenset({AD, CO, IN, RE, WE, LE, VI})
RESIDENTS_DATA = frozenset({AD, CO, IN, WE})  # the roles the registry gives residents' data (Cap.NEEDS_PERSONAL)
DETAIL_SECRETS = (*WELFARE_SECRETS, *EXACT_SECRETS, *(plain(field) for field in FREE_TEXT_FIELDS))
CASEWORK_SECRETS = tuple(plain(field) for field in CASEWORK_FIELDS)
CASEWORKERS = frozenset({AD, WE})  # the registry's CASEWORK class: Cap.WELFARE
EVERYONE = frozenset(PRINCIPALS)
NOBODY = frozenset()


@pytest.fixture(scope="module")
def base_map_file(tmp_path_factory):
    from tests.mapping.mbtiles import build

    return build(tmp_path_factory.mktemp("basemap") / "world.mbtiles", zooms=(1,))


@pytest.fixture(autouse=True)
def base_map(base_map_file, settings):
    settings.TILE_MBTILES = str(base_map_file)


@dataclass(frozen=True)
class Route:
    get: frozenset  # who may GET it (NOBODY for POST-only routes: 405, or refused before that)
    kwargs: Callable[[World], dict] = lambda w: {"centre": w.centre.slug}
    query: Callable[[World], dict] | None = None
    post: frozenset | None = None  # who may write to it (None: a read-only route)
    data: Callable[[World], dict] | None = None  # a body an allowed caller's write succeeds with
    method: str = "post"
    api: bool = False  # JSON body
    effect: bool = True  # an allowed write changes the database (False: it queues a task, or repeats)
    personal: frozenset = NOBODY  # who gets the resident's name, phone or address in the answer
    volunteer_data: frozenset = NOBODY  # who gets the name or phone of the volunteer `me`
    details: frozenset | None = None  # who may get household, welfare, free text, exact position (None: `personal`)
    casework: frozenset = NOBODY  # who may read a welfare case's words (summary, contacts, referrals)

    @property
    def may_see_details(self) -> frozenset:
        return self.personal if self.details is None else self.details


def attribute(world, path: str):
    """world.<path>, e.g. "need.pk" or "record.slip_token"."""
    value = world
    for part in path.split("."):
        value = getattr(value, part)
    return value


def disaster_and(**names):
    """kwargs of a prefecture page (/pref/<disaster>/...): the centre's disaster plus attributes of the world."""
    return lambda w: {"disaster": w.centre.disaster_id, **{key: attribute(w, path) for key, path in names.items()}}


def centre_and(**names):
    """kwargs: the centre's slug plus attributes of the world, e.g. centre_and(pk="need.pk")."""
    return lambda w: {"centre": w.centre.slug, **{key: attribute(w, path) for key, path in names.items()}}


def token(path):
    """kwargs of a private link: the token is the key, no centre in the URL."""
    return lambda w: {"token": attribute(w, path)}


def report_file(row, kind):
    return lambda w: {"centre": w.centre.slug, "day": getattr(w, row).date, "kind": kind}


NEED = centre_and(pk="need.pk")
OPEN_NEED = centre_and(pk="open_need.pk")
API_NEED = centre_and(pk="open_need.pk")
CHECK_IN = {"no_fever": True, "feeling_well": True, "rested": True}
CASE = centre_and(pk="case.pk")
COUNCIL = lambda w: {"council": w.council.slug}  # noqa: E731
MEMBER = lambda w: {"centre": w.centre.slug, "member": w.users[Role.INTAKE].pk}  # noqa: E731
DISASTER = lambda w: {"disaster": w.centre.disaster_id}  # noqa: E731  (the prefecture's pages)

ROUTES: dict[str, Route] = {
    # --- the site -------------------------------------------------------------------------------------------
    "home": Route(get=EVERYONE, kwargs=lambda w: {}),
    "healthz": Route(get=EVERYONE, kwargs=lambda w: {}, query=lambda w: {"skip": "celery"}),  # no worker here
    "login": Route(get=EVERYONE, kwargs=lambda w: {}),
    "logout": Route(get=NOBODY, kwargs=lambda w: {}, post=EVERYONE, effect=False),
    "set_language": Route(get=EVERYONE, kwargs=lambda w: {}, post=EVERYONE, effect=False),
    "centre_home": Route(get=STAFF | {PA, PO}),  # an organisation's logins land on their job list
    "centre_audit": Route(get={AD}),
    # The outbox: each role sees the kinds of mail it may (ops.messages.visibility); the world's mail is a booking
    # confirmation to `me` (reception's), whose delivery is unknown: reception may send it again or record it arrived.
    "outbox:list": Route(get={AD, CO, RE, WE, LE, VI}, details={AD, WE}),  # the 危機介入 alert: welfare's
    "outbox:mail": Route(get={AD, CO, RE}, kwargs=centre_and(pk="mail.pk"), volunteer_data={AD, CO, RE}),
    "outbox:send_again": Route(get=NOBODY, kwargs=centre_and(pk="mail.pk"), post={AD, CO, RE}, data=lambda w: {}),
    "outbox:confirm_delivered": Route(get=NOBODY, kwargs=centre_and(pk="mail.pk"), post={AD, CO, RE},
                                      data=lambda w: {}),
    # API tokens: the centre's administrator issues (the key shown once) and revokes them.
    "api_tokens": Route(get={AD}, post={AD}, data=lambda w: {"name": "市のダッシュボード", "user": w.users[VI].pk}),
    "api_token_revoke": Route(get=NOBODY, kwargs=centre_and(pk="api_token.pk"), post={AD}, data=lambda w: {}),
    # Centre settings, bases and per-date capacity: the centre's administrator.
    # The settings page names the 危機介入 alert (its addresses), the word the matrix looks for as welfare data.
    "centre_settings": Route(get={AD}, details={AD}, post={AD}, data=lambda w: {
        "form": "hours", "hours-activity_start": "08:00", "hours-activity_end": "16:00",
        "hours-latest_return_time": "15:30", "hours-report_time": "18:00"}),
    "centre_bases": Route(get={AD}, post={AD}, data=lambda w: {
        "name": "南サテライト", "kind": "satellite", "address": "テスト市南町1", "lat": "36.6", "lng": "138.2",
        "daily_capacity": "30"}),
    "centre_base_edit": Route(get={AD}, kwargs=centre_and(pk="base.pk"), post={AD}, data=lambda w: {
        "name": "西サテライト", "kind": "satellite", "address": "", "lat": "36.61", "lng": "138.21",
        "daily_capacity": ""}),
    "centre_base_retire": Route(get=NOBODY, kwargs=centre_and(pk="base.pk"), post={AD},
                                data=lambda w: {"action": "retire"}),
    "centre_capacity": Route(get={AD}, post={AD}, data=lambda w: {
        "date": (w.today + timedelta(days=5)).isoformat(), "base": "", "capacity": "40", "note": "週末"}),
    "centre_capacity_clear": Route(get=NOBODY, kwargs=centre_and(pk="capacity_day.pk"), post={AD},
                                   data=lambda w: {}),
    # 活動中止: whoever directs the field (Cap.DISPATCH). The write suspends a coming day (tests/centres/
    # test_suspension.py suspends, lifts and races for real).
    "centre_suspension": Route(get={AD, CO}, post={AD, CO}, data=lambda w: {
        "day": (w.today + timedelta(days=2)).isoformat(), "span": "whole_day", "reason": "heavy_rain", "note": ""}),
    # Closing (閉所): administrators only. The world has a team in the field, so the close itself is refused
    # (400, nothing written); tests/centres/test_closing.py closes and reopens for real.
    "centre_close": Route(get={AD}, post={AD}, data=lambda w: {"confirm_name": w.centre.name}, effect=False,
                          details={AD}),  # 危機介入 in the welfare handover's title
    "centre_reopen": Route(get=NOBODY, post={AD}, data=lambda w: {}, effect=False),  # not closed: nothing to undo
    # Exports: the page for every role that may download something; a download per dataset's capabilities
    # (tests/exports/ checks every dataset); here the needs as CSV, names only for residents' roles.
    "exports:index": Route(get=STAFF, details={AD, WE}),  # 危機介入 in the welfare dataset's title
    "exports:download": Route(get={AD, CO, IN, WE, LE, VI}, kwargs=lambda w: {"centre": w.centre.slug, "dataset": "needs"},
                              query=lambda w: {"format": "csv"}, personal=RESIDENTS_DATA),
    # --- needs ----------------------------------------------------------------------------------------------
    # Searches post their words (a phone, a name) and read the results at ?s=<key>: nothing is written.
    "needs:list": Route(get={AD, CO, IN, WE, LE, VI}, personal={AD, CO, IN, WE}, post={AD, CO, IN, WE, LE, VI},
                        data=lambda w: {"q": RESIDENT["phone"], "status": "open"}, effect=False),
    "needs:new": Route(get={AD, CO, IN}, details={AD, CO, IN}, post={AD, CO, IN}, data=lambda w: intake_form(
        requester_name="新規 受付子", requester_kana="シンキ ウケツケコ", phone="090-3131-3131",
        address="テスト市新町1-1", lat=36.70, lng=138.30)),
    "needs:duplicates": Route(get=NOBODY, post={AD, CO, IN}, effect=False, data=lambda w: {
        "phone": RESIDENT["phone"], "name": RESIDENT["requester_name"], "kana": RESIDENT["requester_kana"],
        "address": RESIDENT["address"], "lat": "36.65", "lng": "138.18", "exclude": str(w.open_need.pk)}),
    "needs:import": Route(get={AD, CO, IN}, post={AD, CO, IN}, effect=False, data=lambda w: {
        "file": SimpleUploadedFile("cards.csv", "氏名,住所\n長野 一郎,北町1\n".encode(), "text/csv")}),
    # (a checked file is kept for the confirm step: nothing is saved yet)
    "needs:import_template": Route(get={AD, CO, IN}),
    "welfare:cases": Route(get=CASEWORKERS, personal=CASEWORKERS, casework=CASEWORKERS),
    "welfare:case": Route(get=CASEWORKERS, kwargs=centre_and(pk="case.pk"), personal=CASEWORKERS,
                          casework=CASEWORKERS),
    "welfare:handover": Route(get=CASEWORKERS, personal=CASEWORKERS, casework=CASEWORKERS),
    "welfare:summary": Route(get=CASEWORKERS, kwargs=centre_and(pk="case.pk"), personal=CASEWORKERS,
                             casework=CASEWORKERS),
    # The case's forms: each a POST of its own, welfare staff and administrators only (tests/welfare/).
    "welfare:update": Route(get=NOBODY, kwargs=CASE, post=CASEWORKERS, data=lambda w: {
        "priority": "2", "level": "watch", "summary": "見直し", "assignee": w.users[WE].pk}),
    "welfare:contact": Route(get=NOBODY, kwargs=CASE, post=CASEWORKERS, data=lambda w: {
        "day": w.today.isoformat(), "clock": "10:00", "method": "phone", "with_whom": ["person"],
        "found": "電話で様子を聞いた", "agreed": "", "next_check_on": ""}),
    "welfare:consent": Route(get=NOBODY, kwargs=CASE, post=CASEWORKERS, data=lambda w: {
        "purpose": "handover", "how": "verbal", "given_by": "person", "given_on": w.today.isoformat()}),
    "welfare:withdraw": Route(get=NOBODY, kwargs=centre_and(pk="case.pk", consent="referral.consent.pk"),
                              post=CASEWORKERS, data=lambda w: {}),
    "welfare:refer": Route(get=NOBODY, kwargs=CASE, post=CASEWORKERS, data=lambda w: {
        "agency": w.referral.agency_id, "reason": "再度の紹介"}),
    "welfare:outcome": Route(get=NOBODY, kwargs=centre_and(pk="case.pk", referral="referral.pk"), post=CASEWORKERS,
                             data=lambda w: {f"r{w.referral.pk}-outcome": "accepted", f"r{w.referral.pk}-note": ""}),
    "welfare:close": Route(get=NOBODY, kwargs=CASE, post=CASEWORKERS, data=lambda w: {"note": "支援終了"}),
    # Every need of the world is the one household's, which has its open case: the POST leads to it and opens
    # nothing (tests/welfare/test_open_case.py opens one for real).
    "welfare:open": Route(get=NOBODY, kwargs=centre_and(need="need.pk"), post=CASEWORKERS, data=lambda w: {},
                          effect=False),
    # The directory: offices' names and phones; the world's body is named like free text, so it is a detail.
    "welfare:directory": Route(get=CASEWORKERS, details=CASEWORKERS),
    "welfare:agency_add": Route(get=NOBODY, post=CASEWORKERS, data=lambda w: {
        "kind": "minsei", "name": "北地区 民生委員", "area": "北町", "phone": "026-000-0000", "contact_person": "",
        "active": "on"}),
    "welfare:agency": Route(get=CASEWORKERS, kwargs=centre_and(pk="referral.agency.pk"), details=CASEWORKERS,
                            post=CASEWORKERS, data=lambda w: {"kind": "houkatsu", "name": "南包括", "active": "on"}),
    "welfare:category_add": Route(get=NOBODY, post=CASEWORKERS, data=lambda w: {"code": "own", "name": "独自の区分"}),
    "welfare:category_active": Route(get=NOBODY, kwargs=lambda w: {"centre": w.centre.slug,
                                                                    "pk": w.centre.case_categories.first().pk},
                                     post=CASEWORKERS, data=lambda w: {}),
    "needs:detail": Route(get={AD, CO, IN, WE, LE, VI}, kwargs=NEED, personal={AD, CO, IN, WE}),
    "needs:edit": Route(get={AD, CO, IN}, kwargs=OPEN_NEED, personal={AD, CO, IN}, post={AD, CO, IN},
                        data=lambda w: intake_form(**{**RESIDENT, "address": "テスト市内緒町7-7-8"})),
    "needs:survey": Route(get={AD, CO, IN}, kwargs=OPEN_NEED, details={AD, CO, IN}, post={AD, CO, IN}, data=lambda w: {
        "damage_type": "above_floor", "people_needed": 4, "days_needed": 2, "volunteer_ok": "yes",
        "welfare": "none"}),
    "needs:status": Route(get=NOBODY, kwargs=OPEN_NEED, post={AD, CO, IN}, data=lambda w: {
        "to": "on_hold", "reason": "雨天", "version": w.open_need.version}),
    "needs:welfare_flag": Route(get=NOBODY, kwargs=OPEN_NEED, post={AD, CO, IN, WE},
                                data=lambda w: {"kind": "watch", "note": "独居"}),
    "needs:card": Route(get={AD, CO, IN, WE, LE, VI}, kwargs=NEED, personal={AD, CO, IN, WE}),
    "needs:slip": Route(get={AD, CO, IN}, kwargs=NEED),  # number, centre phone and QR only
    "needs:photo_upload": Route(get=NOBODY, kwargs=OPEN_NEED, post={AD, CO, IN},
                                data=lambda w: {"image": jpeg(), "consent": "on", "caption": "玄関"}),
    "needs:photo": Route(get=RESIDENTS_DATA, kwargs=centre_and(pk="open_need.pk", photo_id="photo.pk")),
    "needs:photo_delete": Route(get=NOBODY, kwargs=centre_and(pk="open_need.pk", photo_id="photo.pk"),
                                post={AD, CO, IN}, data=lambda w: {}),
    # The public and the resident's private link (the token is the key).
    "needs:public_request": Route(get=EVERYONE, post=EVERYONE),
    "needs:public_thanks": Route(get=EVERYONE),
    "needs:resident": Route(get=EVERYONE, kwargs=token("need.reference_token")),  # status only: links leak
    "needs:resident_close": Route(get=EVERYONE, kwargs=token("need.reference_token"), post=EVERYONE),
    "needs:resident_undo": Route(get=NOBODY, kwargs=token("need.reference_token"), post=EVERYONE),
    # --- volunteers -----------------------------------------------------------------------------------------
    "volunteers:register": Route(get=EVERYONE, post=EVERYONE),
    "volunteers:signin": Route(get=EVERYONE, post=EVERYONE),
    "volunteers:book": Route(get=EVERYONE, post=EVERYONE, volunteer_data={VOL}),  # their own phone only
    "volunteers:group_register": Route(get=EVERYONE, post=EVERYONE),
    "volunteers:checkin": Route(get=EVERYONE, kwargs=lambda w: {"centre": w.centre.slug, "code": w.code},
                                post=EVERYONE, volunteer_data={VOL}),
    # The personal link is the volunteer's key; staff who check people in anywhere are sent to the card.
    "volunteers:personal": Route(get=EVERYONE, kwargs=token("me.token"),
                                 volunteer_data=EVERYONE - {AD, CO, RE, OUT}),
    "volunteers:checkout": Route(get=NOBODY, kwargs=lambda w: {"token": w.me.token, "centre": w.centre.slug},
                                 post=EVERYONE),
    # Renewing the link: whoever holds it may replace it (a lost phone); reception renews from the card.
    "volunteers:renew": Route(get=NOBODY, kwargs=token("me.token"), post=EVERYONE),
    # この端末から記録を消す: the phone forgets its volunteer (a cookie) and what it kept; nothing stored changes
    "volunteers:forget": Route(get=NOBODY, kwargs=token("me.token"), post=EVERYONE, effect=False),
    "volunteers:call_preferences": Route(get=NOBODY, kwargs=token("me.token"), post=EVERYONE,
                                         data=lambda w: {"available_weekdays": ["5"]}),
    "volunteers:cancel_booking": Route(get=NOBODY, kwargs=lambda w: {"token": w.me.token, "pk": w.booking.pk},
                                       post=EVERYONE),
    "volunteers:certificate": Route(get=EVERYONE, kwargs=lambda w: {"token": w.me.token, "centre": w.centre.slug}),
    "volunteers:group": Route(get=EVERYONE, kwargs=token("group.token")),
    # The foot of every mail to a volunteer: whoever holds the mail may stop the calls (and nothing else).
    "volunteers:stop_calls": Route(get=EVERYONE, kwargs=lambda w: {"token": stop_calls_token(w.me)}, post=EVERYONE,
                                   data=lambda w: {}),
    "volunteers:reception": Route(get={AD, CO, RE}, post={AD, CO, RE}, data=lambda w: {"q": w.me.phone},
                                  effect=False),
    "volunteers:counts": Route(get={AD, CO, RE}),
    "volunteers:walk_in": Route(get={AD, CO, RE}, post={AD, CO, RE}, data=lambda w: registration_form(
        name="飛込 一郎", kana="トビコミ イチロウ", phone="090-6161-6161")),
    "volunteers:roster": Route(get={AD, CO, RE}, volunteer_data={AD, CO, RE}),
    "volunteers:poster": Route(get={AD, CO, RE}),
    "volunteers:groups": Route(get={AD, CO, RE}),
    "volunteers:bookings": Route(get={AD, CO, RE}, volunteer_data={AD, CO, RE}),
    # 募集のお知らせ speaks for the centre to thousands: its administrators, as the recruitment status.
    "volunteers:calls": Route(get={AD}, post={AD}, data=lambda w: {
        "days": [(w.centre.today() + timedelta(days=2)).isoformat()], "message": "人手が足りません",
        "nonce": secrets.token_urlsafe(8), "action": "send"}),
    "volunteers:card": Route(get={AD, CO, RE}, kwargs=centre_and(pk="me.pk"), volunteer_data={AD, CO, RE}),
    "volunteers:staff_check_in": Route(get=NOBODY, kwargs=centre_and(pk="walker.pk"), post={AD, CO, RE},
                                       data=lambda w: {"health_checked": "on", "insurance_confirmed": "on"}),
    "volunteers:staff_check_out": Route(get=NOBODY, kwargs=centre_and(pk="me_today.pk"), post={AD, CO, RE},
                                        data=lambda w: {}),
    "volunteers:staff_certificate": Route(get={AD, CO, RE}, kwargs=centre_and(pk="me.pk")),
    "volunteers:renew_link": Route(get=NOBODY, kwargs=centre_and(pk="me.pk"), post={AD, CO, RE}, data=lambda w: {}),
    # --- dispatch -------------------------------------------------------------------------------------------
    "dispatch:teams": Route(get={AD, CO}, volunteer_data={AD, CO}),  # names for roles with reception rights
    "dispatch:form_team": Route(get=NOBODY, post={AD, CO}, data=lambda w: {
        "members": [w.me_today.pk], "leader": w.me_today.pk}),
    "dispatch:accept_proposals": Route(get=NOBODY, post={AD, CO}, data=lambda w: {"size": 2}),
    "dispatch:make_ready": Route(get=NOBODY, kwargs=centre_and(team="forming_team.pk"), post={AD, CO},
                                 data=lambda w: {}),
    "dispatch:disband": Route(get=NOBODY, kwargs=centre_and(team="forming_team.pk"), post={AD, CO},
                              data=lambda w: {}),
    "dispatch:lend": Route(get=NOBODY, kwargs=centre_and(team="spare_team.pk"), post={AD, CO},
                           data=lambda w: {"kind": w.kind.pk, "quantity": 1}),
    "dispatch:return_loan": Route(get=NOBODY, kwargs=centre_and(loan="loan.pk"), post={AD, CO},
                                  data=lambda w: {"quantity": 2}),
    "dispatch:team_hand_out": Route(get=NOBODY, kwargs=centre_and(team="spare_team.pk"), post={AD, CO},
                                    data=lambda w: {"item": w.consumable.pk, "quantity": 2}),
    # The tool desk: everyone who reads the 日報 reads its ledger; the tool desk (Cap.DISPATCH) writes it.
    "dispatch:tools": Route(get={AD, CO, LE, VI}),
    "dispatch:tool_history": Route(get={AD, CO, LE, VI}, kwargs=centre_and(kind="kind.pk")),
    "dispatch:tool_add": Route(get=NOBODY, post={AD, CO}, data=lambda w: {"name": "高圧洗浄機", "unit": "台",
                                                                          "quantity": 2}),
    "dispatch:tool_rename": Route(get=NOBODY, kwargs=centre_and(kind="kind.pk"), post={AD, CO},
                                  data=lambda w: {"name": "角スコップ", "unit": "本"}),
    "dispatch:tool_retire": Route(get=NOBODY, kwargs=centre_and(kind="kind.pk"), post={AD, CO}, data=lambda w: {}),
    "dispatch:tool_move": Route(get=NOBODY, kwargs=centre_and(kind="kind.pk"), post={AD, CO},
                                data=lambda w: {"reason": "donated", "quantity": 5, "note": "寄贈"}),
    # Tool labels: printed by the tool desk (Cap.DISPATCH); a label's URL opened by a phone camera shows the kind.
    "dispatch:tool_labels": Route(get={AD, CO}, query=lambda w: {"kind": w.kind.pk, "n": 5, "copies": 2}),
    "dispatch:tool_items": Route(get=NOBODY, kwargs=centre_and(kind="kind.pk"), post={AD, CO},
                                 data=lambda w: {"count": 1}),
    "dispatch:tool_kind_label": Route(get={AD, CO, LE, VI}, kwargs=centre_and(code="kind.code")),
    "dispatch:tool_item_label": Route(get={AD, CO, LE, VI}, kwargs=centre_and(code="item.code")),
    "dispatch:consumable_add": Route(get=NOBODY, post={AD, CO}, data=lambda w: {"name": "マスク", "quantity": 50}),
    "dispatch:consumable_count": Route(get=NOBODY, kwargs=centre_and(item="consumable.pk"), post={AD, CO},
                                       data=lambda w: {"reason": "received", "quantity": 10}),
    "dispatch:consumable_hand_out": Route(get=NOBODY, kwargs=centre_and(item="consumable.pk"), post={AD, CO},
                                          data=lambda w: {"quantity": 3, "team": w.spare_team.pk}),
    "dispatch:send": Route(get=NOBODY, post={AD, CO}, data=lambda w: {
        "team": w.spare_team.pk, "need": w.ready_need.pk}),
    "dispatch:staff_report": Route(get={AD, CO}, kwargs=centre_and(dispatch="record.pk"), post={AD, CO},
                                   data=lambda w: {"outcome": "completed", "people": 2, "hours": "3",
                                                   "tools_returned": "on", "concerns": "unwell",
                                                   "concern_note": "足が痛そうだった"}),
    "dispatch:cancel": Route(get=NOBODY, kwargs=centre_and(dispatch="record.pk"), post={AD, CO},
                             data=lambda w: {"reason": "班を間違えた"}),
    # 連絡済み on a team past its return time: whoever directs the field. The world's team is not overdue, so
    # the write is refused (tests/dispatch/test_contacted.py marks one for real).
    "dispatch:contacted": Route(get=NOBODY, kwargs=centre_and(team="team.pk"), post={AD, CO}, data=lambda w: {},
                                effect=False),
    # The team leader's slip: the token is the key, and it shows the resident's contact to the leader.
    "dispatch:slip": Route(get=EVERYONE, kwargs=token("record.slip_token"), post=EVERYONE, personal=EVERYONE),
    "dispatch:slip_print": Route(get=EVERYONE, kwargs=token("record.slip_token"), personal=EVERYONE),
    # --- reports --------------------------------------------------------------------------------------------
    "reports:today": Route(get={AD, CO, LE, VI}),
    "reports:notes": Route(get=NOBODY, post={AD, CO, LE}, data=lambda w: {"notes": "北町は通行止め",
                                                                      "plan_tomorrow": "南町へ"}),
    # Sending queues a Celery task: refused callers are checked, the allowed send is left to tests/reports.
    "reports:send": Route(get=NOBODY, post={AD, CO, LE}, data=lambda w: {}, effect=False),
    "reports:status": Route(get={AD, CO, LE, VI}),
    "reports:live_chart": Route(get={AD, CO, LE, VI}),
    "reports:recipients": Route(get={AD, CO, LE}, post={AD, CO, LE}, data=lambda w: {
        "name": "県社協", "email": "pref@example.jp"}),
    "reports:recipient_update": Route(get=NOBODY, kwargs=centre_and(pk="recipient.pk"), post={AD, CO, LE},
                                      data=lambda w: {"action": "deactivate"}),
    "reports:archive": Route(get={AD, CO, LE, VI}),
    "reports:detail": Route(get={AD, CO, LE, VI}, kwargs=lambda w: {"centre": w.centre.slug, "day": w.report.date}),
    "reports:file": Route(get={AD, CO, LE, VI}, kwargs=report_file("report", "pdf")),
    "reports:rollup_file": Route(get={AD, CO, LE, VI}, kwargs=report_file("rollup", "xlsx")),
    # --- 三者連携: the 情報共有会議 sheet (meeting area): read with VIEW_NEEDS, recorded with EDIT_NEEDS; no resident
    # data in the page or its files (the partner role Role.PARTNER is refused: tests/partners/test_meeting_views.py).
    "partners:meeting": Route(get={AD, CO, IN, WE, LE, VI}),
    "partners:meeting_xlsx": Route(get={AD, CO, IN, WE, LE, VI}),
    "partners:meeting_pdf": Route(get={AD, CO, IN, WE, LE, VI}),
    "partners:meeting_record": Route(get=NOBODY, post={AD, CO, IN}, data=lambda w: {"notes": "次回は金曜"}),
    # --- boards ---------------------------------------------------------------------------------------------
    "boards:staff": Route(get=STAFF),
    # Need states with exact positions and the welfare flag for roles with residents' data; rough ones otherwise.
    "boards:staff_snapshot": Route(get=STAFF, details=RESIDENTS_DATA),
    "boards:staff_events": Route(get=STAFF, query=lambda w: {"since": 0}, details=RESIDENTS_DATA),
    "boards:recruitment": Route(get={AD}, post={AD}, data=lambda w: {"form": "status", "status-status": "preparing"}),
    "boards:public": Route(get=EVERYONE),
    "boards:public_snapshot": Route(get=EVERYONE),
    "boards:public_events": Route(get=EVERYONE, query=lambda w: {"since": 0}),
    "boards:widget": Route(get=EVERYONE),
    # The council's public address (ops.centres.council_feed) and its settings: the administrators of its
    # centres (and superusers); not a coordinator, not another council's administrator (OUTSIDER).
    "council": Route(get=EVERYONE, kwargs=COUNCIL),
    "council_info": Route(get=EVERYONE, kwargs=COUNCIL),
    "council_settings": Route(get=frozenset({AD}), kwargs=COUNCIL, post=frozenset({AD}), data=lambda w: {
        "name": w.council.name, "normal_message": "平常時の新しいお知らせ", "links": "ご案内 | https://example.jp/a"}),
    # --- the coordinator's map ------------------------------------------------------------------------------
    "mapping:board": Route(get={AD, CO}, volunteer_data={AD, CO}),
    "mapping:needs_geojson": Route(get={AD, CO}, details={AD, CO}),
    "mapping:need_card": Route(get={AD, CO}, kwargs=centre_and(need="need.pk"), personal={AD, CO}),
    "mapping:panel": Route(get={AD, CO}, volunteer_data={AD, CO}),
    # The base map (mapping.tiles): its tiles are public (the first-run page has a map before any login);
    # which file is in use, the centre's administrator. The world's base map is a small file (base_map below).
    "mapping:basemap": Route(get={AD}),
    "mapping:tile": Route(get=EVERYONE, kwargs=lambda w: {"which": "basemap", "z": 1, "x": 1, "y": 0, "ext": "png"}),
    "mapping:unpinned": Route(get={AD, CO}),  # the world's needs all have a position: tests/mapping check names
    "mapping:place": Route(get=NOBODY, kwargs=centre_and(need="open_need.pk"), post={AD, CO},
                           data=lambda w: {"lat": "35.123456", "lng": "139.654321"}, details={AD, CO}),
    "mapping:find": Route(get=NOBODY, post={AD, CO}, effect=False, data=lambda w: {"q": "N-1"}),
    # The prefecture view: whoever reads the disaster's roll-up (Cap.VIEW_REPORTS) or dispatches here.
    "mapping:area": Route(get={AD, CO, LE, VI}),
    "mapping:area_feed": Route(get={AD, CO, LE, VI}, details={AD, CO}),
    # Address search (a POST: the typed address stays out of URLs) for who takes needs or dispatches; importing
    # the national address data for the centre's administrators.
    "mapping:address_search": Route(get=NOBODY, post={AD, CO, IN}, api=True, effect=False,
                                    data=lambda w: {"q": "長野県テスト市中央1-2-3"}),
    "mapping:addresses": Route(get={AD}, post={AD}, data=lambda w: {"file": SimpleUploadedFile(
        "20999.csv", address_csv([address_block_row("テスト市", "中央一丁目", "2", 36.65, 138.18)]))}),
    # --- staff: the first run, opening centres, the staff page, invitations -----------------------------------
    # The setup page is gone (404) once anyone has an account, key or not; opening further centres is for the
    # installation's administrators (superusers), whom the world has none of (tests/centres cover both).
    "staff:setup": Route(get=NOBODY, kwargs=lambda w: {}, query=lambda w: {"key": setup_key()}, post=NOBODY,
                         effect=False),
    "staff:open_centre": Route(get=NOBODY, kwargs=lambda w: {}, post=NOBODY, effect=False),
    # 訓練 (ops.drills, its run): opening a drill is for any centre's 管理者 (the world's and the outsider, who
    # administers the other centre); the world's centre is real, so it has no drill pages (404 for everyone).
    # The drill centre's own roles: tests/drills/test_run_pages.py.
    "drills:new": Route(get={AD, OUT}, kwargs=lambda w: {}, post={AD, OUT}, data=lambda w: {
        "scenario": "morning_rush", "speed": "6", "name": ""}),
    # The drill's own pages, at the world's drill centre (its staff in the same roles, intake's user aside): the
    # controller (管理者) runs it; who takes needs answers its calls. The world's real centre has none (404).
    "drills:control": Route(get={AD}, kwargs=lambda w: {"centre": drill_centre_of(w).slug}),
    "drills:run": Route(get=NOBODY, kwargs=lambda w: {"centre": drill_centre_of(w).slug}, post={AD},
                        data=lambda w: {"action": "pause"}),
    "drills:calls": Route(get={AD, CO}, kwargs=lambda w: {"centre": drill_centre_of(w).slug}),
    "staff:list": Route(get={AD}, post={AD}, data=lambda w: {"role": "reception", "email": ""}),
    "staff:role": Route(get=NOBODY, kwargs=MEMBER, post={AD}, data=lambda w: {"role": "leader"}),
    "staff:remove": Route(get=NOBODY, kwargs=MEMBER, post={AD}, data=lambda w: {}),
    "staff:deactivate": Route(get=NOBODY, kwargs=MEMBER, post={AD}, data=lambda w: {}),
    "staff:revoke": Route(get=NOBODY, kwargs=centre_and(pk="invitation.pk"), post={AD}, data=lambda w: {}),
    # The invitation link is the key: anyone holding it may make an account (or, signed in, take the role).
    "staff:accept": Route(get=EVERYONE, kwargs=token("invitation_token"), post=EVERYONE, data=lambda w: {
        "username": "invited", "name": "招待 一郎", "email": "", "password": "kawa-zoi-2026!",
        "password2": "kawa-zoi-2026!"}),
    # --- 三者連携: the technical desk, the staff's side (issue 23, desk). A partner login (Role.PARTNER) is
    # refused every one of these: it sees only its own organisation's jobs (its own pages).
    "partners:staff_desk": Route(get={AD, CO, IN, WE, LE, VI}),
    "partners:staff_organisations": Route(get={AD, CO, IN, WE, LE, VI}),
    "partners:staff_organisation_new": Route(get={AD}, post={AD}, data=lambda w: {
        "name": "新しい協力団体", "kind": "npo", "capabilities": ["heavy", "transport"], "active": "on"}),
    "partners:staff_organisation": Route(get={AD}, kwargs=centre_and(pk="organisation.pk"), post={AD},
                                         data=lambda w: {"name": "改名した団体", "kind": "technical",
                                                         "capabilities": ["roof"], "active": "on"}),
    "partners:staff_organisation_invite": Route(get=NOBODY, kwargs=centre_and(pk="organisation.pk"), post={AD},
                                                data=lambda w: {"email": ""}),
    "partners:staff_organisation_remove_login": Route(
        get=NOBODY, kwargs=lambda w: {"centre": w.centre.slug, "pk": w.organisation.pk,
                                      "member": w.users[Role.PARTNER].pk}, post={AD}, data=lambda w: {}),
    "partners:staff_offer": Route(get=NOBODY, kwargs=OPEN_NEED, post={AD, CO, IN}, data=lambda w: {
        "work": "whole", "organisation": w.organisation.pk, "note": "屋根の南側"}),
    "partners:staff_withdraw": Route(get=NOBODY, kwargs=centre_and(pk="technical_need.pk", job="partner_job.pk"),
                                     post={AD, CO, IN}, data=lambda w: {"reason": "業者が対応",
                                                                       "version": w.partner_job.version}),
    # --- 県域 (ops.prefecture, the prefecture's own pages): its staff of the centre's disaster only; counts and
    # districts, never a household or a volunteer. The world has one prefecture member: removing the last is
    # refused (tests/prefecture/test_overview_staff.py removes one of two).
    "prefecture:overview": Route(get={PREF}, kwargs=DISASTER),
    "prefecture:figures": Route(get={PREF}, kwargs=DISASTER),
    "prefecture:recruitment": Route(get={PREF}, kwargs=DISASTER, post={PREF}, data=lambda w: {
        "centres": [w.centre.pk], "status": "none" if w.centre.recruitment_status != "none" else "recruiting",
        "scope": ""}),
    "prefecture:district_map": Route(get={PREF}, kwargs=DISASTER),
    "prefecture:district_needs": Route(get={PREF}, kwargs=DISASTER),
    "prefecture:staff": Route(get={PREF}, kwargs=DISASTER, post={PREF},
                              data=lambda w: {"username": w.users[Role.VIEWER].username}),
    "prefecture:staff_remove": Route(get=NOBODY, kwargs=lambda w: {
        "disaster": w.centre.disaster_id, "member": w.users[PREF].prefecture_roles.get().pk}, post={PREF},
        effect=False),
    # --- the API (/api/v1/) ---------------------------------------------------------------------------------
    "api:schema": Route(get=EVERYONE, kwargs=lambda w: {}),  # the published OpenAPI description
    "api:centres": Route(get=STAFF | {OUT, PA, PO, PE, PREF}, kwargs=lambda w: {}),  # anyone signed in: their own centres
    "api:figures": Route(get={AD, CO, LE, VI}),
    "api:needs": Route(get={AD, CO, IN, WE, LE, VI}, personal={AD, CO, IN, WE}, post={AD, CO, IN}, api=True,
                       data=lambda w: {"requester_name": "API 依頼者", "address": "テスト市北町1"}),
    "api:needs_search": Route(get=NOBODY, post={AD, CO, IN, WE, LE, VI}, api=True, effect=False,
                              data=lambda w: {"q": RESIDENT["phone"], "status": "open"}),
    "api:need": Route(get={AD, CO, IN, WE, LE, VI}, kwargs=API_NEED, personal={AD, CO, IN, WE}, post={AD, CO, IN},
                      method="patch", api=True, data=lambda w: {"people_needed": 9}),
    "api:need_status": Route(get=NOBODY, kwargs=API_NEED, post={AD, CO, IN}, api=True,
                             data=lambda w: {"status": "surveyed"}),
    "api:teams": Route(get={AD, CO}, post={AD, CO}, api=True, data=lambda w: {
        "members": [w.me_today.pk], "leader": w.me_today.pk}),
    "api:waiting": Route(get={AD, CO}, volunteer_data={AD, CO}),
    "api:team": Route(get={AD, CO}, kwargs=centre_and(pk="team.pk")),
    "api:dispatches": Route(get={AD, CO}, details={AD, CO}, post={AD, CO}, api=True, data=lambda w: {
        "team": w.spare_team.pk, "need": w.ready_need.pk}),
    "api:dispatch": Route(get={AD, CO}, kwargs=centre_and(pk="record.pk")),
    "api:return_report": Route(get=NOBODY, kwargs=centre_and(pk="record.pk"), post={AD, CO}, api=True,
                               data=lambda w: {"outcome": "completed", "people": 2, "hours": "3.00"}),
    "api:dispatch_cancel": Route(get=NOBODY, kwargs=centre_and(pk="record.pk"), post={AD, CO}, api=True,
                                 data=lambda w: {"reason": "班を間違えた"}),
    "api:public_status": Route(get=EVERYONE),
    "api:public_council": Route(get=EVERYONE, kwargs=COUNCIL),
    # The volunteer's own check-in: their personal token (header) is the credential; `me` is already
    # checked in today, so the allowed call repeats the check-in and changes nothing.
    "api:check_in": Route(get=NOBODY, kwargs=lambda w: {}, post={VOL}, api=True, effect=False, data=lambda w: {
        "centre": w.centre.slug, "code": w.code, "health": CHECK_IN, "insurance_confirmed": True}),
    "api:check_in_by_link": Route(get=NOBODY, kwargs=token("walker.token"), post=EVERYONE, api=True),
    # 応募 (ops.prefecture): the volunteer's own application; `me` applied already, so applying is the same one
    "api:applications": Route(get=NOBODY, kwargs=lambda w: {}, post={VOL}, api=True, effect=False,
                              data=lambda w: {"offering": w.offering.pk, "bus": w.bus.pk}),
    "api:application_cancel": Route(get=NOBODY, kwargs=lambda w: {"pk": w.application.pk}, post={VOL}, api=True),
    "api:not_found": Route(get=NOBODY, kwargs=lambda w: {}),  # anything else under /api/v1/: a JSON 404
    # 県の受付窓口 (ops.prefecture.urls_volunteer): the disaster's one registration point is public; applying and
    # cancelling take the personal link (the key); `me` applied already, so applying again is the same one
    "pref_vol:point": Route(get=EVERYONE, kwargs=lambda w: {"disaster": w.centre.disaster_id}),
    "pref_vol:register": Route(get=EVERYONE, kwargs=lambda w: {"disaster": w.centre.disaster_id}, post=EVERYONE),
    "pref_vol:signin": Route(get=EVERYONE, kwargs=lambda w: {"disaster": w.centre.disaster_id}, post=EVERYONE),
    "pref_vol:apply": Route(get=NOBODY, kwargs=token("me.token"), post=EVERYONE, effect=False,
                            data=lambda w: {"offering": w.offering.pk, "bus": w.bus.pk}),
    "pref_vol:cancel": Route(get=NOBODY, kwargs=lambda w: {"token": w.me.token, "pk": w.application.pk},
                             post=EVERYONE),
    # --- 協力団体 (partner pages): an organisation's own jobs ---------------------------------------------------
    # Its login only (no staff role works as an organisation); another organisation's job is not found. The
    # sheet shows the site's address, position and hazards; the resident's name and phone once it is accepted.
    "partners:partner_jobs": Route(get={PA, PO}),
    "partners:partner_job": Route(get={PA}, kwargs=centre_and(pk="job_offered.pk"), personal={PA}),
    "partners:partner_accept": Route(get=NOBODY, kwargs=centre_and(pk="job_offered.pk"), post={PA},
                                     data=lambda w: {"accept-version": w.job_offered.version}),
    "partners:partner_decline": Route(get=NOBODY, kwargs=centre_and(pk="job_offered.pk"), post={PA}, data=lambda w: {
        "decline-version": w.job_offered.version, "decline-reason": "人手が足りない"}),
    "partners:partner_schedule": Route(get=NOBODY, kwargs=centre_and(pk="job_accepted.pk"), post={PA},
                                       data=lambda w: {"schedule-version": w.job_accepted.version,
                                                       "schedule-on": (w.today + timedelta(days=2)).isoformat(),
                                                       "schedule-note": "午前"}),
    "partners:partner_complete": Route(get=NOBODY, kwargs=centre_and(pk="job_accepted.pk"), post={PA},
                                       data=lambda w: {"complete-version": w.job_accepted.version,
                                                       "complete-outcome": "done", "complete-note": ""}),
    # a job's photo: its organisation and the staff who see site photos (the registry's PHOTOS class)
    "partners:partner_photo": Route(get=RESIDENTS_DATA | {PA}, kwargs=centre_and(pk="job_photo.pk")),
    # --- 受入枠・ボランティアバス (ops.prefecture, offerbus): the prefecture staff of the disaster only; counts, no
    # names, except the boarding roster (乗車名簿) the bus operator carries, which names `me` (seat 1 of the world's
    # riding bus). The centre's reception reads the rosters of the buses coming to it (Cap.RECEPTION).
    "pref_ops:offering_list": Route(get={PREF}, kwargs=DISASTER, post={PREF}, data=lambda w: {
        "centre": w.centre.pk, "date": (w.today + timedelta(days=6)).isoformat(), "places": "2", "method": "draw",
        "closes_at": "", "note": "長靴持参"}),
    "pref_ops:offering_detail": Route(get={PREF}, kwargs=disaster_and(pk="offering.pk")),
    "pref_ops:offering_allocate": Route(get=NOBODY, kwargs=disaster_and(pk="offering.pk"), post={PREF},
                                        data=lambda w: {}),
    "pref_ops:offering_call": Route(get=NOBODY, kwargs=disaster_and(pk="offering.pk"), post={PREF},
                                    data=lambda w: {"message": "人手が足りません。", "nonce": "matrix-call-nonce-0001"}),
    # the allocation's record (ids, no names) of the riding bus's allocated offering
    "pref_ops:offering_draw_record": Route(get={PREF}, kwargs=lambda w: {
        "disaster": w.centre.disaster_id, "pk": w.riding_bus.applications.first().offering_id}),
    "pref_ops:bus_list": Route(get={PREF}, kwargs=DISASTER, post={PREF}, data=lambda w: {
        "centre": w.centre.pk, "date": (w.today + timedelta(days=3)).isoformat(), "hub": "松本駅",
        "departs_at": "06:30", "seats": "20", "operator": "アルプス交通"}),
    "pref_ops:bus_detail": Route(get={PREF}, kwargs=disaster_and(pk="bus.pk"), post={PREF}, data=lambda w: {
        "status": "delayed", "delay_minutes": "20", "note": "渋滞", "version": str(w.bus.version)}),
    "pref_ops:bus_roster": Route(get={PREF}, kwargs=disaster_and(pk="riding_bus.pk"), volunteer_data={PREF}),
    "pref_ops:bus_roster_xlsx": Route(get={PREF}, kwargs=disaster_and(pk="riding_bus.pk")),  # a workbook
    "pref_ops:bus_roster_csv": Route(get={PREF}, kwargs=disaster_and(pk="riding_bus.pk"), volunteer_data={PREF}),
    "pref_ops:centre_buses": Route(get={AD, CO, RE}),
    "pref_ops:centre_buses_roster": Route(get={AD, CO, RE}, kwargs=centre_and(pk="riding_bus.pk"),
                                          volunteer_data={AD, CO, RE}),
    "pref_ops:centre_buses_roster_xlsx": Route(get={AD, CO, RE}, kwargs=centre_and(pk="riding_bus.pk")),
    "pref_ops:centre_buses_roster_csv": Route(get={AD, CO, RE}, kwargs=centre_and(pk="riding_bus.pk"),
                                              volunteer_data={AD, CO, RE}),
    # 電波のない現場 (ops.offline): the service worker's script and the page it shows with no copy kept.
    # --- スキャンデスク (ops.desk): staff with Cap.DISPATCH work every desk; a volunteer only the desk staff gave them
    # today (DSK holds 受付スキャン, not 資機材デスク). Desk pages and answers show no resident's data (the privacy test
    # tests/desk/test_roles_privacy.py looks at them filled). The JSON writes answer 409 {"error"} for a refusal,
    # so the leader/remove/clear/send bodies need a draft first: their effect is SCAN's tests' (tests/desk/).
    "desk:scan": Route(get={AD, CO, DSK}),
    "desk:scan_code": Route(get=NOBODY, post={AD, CO, DSK}, api=True,
                            data=lambda w: {"code": need_code(w.ready_need)}),  # opens the desk's draft
    "desk:leader": Route(get=NOBODY, post={AD, CO, DSK}, api=True, effect=False,
                         data=lambda w: {"attendance": w.me_today.pk}),
    "desk:remove": Route(get=NOBODY, post={AD, CO, DSK}, api=True, effect=False,
                         data=lambda w: {"attendance": w.me_today.pk}),
    "desk:clear": Route(get=NOBODY, post={AD, CO, DSK}, api=True, effect=False, data=lambda w: {}),
    "desk:dispatch": Route(get=NOBODY, post={AD, CO, DSK}, api=True, effect=False, data=lambda w: {}),
    "desk:tools": Route(get={AD, CO}),
    "desk:tools_scan": Route(get=NOBODY, post={AD, CO}, api=True, data=lambda w: {  # lends two of the kind
        "code": kind_code(w.kind, 2), "team": w.spare_team.pk, "mode": "lend"}),
    # デスク担当: who forms and sends teams gives a desk for the day and ends it (ops.permissions.may_grant_desks).
    "desk:roles": Route(get={AD, CO}, post={AD, CO}, data=lambda w: {"attendance": w.me_today.pk, "kind": "tools"}),
    "desk:role_end": Route(get=NOBODY, kwargs=centre_and(pk="desk_role.pk"), post={AD, CO}, data=lambda w: {}),
    # 郵便番号 -> the address's start (Japan Post's public data, offline): anyone; callers who are not staff are
    # counted per address (settings.POSTAL_LOOKUP_RATE).
    "mapping:postal": Route(get=EVERYONE, kwargs=lambda w: {"postcode": "3800921"}),
    "offline:sw": Route(get=EVERYONE, kwargs=lambda w: {}),
    "offline:page": Route(get=EVERYONE, kwargs=lambda w: {}),
    # 訓練のリセット (ops.drills): the world's centre is real, so nobody may reset it, its 管理者 included (the drill
    # centre's own controller: tests/drills/test_reset.py).
    "drills:reset": Route(get=NOBODY, kwargs=lambda w: {"centre": drill_centre_of(w).slug}, post={AD},
                          data=lambda w: {"confirm": "reset"}),
    # 訓練の振り返り (ops.drills): the drill centre's report readers, as the 日報, its 危機介入 rows only for those who
    # see the welfare flag; the world's staff hold the same roles at a drill centre of their own
    # (tests/drills/conftest_review.py).
    "drills:review": Route(get={AD, CO, LE, VI}, kwargs=lambda w: {"centre": drill_centre_of(w).slug},
                           details={AD, CO}),
    "drills:review_pdf": Route(get={AD, CO, LE, VI}, kwargs=lambda w: {"centre": drill_centre_of(w).slug},
                               details={AD, CO}),
}

# --- the resolver --------------------------------------------------------------------------------------------


def url_patterns(resolver=None, namespace=""):
    """(name, pattern) for every URL the site answers, walking includes; the admin's own are left out
    (test_admin_is_for_django_staff_only covers them)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or entry.pattern}", entry


def url_of(name, world):
    if name == "api:not_found":
        return "/api/v1/no-such-endpoint/"
    return reverse(name, kwargs=ROUTES[name].kwargs(world))


def verdict(response) -> str:
    status = response.status_code
    if status in (401, 403, 404, 405):
        return "refused"
    if status in (301, 302, 303) and any(login in response["Location"] for login in (
            reverse("login"), reverse("admin:login"))):
        return "refused"
    if status < 400:
        return "allowed"
    return f"unexpected {status}"


def body_text(response) -> str:
    raw = b"".join(response) if response.streaming else response.content  # an async stream too (exports)
    kind = response.get("Content-Type", "")
    if "json" in kind:  # \uXXXX escapes would hide a Japanese name from the search
        return json.dumps(json.loads(raw), ensure_ascii=False)
    if not any(t in kind for t in ("text/", "javascript")):
        return ""
    return raw.decode("utf-8", "replace")


def database_state():
    """Every row of the project's own tables (and sent mail): what a refused write must leave alone."""
    rows = {}
    for label in ("centres", "needs", "volunteers", "dispatch", "reports", "outbox", "api", "staff", "mapping",
                  "welfare", "partners", "prefecture", "desk"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    rows["mail"] = [(m.subject, tuple(m.to)) for m in mail.outbox]
    return rows


def changed_tables(before, after):
    return sorted(k for k in before if before[k] != after[k])


def send(client, name, route, world):
    return send_to(client, url_of(name, world), route, world)


def send_to(client, url, route, world):
    data = route.data(world) if route.data else {}
    if route.api:
        return getattr(client, route.method)(url, json.dumps(data), content_type="application/json")
    return getattr(client, route.method)(url, data)


# --- the tests --------------------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world, db):
    """The module's one world; each test's writes are rolled back."""
    return shared_world


def test_every_route_has_an_entry_in_the_table():
    names = [name for name, _pattern in url_patterns()]
    assert len(names) == len(set(names)), "two routes share a name: the table cannot tell them apart"
    missing = sorted(set(names) - set(ROUTES))
    stale = sorted(set(ROUTES) - set(names))
    assert missing == [], f"new routes without an entry in ROUTES (say who may open them): {missing}"
    assert stale == [], f"ROUTES names routes that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_who_may_get_each_page(world, name):
    route = ROUTES[name]
    url = url_of(name, world)
    query = route.query(world) if route.query else {}
    wrong, leaks = {}, {}
    for who in PRINCIPALS:
        response = client_for(world, who).get(url, query)
        expected = "allowed" if who in route.get else "refused"
        got = verdict(response)
        if got != expected:
            wrong[who] = f"{response.status_code} {response.get('Location', '')}".strip()
        text = body_text(response) if got == "allowed" else ""
        sees = any(secret in text for secret in RESIDENT_SECRETS)
        if sees != (who in route.personal):
            leaks[who] = "sees the resident's personal data" if sees else "does not see the resident's data"
        sees = any(secret in text for secret in (world.me.name, world.me.phone))
        if sees != (who in route.volunteer_data):
            leaks[f"{who} "] = "sees the volunteer's name or phone" if sees else "does not see the volunteer"
        seen = [secret for secret in DETAIL_SECRETS if secret in text]
        if seen and who not in route.may_see_details:
            leaks[f"{who}  "] = f"reads {seen}"
        seen = [secret for secret in CASEWORK_SECRETS if secret in text]
        if seen and who not in route.casework:
            leaks[f"{who}   "] = f"reads the welfare case: {seen}"
    assert wrong == {}, f"GET {url}: expected allowed for {sorted(route.get)}, got {wrong}"
    assert leaks == {}, f"GET {url}: {leaks}"


def test_the_world_holds_every_detail_for_the_roles_that_see_them(world):
    """The detail column checks something real: a coordinator finds each secret on the need pages."""
    client = client_for(world, CO)
    pages = "".join(body_text(client.get(reverse("needs:detail", kwargs={"centre": world.centre.slug, "pk": need.pk})))
                    for need in (world.need, world.open_need, world.done_need, world.technical_need))
    assert [secret for secret in DETAIL_SECRETS if secret not in pages] == []


def test_the_world_holds_every_casework_word_for_the_welfare_staff(world):
    """The casework column checks something real: the welfare staff find each of the case's words on its page,
    and the coordinator, who sees the household's need, finds none of them there."""
    page = body_text(client_for(world, WE).get(reverse("welfare:case", kwargs={"centre": world.centre.slug,
                                                                              "pk": world.case.pk})))
    assert [secret for secret in CASEWORK_SECRETS if secret not in page] == []
    need_page = body_text(client_for(world, CO).get(reverse("needs:detail", kwargs={
        "centre": world.centre.slug, "pk": world.open_need.pk})))
    assert [secret for secret in CASEWORK_SECRETS if secret in need_page] == []


WRITES = sorted(name for name, route in ROUTES.items() if route.post is not None and set(PRINCIPALS) - route.post)


@pytest.mark.parametrize("name", WRITES)
def test_refused_writes_change_nothing_and_allowed_ones_do(world, name):
    route = ROUTES[name]
    before = database_state()
    for who in PRINCIPALS:
        if who in route.post:
            continue
        response = send(client_for(world, who), name, route, world)
        assert verdict(response) == "refused", (who, response.status_code, response.get("Location"))
        after = database_state()
        assert changed_tables(before, after) == [], f"{route.method.upper()} {name} refused to {who} changed data"
    if not route.effect:
        return
    who = next(p for p in PRINCIPALS if p in route.post)
    response = send(client_for(world, who), name, route, world)
    assert verdict(response) == "allowed", (who, response.status_code, body_text(response)[:500])
    assert changed_tables(before, database_state()) != [], f"the test body for {name} changes nothing"


def test_a_wrong_token_opens_nothing(world):
    """Private links (resident, volunteer, group, slip): a token that is not one is a 404, and changes nothing."""
    checked = []
    before = database_state()
    for name, route in ROUTES.items():
        kwargs = route.kwargs(world)
        if "token" not in kwargs:
            continue
        url = reverse(name, kwargs={**kwargs, "token": "x" * 43})
        client = client_for(world, VOLUNTEER)  # even a signed-in volunteer's phone
        response = getattr(client, route.method if route.post else "get")(url, {})
        assert response.status_code in (401, 404), (name, response.status_code)
        checked.append(name)
    assert changed_tables(before, database_state()) == []
    assert len(checked) >= 8, checked


def test_admin_is_for_django_staff_only(world):
    """The Django admin, summarised: every model page sends every centre role (even the centre's
    administrator) and everyone else to the admin login; only Django staff get in."""
    from django.contrib import admin

    from tests import factories

    pages = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry]
    assert len(pages) > 5
    for who in PRINCIPALS:
        client = client_for(world, who)
        refused = {page: verdict(client.get(page)) for page in pages}
        assert set(refused.values()) == {"refused"}, (who, refused)
    client = client_for(world, None)
    client.force_login(factories.make_user(is_staff=True, is_superuser=True))
    assert {client.get(page).status_code for page in pages} == {200}


def test_another_centres_staff_cannot_reach_our_objects_through_their_own_centre(world):
    """The object ids in a URL belong to the centre in it: staff of another centre who put our ids under
    their own centre's address read nothing (404) and change nothing."""
    reached, checked = {}, []
    for name, route in ROUTES.items():
        kwargs = route.kwargs(world)
        # the day's check-in code is per centre, not an object; nor is an export's dataset name
        ids = set(kwargs) - {"centre", "code", "dataset"}
        if "centre" not in kwargs or "token" in kwargs or not ids:
            continue
        url = reverse(name, kwargs={**kwargs, "centre": world.other.slug})
        # the other centre's administrator holds every capability there but an organisation's (partner pages):
        # those are asked by the other centre's organisation login
        partner_page = getattr(resolve(url).func, "required_cap", None) == Cap.PARTNER_WORK
        client = client_for(world, PARTNER_ELSEWHERE if partner_page else OUTSIDER)
        if route.get and (status := client.get(url, route.query(world) if route.query else {}).status_code) != 404:
            reached[f"GET {url}"] = status
        if route.post is not None:
            before = database_state()
            response = send_to(client, url, route, world)
            if changed := changed_tables(before, database_state()):
                reached[f"{route.method.upper()} {url}"] = f"{response.status_code}, changed {changed}"
        checked.append(name)
    assert reached == {}
    assert len(checked) >= 30, checked
