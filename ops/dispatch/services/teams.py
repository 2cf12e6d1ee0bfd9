"""班編成: forming teams from the day's checked-in volunteers, by hand or from a proposal.

Lock order in every dispatch service: domain rows first (team, need, attendances, equipment), the centre's
row last (taken by ops.events.emit). Keeping one order is what keeps PostgreSQL free of deadlocks here.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ops.centres.models import Base
from ops.dispatch.errors import TeamError
from ops.dispatch.models import Team
from ops.dispatch.state import team_state
from ops.dispatch.transitions import INITIAL, change_team_status
from ops.events import emit
from ops.needs.models import Need, WorkType
from ops.needs.transitions import DISPATCHABLE
from ops.volunteers.models import Attendance, Volunteer

# Skills worth spreading across teams; a driver matters most (a team with a vehicle needs one).
DRIVER = "driver"
# ("heavy" is the registration form's code for heavy machinery; "heavy_machinery" is accepted too.)
SPREAD_SKILLS = frozenset({"chainsaw", "heavy", "heavy_machinery", "nurse", "carpenter", "roof"})
MAX_TEAM_SIZE = 30


def _user(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def available_attendances(centre, on: date):
    """Checked-in volunteers of the day who are not in a team and have not checked out."""
    return (Attendance.objects.filter(centre=centre, date=on, team__isnull=True, checked_out_at__isnull=True)
            .select_related("volunteer", "volunteer__group").order_by("checked_in_at", "id"))


def form_team(*, centre, on: date, members, leader, base=None, vehicle: str = "", by=None) -> Team:
    """Make a ready team of the given attendances (ids or objects) with `leader` among them."""
    ids = sorted({getattr(m, "pk", m) for m in members})
    leader_id = getattr(leader, "pk", leader)
    if not ids:
        raise TeamError(_("班のメンバーを選んでください。"))
    if len(ids) > MAX_TEAM_SIZE:
        raise TeamError(_("1つの班は%(n)d人までです。") % {"n": MAX_TEAM_SIZE})
    if leader_id is None or int(leader_id) not in ids:
        raise TeamError(_("リーダーは班のメンバーから選んでください。"))
    base_id = getattr(base, "pk", base)
    if base_id is not None and not Base.objects.active().filter(pk=base_id, centre=centre).exists():
        raise TeamError(_("拠点が見つかりません。"))

    with transaction.atomic():
        rows = list(Attendance.objects.select_for_update().filter(pk__in=ids, centre=centre).order_by("pk"))
        if len(rows) != len(ids):
            raise TeamError(_("選んだボランティアの一部が見つかりません。"))
        for a in rows:
            if a.date != on:
                raise TeamError(_("別の日の受付が含まれています。"))
            if a.checked_out_at is not None:
                raise TeamError(_("すでに活動を終えて帰った人が含まれています。"))
            if a.team_id is not None:
                raise TeamError(_("すでに別の班に入っている人が含まれています。画面を更新してください。"))
        team = _create_numbered(centre=centre, on=on, base_id=base_id, leader_id=int(leader_id),
                                vehicle=vehicle[:80], created_by=_user(by))
        Attendance.objects.filter(pk__in=ids).update(team=team)
        emit(centre, "team.formed", {"team": team_state(team)})
    return team


def _create_numbered(*, centre, on, **fields) -> Team:
    """The next free team number of the day; a concurrent former taking it makes us try the next one."""
    for _attempt in range(5):
        number = (Team.objects.filter(centre=centre, date=on).aggregate(m=Max("number"))["m"] or 0) + 1
        try:
            with transaction.atomic():
                return Team.objects.create(centre=centre, date=on, number=number, status=INITIAL, **fields)
        except IntegrityError:
            continue
    raise TeamError(_("班番号を決められませんでした。もう一度お試しください。"))


def make_ready(team: Team, *, by=None) -> Team:
    """A team back from the field (or still forming) waits for its next need."""
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        change_team_status(team, Team.Status.READY, expected_return_at=None)
        if not team.members.filter(checked_out_at__isnull=True).exists():
            raise TeamError(_("活動できるメンバーがいません。"))  # rolls the status back
        emit(team.centre_id, "team.ready", {"team": team_state(team)})
    return team


def disband_team(team: Team, *, by=None) -> Team:
    """Members go back to the waiting list; a team in the field cannot be disbanded."""
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        # The status first: a team in the field is refused for that, whatever it still holds.
        change_team_status(team, Team.Status.DISBANDED, leader=None)
        if team.loans.filter(returned_at__isnull=True).exists():
            raise TeamError(_("貸し出した資機材が返却されていません。"))  # rolls the status back
        team.members.update(team=None)
        emit(team.centre_id, "team.disbanded", {"team": team_state(team)})
    return team


# --- proposals ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SkillCall:
    """A waiting need's specialist work that still needs a team member with a skill (屋根作業, チェーンソー ...)."""

    need: Need
    work_type: WorkType

    @property
    def skill(self) -> str:
        return self.work_type.required_skill

    def __str__(self):
        return _("%(need)s %(work)s: %(skill)s") % {"need": self.need.label, "work": self.work_type,
                                                   "skill": self.work_type.skill_label()}


