"""One day of a centre, played through the real services at the times they would happen.

The script follows a real day (times from the centre's own hours): phone calls and web requests all morning;
booked volunteers, walk-ins and a group check in; surveys make needs ready; the coordinator forms teams
(choosing a leader), lends tools and dispatches; one dispatch is taken back; teams arrive, the welfare staff
flag a household and add a follow-up note, then work their cases (assign, visit, phone, refer on consent,
close; the directory entered on the first day); a resident withdraws; teams return with reports (completed,
another day, could not; near misses), tools come back at the desk; volunteers check out; tomorrow is booked
and one booking cancelled; the daily report is built. Each step runs only if its moment has passed.

三者連携 (ops.season.partners): the organisations are registered the first morning and answer each morning;
roof work the survey finds goes to them (technical), as does specialist work no team of the day has the
skill for; they report their work in the evening.
"""
from __future__ import annotations

import logging
import random
from datetime import date, datetime, time, timedelta

from ops.centres.models import Role
from ops.dispatch.errors import DispatchError
from ops.dispatch.models import Dispatch, EquipmentKind, Team
from ops.needs.models import Need, NeedStatus, Survey
from ops.needs.services.errors import NeedError
from ops.needs.transitions import DISPATCHABLE, IllegalTransition
from ops.season import cast, partners
from ops.volunteers.models import Attendance, Booking
from ops.volunteers.rules import HEALTH_ITEMS, VolunteerError

log = logging.getLogger(__name__)
HEALTHY = {key: True for key, _label in HEALTH_ITEMS}
TEAM_SIZE = 4
LAST_MINUTE = timedelta(hours=23, minutes=59)
WORK_DONE = {
    "completed": "泥出しと家財の搬出を終えた。依頼者に確認済み。",
    "continue": "1階の半分まで泥出し。残りは明日以降（畳の搬出が残る）。",
    "could_not": "依頼者不在のため作業できず。近所の方に伝言。",
    "partner_left": "ボランティアの作業分は終えた。残りは協力団体の作業（重機・屋根など）。",
}
# Work the surveyor marks technical (for a partner organisation); a chainsaw is left to a skilled team.
TECHNICAL_WORK = frozenset({"tarp", "heavy"})
REFUSED = (DispatchError, VolunteerError, NeedError, IllegalTransition)


def _minutes(clock: time) -> int:
    return clock.hour * 60 + clock.minute


