"""A centre in the middle of its day, with one of everything a URL can point at, and a client for each kind of
caller: each staff role, a volunteer on their phone, an anonymous visitor, and staff of another centre.

Built through the services where a service exists, so the objects are in the states the pages expect.
Every free-text field is filled from `text(field)`: the access matrix uses plain Japanese, the XSS tests
put a script payload there.
"""
import contextlib
import io
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from api.token_services import issue_token
from ops.centres import services as centre_services
from ops.centres.models import Base, CapacityDay, Centre, Council, Role
from ops.desk.services import roles as desk_roles
from ops.dispatch.models import Team
from ops.dispatch.services import dispatch, file_return_report, form_team, lend_tools
from ops.dispatch.services.consumables import add_consumable
from ops.dispatch.services.ledger import add_items, add_kind
from ops.messages.models import OutboundMail
from ops.messages.services import about_of
from ops.needs.models import NeedStatus, NeedStatusChange, Survey
from ops.needs.services import add_photo
from ops.reports.figures import daily_figures
from ops.reports.models import DailyReport, ReportRecipient, RollupReport
from ops.staff import services as staff_services
from ops.volunteers import codes
from ops.volunteers.services import book, register_group
from ops.welfare import services as welfare
from ops.welfare.models import Agency
from tests import factories
from tests.dispatch.conftest import END_OF_DAY
from tests.drills.conftest_review import drill_centre_of

STAFF_ROLES = [Role.ADMIN, Role.COORDINATOR, Role.INTAKE, Role.RECEPTION, Role.WELFARE, Role.LEADER, Role.VIEWER]
# Who calls: the seven staff roles of the centre, plus these three.
VOLUNTEER, ANONYMOUS, OUTSIDER = "volunteer", "anonymous", "outsider"
# 協力団体 (partner pages): the login of the organisation the world's jobs are routed to (Role.PARTNER), of
# another organisation at the same centre, and of an organisation at the other centre.
PARTNER_OTHER_ORG, PARTNER_ELSEWHERE = "partner_other_org", "partner_elsewhere"
PARTNERS = [Role.PARTNER, PARTNER_OTHER_ORG, PARTNER_ELSEWHERE]
# 県域スタッフ (ops.prefecture): the prefectural council's staff of the centre's disaster. No role at any centre:
# none of them opens a centre's staff page; the prefecture pages of the disaster are theirs.
PREFECTURE = "prefecture"
# デスク担当 (ops.desk): a volunteer checked in today whom staff gave the 受付スキャン desk, on their own phone (the
# identity cookie of their personal link). Not staff: the desk's pages only, and never a resident's data.
DESK = "desk_volunteer"
PRINCIPALS = [*STAFF_ROLES, VOLUNTEER, ANONYMOUS, OUTSIDER, *PARTNERS, PREFECTURE, DESK]
PARTNER = Role.PARTNER

# The resident whose need the team is out on: what must stay with the roles that may see it.
RESIDENT = {"requester_name": "秘密山 依頼子", "requester_kana": "ヒミツヤマ イライコ", "phone": "090-4242-1717",
            "address": "テスト市内緒町7-7-7"}
RESIDENT_SECRETS = ("秘密山", "4242-1717", "内緒町7-7-7")
# Where the household is to the metre: no rendering finer than 3 decimals (about 100 m) may start like these.
EXACT_POSITION = {"lat": 36.651234, "lng": 138.181234}
EXACT_SECRETS = ("36.6512", "138.1812")
# What else only roles with residents' data read (ops.privacy): the welfare flag, free text that residents, staff
# and teams wrote (`plain(field)` of the world), and the exact position. (The household's labels are also the
# public form's choices, so tests/security/test_personal_data.py checks them page by page.)
WELFARE_SECRETS = ("危機介入",)
FREE_TEXT_FIELDS = ("依頼内容", "危険箇所", "備考", "写真の説明", "根拠", "対応不可の理由", "紹介先",
                    "活動内容", "ヒヤリハット", "変更理由",
                    "依頼メモ")  # 三者連携 (issue 23, desk): what staff wrote to the organisation about the site

# A welfare case's words (ops.welfare): welfare staff and administrators only, never intake or the coordinator.
CASEWORK_FIELDS = ("ケースの概要", "申し送り", "把握したこと", "合意したこと", "紹介の内容")