def needed_skills(centre) -> list[SkillCall]:
    """The dispatchable needs' specialist work no partner organisation has taken (Need.specialist_work), each
    with the volunteer skill a team sent to it must have (WorkType.required_skill), by priority then number."""
    needs = (Need.objects.filter(centre=centre, status__in=DISPATCHABLE, work_types__specialist_only=True)
             .distinct().prefetch_related("work_types", "partner_jobs").order_by("priority", "number"))
    return [SkillCall(need, wt) for need in needs for wt in need.specialist_work() if wt.required_skill]


def skill_order(codes) -> list[str]:
    """Skill codes in the registration form's order (unknown codes last, as they are)."""
    order = Volunteer.Skill.values
    return sorted(set(codes), key=lambda c: (order.index(c) if c in order else len(order), c))

@dataclass
class Proposal:
    """A suggested team: not saved until a coordinator forms it. Sizes count people (head counts)."""

    base_id: int | None
    members: list = field(default_factory=list)
    capacity: int = 0
    needed: tuple = ()  # the skills the waiting needs call for (needed_skills), scarcest first

    @property
    def skills(self) -> list[str]:
        """Every skill its members declared, in the registration form's order."""
        return skill_order(s for a in self.members for s in _skills(a))

    @property
    def needed_skills(self) -> list[str]:
        """Which of the skills the waiting needs call for this team has."""
        return skill_order(s for s in self.needed if self.count(s))

    def holders(self, skills) -> int:
        return sum(1 for a in self.members if set(_skills(a)) & skills)

    @property
    def size(self) -> int:
        return sum(_heads(a) for a in self.members)

    @property
    def room(self) -> int:
        return self.capacity - self.size

    @property
    def leader(self):
        """Someone from the largest group (they know each other), else the most skilled, else the first in."""
        by_group = defaultdict(list)
        for a in self.members:
            by_group[a.volunteer.group_id].append(a)
        groups = [g for g in by_group if g is not None]
        if groups:
            biggest = max(groups, key=lambda g: sum(_heads(a) for a in by_group[g]))
            if sum(_heads(a) for a in by_group[biggest]) > 1:
                return by_group[biggest][0]
        return max(self.members, key=lambda a: (len(_skills(a)), -a.pk)) if self.members else None

    def count(self, skill) -> int:
        return sum(1 for a in self.members if skill in _skills(a))

    @property
    def skilled(self) -> int:
        return sum(1 for a in self.members if set(_skills(a)) & SPREAD_SKILLS)


def _skills(attendance) -> list:
    skills = attendance.volunteer.skills
    return skills if isinstance(skills, list) else []


def _heads(attendance) -> int:
    return getattr(attendance, "head_count", 1) or 1