class DayScript:
    """The steps of one day in order; `play` runs each whose moment has come and stops at the first that has
    not (a day still going on: the season ends at the real now)."""

    def __init__(self, season, day: date):
        self.season, self.day, self.centre = season, day, season.centre
        self.rng = random.Random(season.seed * 10_000 + day.toordinal())
        self.teams: list[Team] = []
        self.dispatches: list[Dispatch] = []
        start = _minutes(self.centre.activity_start)
        self.end = _minutes(self.centre.activity_end)
        self.deadline = _minutes(self.centre.latest_return_time)
        # A short day (the demo fitted around the hour it was started) keeps every step, closer together.
        self.scale = min(1.0, max(self.deadline - start, 60) / 420)
        self.start = start

    def t(self, after_start: int) -> timedelta:
        return timedelta(minutes=self.start + round(after_start * self.scale))

    def before_deadline(self, minutes_before: int) -> timedelta:
        return timedelta(minutes=self.deadline - round(minutes_before * self.scale))

    def steps(self) -> list[tuple[timedelta, object]]:
        calls = self.season.calls_per_day
        step = max(1, 300 // max(calls, 1))
        plan = [(self.t(-60 + i * step), lambda i=i: self.call(i)) for i in range(calls)]
        plan += [
            (self.t(-75), lambda: partners.register(self)),
            (self.t(-30), lambda: partners.answer(self)),
            (self.t(0), self.booked_arrive),
            (self.t(10), self.group_arrives),
            (self.t(5), self.supplies_arrive),
            (self.t(15), self.walk_ins),
            (self.t(20), self.surveys),
            (self.t(30), lambda: partners.offer_waiting(self)),
            (self.t(45), self.form_teams),
            (self.t(50), self.lend_tools),
            (self.t(60), self.dispatch_teams),
            (self.t(70), self.cancel_one_dispatch),
            (self.t(75), self.late_arrivals),
            (self.t(90), self.arrive),
            (self.t(120), self.welfare_round),
            (self.t(130), self.casework),
            (self.t(150), self.resident_withdraws),
            (self.before_deadline(120), lambda: self.return_reports(first_half=True)),
            (self.before_deadline(30), lambda: partners.report(self)),
            (self.before_deadline(20), lambda: self.return_reports(first_half=False)),
            (self.before_deadline(5), self.tools_back),
            (timedelta(minutes=self.end - 10), self.check_out),
            (timedelta(minutes=self.end + 15), self.book_coming_days),
            (timedelta(minutes=max(_minutes(self.centre.report_time), self.end + 30)), self.daily_report),
        ]
        return sorted(plan, key=lambda p: p[0])

    def play(self) -> bool:
        """Run the day's steps; False if the day is still going on (a step's moment has not come)."""
        for offset, step in self.steps():
            # Evening steps of a late demo day stay on the day (bookings, the report).
            if not self.season.clock.at(self.day, min(offset, LAST_MINUTE)):
                return False
            step()
        return True

    # --- intake ---------------------------------------------------------------------------------------------
    def call(self, i: int) -> None:
        from ops.needs.services import record_need

        s = self.season
        n = s.next_resident()
        web = i % 5 == 4  # a web request: no pin, no staff
        person = cast.resident(self.rng, self.centre, n, pinned=not web)
        repeat = s.needs and i % 7 == 6  # the same household calls again
        if repeat:
            original = s.needs[self.rng.randrange(len(s.needs))]
            record_need(centre=self.centre, by=s.staff[Role.INTAKE], channel="phone",
                        requester_name=original.requester_name, requester_kana=original.requester_kana,
                        phone=original.phone, address=original.address, district=original.district,
                        lat=original.lat, lng=original.lng, work_types=[w.code for w in original.work_types.all()],
                        description="（再度の電話）" + original.description[:100], duplicate_of=original)
            return
        work, text, people, days, _damage = person.request
        crisis = n % 13 == 5
        watch = not crisis and "elderly_alone" in person.household
        need = record_need(
            centre=self.centre, by=None if web else s.staff[Role.INTAKE], actor="web" if web else "",
            channel="web" if web else self.rng.choice(["phone", "phone", "counter", "referral"]),
            requester_name=person.name, requester_kana=person.kana, phone=person.phone, address=person.address,
            district="" if web else person.district, lat=person.lat, lng=person.lng, work_types=work,
            description=text, people_needed=people, days_needed=days,
            tools_needed="スコップ、一輪車、土のう袋" if "mud" in work else "", vehicle_needed="debris" in work,
            hazards="" if web else cast.HAZARDS[n % len(cast.HAZARDS)], household=person.household,
            consent_share=True, priority=1 if crisis else 2,
            welfare="crisis" if crisis else "watch" if watch and not web else "none",
            welfare_note="一人暮らしで持病あり。避難所から自宅に戻っている。" if crisis else "",
        )
        s.needs.append(need)

    def surveys(self) -> None:
        """Yesterday's and this morning's calls are surveyed; the coordinator makes them ready. Roof and heavy
        work is marked technical (a partner organisation's): a roof alone waits on hold for one, beside other
        work the volunteers do theirs. A fallen tree is left to a team with a chainsaw (or routed at dispatch)."""
        from ops.needs.services import record_survey, set_status

        s = self.season
        surveyor = s.surveyor or s.staff[Role.COORDINATOR]
        for need in Need.objects.filter(centre=self.centre, status=NeedStatus.NEW, duplicate_of__isnull=True,
                                        received_at__lt=s.clock.current).order_by("received_at")[:s.surveys_per_day]:
            _work, _text, people, days, damage = cast.REQUESTS[need.number % len(cast.REQUESTS)]
            work = list(need.work_types.all())
            technical = any(w.code in TECHNICAL_WORK for w in work)
            volunteer_ok = any(not w.specialist_only for w in work)
            record_survey(need, by=surveyor, damage_type=damage if damage in Survey.Damage.values else "other",
                          people_needed=need.people_needed, days_needed=need.days_needed,
                          volunteer_ok=volunteer_ok, technical=technical,
                          refusal_reason="" if volunteer_ok else "屋根上の作業のため（高所）",
                          work_class="、".join(w.name for w in work), estimate_reason="現地確認による")
            need.refresh_from_db()
            if need.status == NeedStatus.SURVEYED:
                set_status(need, NeedStatus.READY, by=s.staff[Role.COORDINATOR], reason="資機材・人数の確認済み")

    # --- volunteers ---------------------------------------------------------------------------------------
    def booked_arrive(self) -> None:

        for booking in (Booking.objects.filter(centre=self.centre, date=self.day, cancelled_at__isnull=True)
                        .select_related("volunteer").order_by("pk")):
            if booking.head_count > 1:
                continue  # the group comes together a little later
            if self.rng.random() < 0.1:  # booked and did not come
                continue
            self._check_in(booking.volunteer, via="phone")

    def _check_in(self, volunteer, *, via: str, head_count: int = 1):
        from ops.volunteers.services import check_in

        s = self.season
        try:
            return check_in(volunteer, self.centre, on=self.day, via=via, health=HEALTHY, insurance_confirmed=True,
                            head_count=head_count, by=s.staff[Role.RECEPTION] if via == "staff" else None)
        except VolunteerError as refusal:  # full, or a rule of the centre: the person is turned away
            s.refusals.append(refusal.code)
            return None

    def group_arrives(self) -> None:
        from ops.volunteers.models import Group
        from ops.volunteers.services import register_group

        s = self.season
        booked = (Booking.objects.filter(centre=self.centre, date=self.day, cancelled_at__isnull=True,
                                         head_count__gt=1).select_related("volunteer"))
        for booking in booked:
            self._check_in(booking.volunteer, via="phone", head_count=booking.head_count)
        if not booked and s.day_index == 0:
            name, leader, kana, pref, city, age, count = cast.GROUPS[0]
            group = Group.objects.filter(centre=self.centre, name=name).first() or register_group(
                centre=self.centre, name=name, leader_name=leader, leader_kana=kana, phone="090-3100-0001",
                email="circle@example.jp", member_count=count, age_band=age, prefecture=pref, city=city)
            self._check_in(group.leader, via="staff", head_count=count)

    def walk_ins(self) -> None:
        """People who came without booking: new ones register at the desk, known ones are recognised."""
        from ops.volunteers.services import register_volunteer

        s = self.season
        for _ in range(s.walk_ins_per_day):
            n = s.next_volunteer()
            volunteer = register_volunteer(centre=self.centre, by=s.staff[Role.RECEPTION], **cast.volunteer(n, self.centre))
            s.pool.append(volunteer)
            self._check_in(volunteer, via="staff")
        for volunteer in self.rng.sample(s.pool[: max(len(s.pool) - s.walk_ins_per_day, 0)],
                                         k=min(3, max(len(s.pool) - s.walk_ins_per_day, 0))):
            if not Attendance.objects.filter(volunteer=volunteer, centre=self.centre, date=self.day).exists():
                self._check_in(volunteer, via="staff")

    def late_arrivals(self) -> None:
        """Two who come after the teams left: they wait at the centre for the next team."""
        from ops.volunteers.services import register_volunteer

        s = self.season
        for _ in range(2):
            volunteer = register_volunteer(centre=self.centre, **cast.volunteer(s.next_volunteer(), self.centre))
            s.pool.append(volunteer)
            self._check_in(volunteer, via="phone")

    def check_out(self) -> None:
        from ops.volunteers.services import check_out

        s = self.season
        for attendance in Attendance.objects.filter(centre=self.centre, date=self.day,
                                                    checked_out_at__isnull=True).order_by("pk"):
            if self.rng.random() < 0.15:  # forgot to check out
                continue
            check_out(attendance, by=s.staff[Role.RECEPTION] if attendance.via == "staff" else None)

    def book_coming_days(self) -> None:
        """Pre-registered volunteers book the coming days; one cancels; a group books a day."""
        from ops.volunteers.services import book, cancel_booking, register_volunteer
        from ops.volunteers.services.booking import bookable_days

        s = self.season
        days = bookable_days(self.centre)
        if not days:
            return
        for _ in range(s.new_registrations_per_day):  # registered online in the evening
            s.pool.append(register_volunteer(centre=self.centre, **cast.volunteer(s.next_volunteer(), self.centre)))
        made = []
        for volunteer in self.rng.sample(s.pool, k=min(s.bookings_per_day, len(s.pool))):
            try:
                made.append(book(volunteer, self.centre, on=days[0] if self.rng.random() < 0.8 else days[1]))
            except VolunteerError as refusal:
                s.refusals.append(refusal.code)
        if made:
            cancel_booking(made[-1])
        name, leader, kana, pref, city, age, count = cast.GROUPS[1 + s.day_index % (len(cast.GROUPS) - 1)]
        from ops.volunteers.models import Group
        from ops.volunteers.services import register_group

        group = Group.objects.filter(centre=self.centre, name=name).first()
        try:
            if group is None:
                register_group(centre=self.centre, name=name, leader_name=leader, leader_kana=kana,
                               phone=f"090-3100-{10 + s.day_index:04d}", email="group@example.jp",
                               member_count=count, age_band=age, prefecture=pref, city=city, on=days[0])
            else:
                book(group.leader, self.centre, on=days[0], head_count=count)
        except VolunteerError as refusal:
            s.refusals.append(refusal.code)

    # --- teams, tools and dispatch --------------------------------------------------------------------------
    def form_teams(self) -> None:
        """The coordinator forms teams from the waiting volunteers and picks a leader (often not the first
        name on the list: the one with a licence or who has been before)."""
        from ops.dispatch.services import form_team, propose_teams

        s = self.season
        try:
            proposals = propose_teams(self.centre, self.day, TEAM_SIZE)
        except REFUSED:
            return
        for i, proposal in enumerate(proposals):
            members = proposal.members
            leader = members[-1] if i % 2 == 0 and len(members) > 1 else proposal.leader
            self.teams.append(form_team(centre=self.centre, on=self.day, members=members, leader=leader,
                                        base=proposal.base_id, by=s.staff[Role.COORDINATOR],
                                        vehicle="軽トラック" if proposal.count("driver") else ""))

    def lend_tools(self) -> None:
        from ops.dispatch.services import lend_tools

        s = self.season
        shovels = EquipmentKind.objects.filter(centre=self.centre).order_by("pk").first()
        if shovels is None:
            return
        for team in self.teams:
            try:
                lend_tools(team=team, kind=shovels, quantity=3, by=s.staff[Role.COORDINATOR])
            except DispatchError as refusal:
                s.refusals.append(str(refusal))
        self.hand_out_supplies()

    # --- the tool desk's stock: 資機材 received or broken, 消耗品 in and out ----------------------------------------
    def supplies_arrive(self) -> None:
        """A morning delivery of drinks; on the second day a neighbouring 社協 lends shovels."""
        from ops.dispatch.models import Consumable, EquipmentMovement
        from ops.dispatch.services.consumables import receive
        from ops.dispatch.services.ledger import record_movement

        by = self.season.staff[Role.COORDINATOR]
        water = Consumable.objects.filter(centre=self.centre).in_use().order_by("pk").first()
        if water is not None:
            receive(item=water, quantity=96, note="寄贈（地元企業）", by=by)
        shovels = EquipmentKind.objects.filter(centre=self.centre).lendable().order_by("pk").first()
        if shovels is not None and self.season.day_index == 1:
            record_movement(kind=shovels, reason=EquipmentMovement.Reason.BORROWED, quantity=10,
                            note="近隣の社協から借用", by=by)

    def hand_out_supplies(self) -> None:
        """Each team takes a drink per member (and masks), a few go at the desk to walk-ins."""
        from ops.dispatch.models import Consumable
        from ops.dispatch.services.consumables import hand_out

        s = self.season
        items = list(Consumable.objects.filter(centre=self.centre).in_use().order_by("pk")[:2])
        for item in items:
            for team in self.teams:
                try:
                    hand_out(item=item, quantity=max(1, team.members.count()), team=team, by=s.staff[Role.COORDINATOR])
                except DispatchError as refusal:
                    s.refusals.append(str(refusal))
            try:
                hand_out(item=item, quantity=5, by=s.staff[Role.COORDINATOR])
            except DispatchError as refusal:
                s.refusals.append(str(refusal))

    def _open_needs(self):
        return list(Need.objects.filter(centre=self.centre, status__in=DISPATCHABLE, lat__isnull=False)
                    .order_by("priority", "received_at"))

    def dispatch_teams(self) -> None:
        """All but the last two teams go out (they wait at the centre for an urgent call). Specialist work no
        organisation has taken goes first to a team with a member who has the skill; when no free team has it
        the coordinator routes the work to an organisation and a team may do the rest (dispatch_refusal
        refuses a team without the skill, so one is never tried)."""
        from ops.dispatch.services import dispatch, skill_refusal
        from ops.dispatch.state import team_skills

        s = self.season
        needs = self._open_needs()
        free = list(self.teams[:-2])
        skills = {team.pk: team_skills(team) for team in free}
        skilled = []  # listed after the others: the morning's mistaken dispatch (cancel_one_dispatch) is not theirs
        for need in list(needs):
            work = need.specialist_work()
            if not work or need.status in (NeedStatus.ASSIGNED, NeedStatus.IN_PROGRESS):
                continue  # a team with the skill is already on it: another with it may join below
            for team in [t for t in free if skill_refusal(t, need, skills=skills[t.pk], work=work) is None]:
                try:
                    skilled.append(dispatch(team, need, by=s.staff[Role.COORDINATOR]))
                except DispatchError:
                    continue
                free.remove(team)
                needs.remove(need)
                break
            else:
                partners.route(self, need, work)
        for team in free:
            for need in list(needs):
                try:
                    self.dispatches.append(dispatch(team, need, by=s.staff[Role.COORDINATOR]))
                except DispatchError:
                    continue
                needs.remove(need)
                break
        self.dispatches += skilled

    def cancel_one_dispatch(self) -> None:
        """A mistaken dispatch (the resident called: nobody home today) is taken back; the team goes elsewhere."""
        from ops.dispatch.services import cancel_dispatch, dispatch

        s = self.season
        if not self.dispatches:
            return
        record = self.dispatches.pop(0)
        cancel_dispatch(record, by=s.staff[Role.COORDINATOR], reason="依頼者から電話：本日不在")
        for need in self._open_needs():
            if need.pk == record.need_id:
                continue
            try:
                self.dispatches.append(dispatch(Team.objects.get(pk=record.team_id), need,
                                                by=s.staff[Role.COORDINATOR]))
                return
            except DispatchError:
                continue

    def arrive(self) -> None:
        from ops.dispatch.services import arrive

        for record in self.dispatches:
            arrive(record, via="leader")

    def return_reports(self, *, first_half: bool) -> None:
        from ops.dispatch.services import file_return_report

        s = self.season
        half = (len(self.dispatches) + 1) // 2
        for i, record in enumerate(self.dispatches[:half] if first_half else self.dispatches[half:]):
            record.refresh_from_db()
            if record.status != Dispatch.Status.ACTIVE:
                continue
            roll = self.rng.random()
            outcome = "completed" if roll < 0.5 else "continue" if roll < 0.85 else "could_not"
            near_miss = cast.NEAR_MISSES[i % len(cast.NEAR_MISSES)] if self.rng.random() < 0.3 else ""
            via = "leader" if i % 3 else "staff"
            # The volunteers' part is done but an organisation's is not: the need is not finished.
            partner_left = outcome == "completed" and record.need.partner_jobs.open().exists()
            file_return_report(record, outcome="continue" if partner_left else outcome, people=record.people,
                               hours="0" if outcome == "could_not" else self.rng.choice(["3", "3.5", "4", "4.5"]),
                               work_done=WORK_DONE["partner_left" if partner_left else outcome], near_miss=near_miss,
                               injuries=1 if self.rng.random() < 0.05 else 0, tools_returned=False,
                               by=s.staff[Role.COORDINATOR] if via == "staff" else None, via=via)
            if partner_left:
                partners.wait_for_partner(self, record.need)

    def tools_back(self) -> None:
        """Teams bring the tools back to the desk."""
        from ops.dispatch.models import EquipmentLoan
        from ops.dispatch.services import return_tools

        s = self.season
        for loan in EquipmentLoan.objects.filter(team__centre=self.centre, team__date=self.day,
                                                 returned_at__isnull=True).order_by("pk"):
            if loan.team.status in (Team.Status.DISPATCHED, Team.Status.ON_SITE):
                continue
            if s.day_index == 0 and self.teams and loan.team_id == self.teams[-1].pk:
                continue  # the first day's last team keeps its shovels: overdue on every page from then on
            return_tools(loan=loan, by=s.staff[Role.COORDINATOR])
        if s.day_index == 2:  # a wheelbarrow comes back with a broken wheel
            self.write_off_broken()

    def write_off_broken(self) -> None:
        from ops.dispatch.models import EquipmentLoan, EquipmentMovement
        from ops.dispatch.services.ledger import record_movement, retire_item

        barrows = EquipmentKind.objects.filter(centre=self.centre).lendable().order_by("pk")[2:3].first()
        if barrows is not None and barrows.in_stock() > 0:
            # A numbered one (個体管理) is the one broken: its number is retired before the kind's stock is written off.
            out = EquipmentLoan.objects.outstanding().filter(item__isnull=False).values("item")
            broken = barrows.items.filter(retired_at__isnull=True).exclude(pk__in=out).order_by("number").last()
            if broken is not None:
                retire_item(item=broken, by=self.season.staff[Role.COORDINATOR])
            record_movement(kind=barrows, reason=EquipmentMovement.Reason.BROKEN, quantity=1, note="車輪が破損",
                            by=self.season.staff[Role.COORDINATOR])

    # --- welfare and residents ---------------------------------------------------------------------------
    def welfare_round(self) -> None:
        """The welfare staff flag a household the team noticed, and add a follow-up note to one already
        flagged (the same category: the note must be kept)."""
        from ops.needs.services import flag_welfare

        s = self.season
        staff = s.staff[Role.WELFARE]
        fresh = (Need.objects.filter(centre=self.centre, welfare=Need.Welfare.NONE, duplicate_of__isnull=True)
                 .order_by("-received_at").first())
        if fresh is not None:
            flag_welfare(fresh, kind=Need.Welfare.WATCH, by=staff, note="作業中に一人暮らしで食事がとれていないと話していた。")
        flagged = (Need.objects.filter(centre=self.centre, welfare=Need.Welfare.CRISIS).order_by("received_at").first())
        if flagged is not None:
            flag_welfare(flagged, kind=Need.Welfare.CRISIS, by=staff,
                         note=f"{self.day:%m/%d} 電話で様子を確認。地域包括支援センターに連絡済み。")

    def casework(self) -> None:
        """The welfare staff's day on the cases, through ops.welfare.services: the directory entered on the first
        day; the oldest case nobody has yet is assigned, categorised and visited (next check the next day); every
        other day the most overdue case is phoned (the others wait: the demo has overdue checks); the first 危機介入 case is referred to
        地域包括支援センター with the person's consent and later handed over with it; a watch case is closed."""
        from ops.welfare import services
        from ops.welfare.models import Agency, Case, Category, Consent, Contact

        s = self.season
        staff = s.staff[Role.WELFARE]
        if not Agency.objects.filter(centre=self.centre, kind=Agency.Kind.COMPREHENSIVE).exists():
            for kind, name, area, phone, takes_handover in cast.DIRECTORY:
                services.add_agency(self.centre, by=staff, kind=kind, name=name, area=area, phone=phone,
                                    takes_handover=takes_handover)
        houkatsu = Agency.objects.filter(centre=self.centre, kind=Agency.Kind.COMPREHENSIVE).order_by("pk").first()
        cases = Case.objects.filter(centre=self.centre)
        fresh = cases.open().filter(assignee=None).order_by("number").first()
        if fresh is not None:
            codes, summary, found, agreed = cast.CASEWORK[(fresh.number - 1) % len(cast.CASEWORK)]
            services.update_case(fresh, by=staff, assignee=staff, summary=summary,
                                 categories=Category.objects.filter(centre=self.centre, code__in=codes),
                                 priority=Case.Priority.HIGH if fresh.level == Case.Level.CRISIS else None)
            services.add_contact(fresh, by=staff, method=Contact.Method.VISIT,
                                 with_whom=[Contact.With.PERSON, Contact.With.FAMILY], found=found, agreed=agreed,
                                 next_check_on=self.day + timedelta(days=1))
        # One follow-up call every other day: the other checks wait (the demo's overdue ones).
        due = None
        if s.day_index % 2 == 1:
            due = cases.due(self.day).exclude(pk=getattr(fresh, "pk", None)).order_by("next_check_on", "number").first()
        if due is not None:
            services.add_contact(due, by=staff, method=Contact.Method.PHONE, with_whom=[Contact.With.PERSON],
                                 found="電話で様子を確認。変わりなし。片付けは少しずつ進んでいる。",
                                 agreed="引き続き見守る。", next_check_on=self.day + timedelta(days=3))
        crisis = cases.open().filter(level=Case.Level.CRISIS).exclude(assignee=None).order_by("number").first()
        if crisis is not None and houkatsu is not None:
            referral = crisis.referrals.filter(agency=houkatsu).first()
            if referral is None:
                services.give_consent(crisis, by=staff, purpose=Consent.Purpose.SHARE, how=Consent.How.VERBAL,
                                      agency=houkatsu)
                services.refer(crisis, by=staff, agency=houkatsu,
                               reason="持病があり一人では通院できない。介護保険の申請と見守り体制の相談。")
            elif referral.outcome == referral.Outcome.PENDING:
                services.record_outcome(referral, by=staff, outcome=referral.Outcome.ACCEPTED,
                                        note="担当のケアマネジャーが決まり、来週訪問する。")
                services.give_consent(crisis, by=staff, purpose=Consent.Purpose.HANDOVER, how=Consent.How.WRITTEN)
        if s.day_index == 2:
            done = (cases.open().filter(level=Case.Level.WATCH).exclude(assignee=None)
                    .exclude(pk__in=[c.pk for c in (fresh, due, crisis) if c is not None]).order_by("number").first())
            if done is not None:
                services.close_case(done, by=staff, note="家族が同居を始め、見守りの必要がなくなった。")

    def resident_withdraws(self) -> None:
        """A resident tells us through their private link that help is no longer needed."""
        from ops.needs.services import withdraw

        need = (Need.objects.filter(centre=self.centre, status=NeedStatus.NEW, duplicate_of__isnull=True)
                .order_by("-received_at").first())
        if need is not None:
            try:
                withdraw(need)
            except NeedError as refusal:
                self.season.refusals.append(str(refusal))

    # --- the night ----------------------------------------------------------------------------------------
    def daily_report(self) -> None:
        from ops.reports import building
        from ops.reports.models import DailyReport

        if not self.season.build_reports:
            return
        report = building.build_daily_report(centre_id=self.centre.pk, day=self.day)
        try:
            building.send_daily_report(report_id=report.pk, triggered_by="season")
        except Exception as exc:  # no mail server: the report stays built and unsent, as in the real task
            building.note_failure(DailyReport, report.pk, exc)
            log.info("season: the %s report was built but not sent (%s)", self.day, type(exc).__name__)

    def evening(self) -> datetime:
        return self.centre.at(self.day, self.centre.report_time)