def plain(name: str) -> str:
    return f"{name}の記入例"


def jpeg(name="site.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 90, 60)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@dataclass
class World:
    centre: object
    other: object
    users: dict
    today: object
    yesterday: object
    need: object  # out with `team` (dispatch `record`): on the slip, the board, the lists
    open_need: object  # new: edit, survey, status, photos, welfare
    ready_need: object  # waiting for a team
    done_need: object  # surveyed, a team back with its report
    photo: object
    referral: object  # the case's referral to a body of the directory, with consent
    case: object  # a welfare case on open_need's household, with a contact, consent and referral
    me: object  # the volunteer on their phone: checked in today, waiting, a booking tomorrow
    me_today: object
    walker: object  # registered here, not yet checked in
    team: object
    record: object
    spare_team: object  # ready, with tools lent
    forming_team: object
    kind: object
    loan: object
    group: object
    booking: object
    recipient: object
    report: object  # yesterday's, built
    rollup: object
    code: str
    api_token: object = None  # issued at the centre's API tokens page, for the viewer's account
    base: object = None  # a satellite (the settings' bases page)
    capacity_day: object = None  # a date with its own capacity (the settings' capacity page)
    invitation: object = None  # a staff invitation to the centre, unused (its link's token below)
    invitation_token: str = ""
    consumable: object = None  # drinks on hand at the tool desk
    mail: object = None  # a mail to `me` whose delivery is unknown (the outbox page)
    council: object = None  # the council that opened `centre` (its public address and settings page)
    # 協力団体 (partner pages): a technical need's work routed to `organisation`, one job in each state the
    # organisation's steps start from, and a photo of the one it reported
    organisation: object = None
    job_offered: object = None
    job_accepted: object = None
    job_reported: object = None
    job_photo: object = None
    partner_job: object = None  # the offered one (the technical desk's withdraw, on technical_need)
    technical_need: object = None
    # 県域 (ops.prefecture): an offering of the centre's date in three days, a bus to it, `me`'s application
    # with a seat asked for
    offering: object = None
    bus: object = None
    application: object = None
    riding_bus: object = None  # a bus of an allocated offering in four days, `me` in seat 1 (the boarding roster)
    desk_volunteer: object = None  # DESK: checked in today, the 受付スキャン desk in force
    desk_role: object = None
    item: object = None  # a numbered tool with its own label (EquipmentItem)
    extra: dict = field(default_factory=dict)


def build_world(text=plain, resident=RESIDENT) -> World:
    centre = factories.make_centre(latest_return_time=END_OF_DAY)
    centre.bases.update(name=text("本部")[:80])
    other = factories.make_centre()
    users = {role: factories.make_user(role, centre, first_name=text("職員名")[:150]) for role in STAFF_ROLES}
    users[OUTSIDER] = factories.make_user(Role.ADMIN, other)
    today = centre.today()
    yesterday = today - timedelta(days=1)

    def need(**kw):
        return factories.make_need(centre, **resident, district=text("地区")[:40], description=text("依頼内容"),
                                   hazards=text("危険箇所"), notes=text("備考"), tools_needed=text("資機材")[:200],
                                   household=["elderly_alone"], **EXACT_POSITION, **kw)

    out_need = need(status=NeedStatus.READY, people_needed=2, welfare="crisis")
    open_need = need(status=NeedStatus.NEW)
    ready_need = need(status=NeedStatus.READY)
    photo = add_photo(open_need, by=users[Role.INTAKE], upload=jpeg(), consent=True, caption=text("写真の説明")[:200])
    case, _opened = welfare.open_case(need=open_need, source="staff", by=users[Role.WELFARE],
                                      summary=text("ケースの概要"), contact_found=text("申し送り"))
    welfare.add_contact(case, by=users[Role.WELFARE], method="visit", with_whom=["person"],
                        found=text("把握したこと"), agreed=text("合意したこと"), next_check_on=today)
    agency = Agency.objects.create(centre=centre, kind="houkatsu", name=text("紹介先")[:120])
    welfare.give_consent(case, by=users[Role.WELFARE], purpose="share", how="written", agency=agency)
    referral = welfare.refer(case, by=users[Role.WELFARE], agency=agency, reason=text("紹介の内容"))

    def volunteer(name, **kw):
        return factories.make_volunteer(name=text(name)[:80], kana="テスト", city=text("市区町村")[:40],
                                        emergency_name=text("緊急連絡先")[:80], registered_centre=centre, **kw)

    me = volunteer("ボランティア本人")
    me_today = factories.make_attendance(centre, me, date=today)
    desk_volunteer = volunteer("デスク担当の人")
    desk_role = desk_roles.grant(factories.make_attendance(centre, desk_volunteer, date=today), "scan",
                                 by=users[Role.COORDINATOR])
    walker = volunteer("当日受付の人")
    leader = factories.make_attendance(centre, volunteer("班長"), date=today)
    member = factories.make_attendance(centre, volunteer("班員"), date=today)
    team = form_team(centre=centre, on=today, members=[leader.pk, member.pk], leader=leader.pk,
                     vehicle=text("車両")[:80])
    record = dispatch(team, out_need)
    spare = factories.make_attendance(centre, volunteer("待機班の人"), date=today)
    spare_team = form_team(centre=centre, on=today, members=[spare.pk], leader=spare.pk)
    forming_team = Team.objects.create(centre=centre, date=today, number=99, status=Team.Status.FORMING)
    factories.make_attendance(centre, volunteer("編成中の人"), date=today, team=forming_team)
    # A need the day is done with: surveyed, a team back with its report, a history line with a reason.
    done_need = need(status=NeedStatus.READY, people_needed=1)
    Survey.objects.create(need=done_need, surveyor=users[Role.INTAKE], surveyed_at=timezone.now(),
                          damage_type="other", people_needed=1, days_needed=1, work_class=text("作業区分")[:80],
                          volunteer_ok=False,  # so the page shows why and where to
                          estimate_reason=text("根拠")[:300], tools=text("調査の資機材")[:200],
                          referred_to=text("紹介先")[:200], refusal_reason=text("対応不可の理由")[:300])
    back = factories.make_attendance(centre, volunteer("帰着した人"), date=today)
    back_team = form_team(centre=centre, on=today, members=[back.pk], leader=back.pk, vehicle=text("軽トラ")[:80])
    file_return_report(dispatch(back_team, done_need), outcome="continue", people=1, hours=2,
                       work_done=text("活動内容"), near_miss=text("ヒヤリハット"), by=users[Role.COORDINATOR])
    NeedStatusChange.objects.create(need=done_need, from_status="continuing", to_status="continuing",
                                    by=users[Role.COORDINATOR], reason=text("変更理由")[:300])
    # Through the ledger, as the tool desk stocks it (its first 受入 line is the stock movements' row).
    kind = add_kind(centre=centre, name=text("スコップ")[:60], quantity=10, by=users[Role.COORDINATOR])
    loan = lend_tools(team=spare_team, kind=kind, quantity=2)
    item = add_items(kind=kind, count=1, by=users[Role.COORDINATOR])[0]
    consumable = add_consumable(centre=centre, name=text("飲料水")[:60], unit="本", quantity=20)
    group = register_group(centre=centre, name=text("団体名"), leader_name=text("団体代表")[:80],
                           leader_kana="ダンタイ", phone="090-5151-5151", member_count=5, age_band="30s",
                           prefecture="長野県", city="長野市", on=today + timedelta(days=1))
    booking = book(me, centre, on=today + timedelta(days=1))
    recipient = ReportRecipient.objects.create(centre=centre, name=text("宛名")[:80], email="office@example.jp")
    DailyReport.objects.create(centre=centre, date=today, notes=text("特記事項"), plan_tomorrow=text("明日の予定"))
    report = DailyReport.objects.create(centre=centre, date=yesterday, figures=daily_figures(centre, yesterday),
                                        notes=text("昨日の特記事項"), plan_tomorrow=text("昨日の明日の予定"))
    rollup = RollupReport.objects.create(disaster=centre.disaster, date=yesterday, figures={})
    for row in (report, rollup):
        for kind_name, ext in (("html", "html"), ("pdf", "pdf"), ("xlsx", "xlsx"), ("chart", "png")):
            getattr(row, kind_name).save(f"r{row.pk}.{ext}", ContentFile(b"file"), save=False)
        row.save()
    centre_services.set_notices(centre, notice=text("お知らせ"), what_to_bring=text("持ち物"))
    centre_services.set_public_info(centre, work_today=text("本日の作業"), tomorrow_meeting_time=None,
                                    tomorrow_meeting_place=text("集合場所"), tomorrow_plan=text("明日の活動予定"),
                                    status_message=text("状況メッセージ"))
    api_token, _key = issue_token(user=users[Role.VIEWER], name=text("用途")[:80], centre=centre, by=users[Role.ADMIN])
    satellite = Base.objects.create(centre=centre, name=text("サテライト")[:80], kind=Base.Kind.SATELLITE,
                                    lat=centre.lat, lng=centre.lng, daily_capacity=40)
    capacity_day = CapacityDay.objects.create(centre=centre, date=today + timedelta(days=3), capacity=60,
                                              note=text("メモ")[:200])
    invitation, invitation_token = staff_services.invite(centre=centre, role=Role.RECEPTION, by=users[Role.ADMIN])
    mail = OutboundMail.objects.create(kind=OutboundMail.Kind.BOOKING_CONFIRMED, centre=centre, about=about_of(booking),
                                       to=[me.email or "me@example.jp"], subject=text("件名")[:200],
                                       body=f"{me.name} 様 {me.phone}", state=OutboundMail.State.UNKNOWN, attempts=1)
    council = Council.objects.create(slug="world-shakyo", name=text("社会福祉協議会名")[:120], prefecture="長野県",
                                     normal_message=text("平常時のお知らせ"),
                                     links=f"{text('リンク名')[:60]} | https://example.jp/")
    Centre.objects.filter(pk=centre.pk).update(council=council)
    centre.council = council
    partner_world = _partner_world(centre, other, users, need, text)
    prefecture_world = _prefecture_world(centre, users, me, text)
    world = World(centre=centre, other=other, users=users, today=today, yesterday=yesterday, need=out_need,
                 open_need=open_need, ready_need=ready_need,
                 done_need=done_need, photo=photo, referral=referral, case=case, me=me,
                 me_today=me_today, walker=walker, team=team, record=record, spare_team=spare_team,
                 forming_team=forming_team, kind=kind,
                 loan=loan, group=group, booking=booking, recipient=recipient, report=report, rollup=rollup,
                 code=codes.daily_code(centre, today), api_token=api_token, base=satellite,
                 capacity_day=capacity_day, invitation=invitation, invitation_token=invitation_token,
                 consumable=consumable, mail=mail, council=council, desk_volunteer=desk_volunteer,
                 desk_role=desk_role, item=item, **partner_world, **prefecture_world)
    drill_centre_of(world)  # 訓練 (ops.drills): the same staff at a drill centre, made with the world
    return world


def _prefecture_world(centre, users, me, text) -> dict:
    """県域: the prefecture's staff member of the centre's disaster; an offering at the centre in three days with
    a bus from a hub, and `me` applied for it with a seat asked for."""
    from datetime import time

    from ops.prefecture.models import PrefectureMembership
    from ops.prefecture.services.buses import add_bus
    from ops.prefecture.services.offerings import apply, open_offering

    users[PREFECTURE] = factories.make_user(first_name=text("県職員名")[:150])
    PrefectureMembership.objects.create(user=users[PREFECTURE], disaster=centre.disaster)
    day = centre.today() + timedelta(days=3)
    offering = open_offering(centre, on=day, places_n=5, note=text("受入枠のお知らせ")[:200], by=users[PREFECTURE])
    bus = add_bus(centre, on=day, hub=text("出発地")[:120], departs_at=time(7, 0), seats=10,
                  operator=text("運行会社")[:120], by=users[PREFECTURE])
    application = apply(me, offering, bus=bus)
    return {"offering": offering, "bus": bus, "application": application, "riding_bus": _riding_bus(centre, me, text)}


def _riding_bus(centre, me, text):
    """A bus of an offering already allocated, `me` in seat 1: the boarding roster's row."""
    from datetime import time

    from ops.prefecture.services.allocation import allocate
    from ops.prefecture.services.buses import add_bus
    from ops.prefecture.services.offerings import apply, open_offering

    day = centre.today() + timedelta(days=4)
    offering = open_offering(centre, on=day, places_n=5)
    bus = add_bus(centre, on=day, hub=text("乗車地")[:120], departs_at=time(6, 30), seats=10,
                  operator=text("バス会社")[:120])
    apply(me, offering, bus=bus)
    allocate(offering.pk)
    return bus


def _partner_world(centre, other, users, need, text) -> dict:
    """協力団体 (partner pages): an organisation at each centre and a second one here, each with its login; a
    technical need (the resident's) whose roof tarp is offered to the organisation, its chainsaw work accepted
    and its heavy work reported partly done with a photo."""
    from ops.partners import services as partners

    coordinator = users[Role.COORDINATOR]
    organisation = partners.save_organisation(centre, by=coordinator, name=text("協力団体名")[:100], kind="technical",
                                              capabilities=["roof", "chainsaw", "heavy"],
                                              contact_name=text("団体の担当者")[:80], notes=text("団体のメモ"))
    second = partners.save_organisation(centre, by=coordinator, name=text("別の協力団体")[:100],
                                        capabilities=["roof"])
    elsewhere = partners.save_organisation(other, by=None, name=text("隣町の協力団体")[:100], capabilities=["roof"])
    for key, org, at in ((Role.PARTNER, organisation, centre), (PARTNER_OTHER_ORG, second, centre),
                         (PARTNER_ELSEWHERE, elsewhere, other)):
        users[key] = factories.make_user(Role.PARTNER, at, first_name=text("団体の職員名")[:150])
        org.users.add(users[key])
    technical = need(status=NeedStatus.ON_HOLD, technical=True, work_types=["tarp", "chainsaw", "heavy"])
    kinds = {wt.code: wt for wt in technical.work_types.all()}
    offered = partners.offer(technical, organisation, by=coordinator, work_type=kinds["tarp"],
                             note=text("依頼メモ"))
    accepted = partners.offer(technical, organisation, by=coordinator, work_type=kinds["chainsaw"],
                              note=text("依頼メモ"))
    accepted = partners.accept(accepted, by=users[Role.PARTNER])
    reported = partners.offer(technical, organisation, by=coordinator, work_type=kinds["heavy"])
    partners.accept(reported, by=users[Role.PARTNER])
    reported = partners.complete(reported, by=users[Role.PARTNER], outcome="partly", note=text("対応内容"),
                                 photos=[jpeg()])
    return {"organisation": organisation, "job_offered": offered, "job_accepted": accepted, "job_reported": reported,
            "job_photo": reported.photos.get(), "partner_job": offered, "technical_need": technical}


def client_for(world: World, who) -> Client:
    """A fresh test client acting as `who` (CSRF checks off, as Django's test client has them). Sign-ins are
    made once per world and their cookies copied: a page that sets a cookie cannot change who the next
    client is."""
    if who not in world.extra.setdefault("cookies", {}):
        client = Client()
        if who in world.users:
            client.force_login(world.users[who])
        elif who == VOLUNTEER:
            client.get(f"/v/{world.me.token}/")  # opening the personal link signs the phone in
        elif who == DESK:
            client.get(f"/v/{world.desk_volunteer.token}/")
        world.extra["cookies"][who] = {name: morsel.value for name, morsel in client.cookies.items()}
    client = Client()
    for name, value in world.extra["cookies"][who].items():
        client.cookies[name] = value
    if who == VOLUNTEER:
        client.defaults["HTTP_AUTHORIZATION"] = f"Volunteer {world.me.token}"  # what the app sends to the API
    client.who = who
    return client


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def world(db, media) -> World:
    return build_world()


@contextlib.contextmanager
def world_for_module(django_db_blocker, media_root, **build):
    """A world for a whole module, like TestCase.setUpTestData: built in an outer transaction that each
    test's own (the `db` fixture) nests in and rolls back to, and rolled back itself at the end. For modules
    without transactional tests."""
    from django.db import transaction
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(media_root)), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world(**build)
            for who in PRINCIPALS:
                client_for(world, who)  # sign everyone in once, inside the outer transaction
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with world_for_module(django_db_blocker, tmp_path_factory.mktemp("media")) as world:
        yield world