def propose_teams(centre, on: date, size: int, *, needed: list[str] | None = None) -> list[Proposal]:
    """Split the day's waiting volunteers into teams of about `size` people, per base.

    Groups (団体) stay together (a group larger than a team is split into as few teams as possible); then the
    holders of the skills the waiting needs call for (`needed`: codes; by default those of needed_skills) are
    spread, the scarcest skill first, one holder per team before any team gets a second, so each such skill
    lands in a team; then drivers so teams that need a vehicle get one, then the other skilled people; the
    rest fill the emptiest team. Team sizes differ by at most one within a base, except where a group checked in
    as one attendance is itself larger than a team.
    """
    try:
        size = int(size)
    except (TypeError, ValueError):
        size = 0
    if not 2 <= size <= MAX_TEAM_SIZE:
        raise TeamError(_("班の人数は2〜%(n)d人で指定してください。") % {"n": MAX_TEAM_SIZE})
    if needed is None:
        needed = [call.skill for call in needed_skills(centre)]
    by_base = defaultdict(list)
    for a in available_attendances(centre, on):
        by_base[a.base_id].append(a)
    proposals = []
    for base_id in sorted(by_base, key=lambda b: (b is not None, b or 0)):
        proposals += _propose_for(base_id, by_base[base_id], size, list(dict.fromkeys(needed)))
    return proposals


def _propose_for(base_id, people, size, needed=()) -> list[Proposal]:
    total = sum(_heads(a) for a in people)
    count = -(-total // size)  # ceil
    smaller, larger_count = divmod(total, count)
    holders = {skill: sum(1 for a in people if skill in _skills(a)) for skill in needed}
    needed = tuple(sorted((s for s in needed if holders[s]), key=lambda s: holders[s]))  # scarcest first
    teams = [Proposal(base_id, capacity=smaller + (1 if i < larger_count else 0), needed=needed)
             for i in range(count)]

    groups = defaultdict(list)
    loose = []
    for a in people:
        (groups[a.volunteer.group_id] if a.volunteer.group_id else loose).append(a)
    # Largest groups first, each into the team with the most room; split only what does not fit anywhere.
    for members in sorted(groups.values(), key=lambda m: sum(_heads(a) for a in m), reverse=True):
        if len(members) == 1:
            loose.append(members[0])
            continue
        rest = list(members)
        while rest:
            target = max(teams, key=lambda t: t.room)
            take = []
            while rest and (sum(_heads(a) for a in take) + _heads(rest[0]) <= target.room or not take):
                take.append(rest.pop(0))
            target.members += take

    wanted = frozenset(needed)
    callers = [a for a in loose if set(_skills(a)) & wanted]
    drivers = [a for a in loose if a not in callers and DRIVER in _skills(a)]
    skilled = [a for a in loose if a not in callers and a not in drivers and set(_skills(a)) & SPREAD_SKILLS]
    others = [a for a in loose if a not in callers and a not in drivers and a not in skilled]
    # Whole group check-ins (one attendance, many people) go first, like groups.
    for a in sorted(others, key=_heads, reverse=True):
        if _heads(a) > 1:
            _place(teams, a, key=lambda t: -t.room)
    # The skills the waiting needs call for: the scarcest first, each holder to a team without the skill,
    # with the fewest such holders (and drivers, when the holder drives).
    placed = set()
    for skill in needed:
        for a in callers:
            if a.pk in placed or skill not in _skills(a):
                continue
            drives = DRIVER in _skills(a)
            _place(teams, a, key=lambda t, s=skill, d=drives: (t.count(s), t.holders(wanted),
                                                                 t.count(DRIVER) if d else 0, -t.room))
            placed.add(a.pk)
    for a in drivers:
        _place(teams, a, key=lambda t: (t.count(DRIVER), -t.room))
    for a in skilled:
        _place(teams, a, key=lambda t: (t.skilled, -t.room))
    for a in others:
        if _heads(a) == 1:
            _place(teams, a, key=lambda t: -t.room)
    return [t for t in teams if t.members]


def _place(teams, attendance, *, key) -> None:
    fits = [t for t in teams if t.room >= _heads(attendance)]
    target = min(fits, key=key) if fits else max(teams, key=lambda t: t.room)
    target.members.append(attendance)
