"""受付スキャン: a desk forms a team by scanning (a need's card, then each volunteer's personal QR), picks the
leader with one tap and sends it with one more, through the dispatch services and their rules.

The draft (DeskDraft) belongs to one browser desk (`desk_key`, kept in its session). Refusals come at the scan:
the need (status, head count, the day, specialist work nobody here can do) and each person (not checked in,
checked out, in a team, held by another desk's live draft, one too many for the need). `send` is one
transaction: the need first, then the people (form_team), the centre's row (events), the new team (dispatch):
the order of ops.dispatch, so a desk and the map board racing on one need never deadlock.
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit
from ops.desk import codes
from ops.desk.models import DeskClaim, DeskDraft
from ops.dispatch.errors import DispatchError
from ops.dispatch.services import (
    Proposal,
    day_refusal,
    dispatch,
    form_team,
    need_refusal,
    skill_refusal,
)
from ops.dispatch.services.teams import available_attendances
from ops.needs.models import Need
from ops.volunteers.models import Attendance

SCANNABLE = frozenset({"need", "volunteer"})


class DeskError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


# --- the desk's draft ----------------------------------------------------------------------------------------

def draft_of(centre, desk_key: str):
    """This desk's draft of today, or None."""
    return DeskDraft.objects.filter(centre=centre, date=centre.today(), desk_key=desk_key).first()


def open_draft(centre, desk_key: str, *, by_user=None, by_desk=None) -> DeskDraft:
    draft = draft_of(centre, desk_key)
    if draft is None:
        draft = DeskDraft.objects.create(centre=centre, date=centre.today(), desk_key=desk_key,
                                         by_user=by_user if getattr(by_user, "is_authenticated", False) else None,
                                         by_desk=by_desk)
    return draft


def members_of(draft) -> list[Attendance]:
    return list(Attendance.objects.filter(desk_claim__draft=draft)
                .select_related("volunteer", "volunteer__group").order_by("desk_claim__at", "pk"))


def heads(members) -> int:
    return sum(a.head_count or 1 for a in members)


def leader_of(draft, members=None):
    """The tapped leader, else the proposal's choice (ops.dispatch.services.Proposal.leader)."""
    members = members_of(draft) if members is None else members
    chosen = next((a for a in members if a.pk == draft.leader_id), None)
    return chosen or Proposal(base_id=None, members=members).leader


def _touch(draft, **fields) -> None:
    fields["touched_at"] = timezone.now()
    DeskDraft.objects.filter(pk=draft.pk).update(**fields)
    for name, value in fields.items():
        setattr(draft, name, value)


# --- scanning ------------------------------------------------------------------------------------------------

def scan(draft, text: str) -> str:
    """Read `text` at this desk: a need becomes the draft's need, a volunteer joins it. Returns the words for
    the desk; raises DeskError with the refusal."""
    try:
        found = codes.read(draft.centre, text, expect=SCANNABLE)
    except codes.ScanError as err:
        raise DeskError(err) from None
    if found.kind == "need":
        return set_need(draft, found.obj)
    return claim(draft, found.obj)


def need_refusal_now(draft, need, *, people: int) -> str | None:
    """Why this draft cannot go to `need` at all now (nothing about who is in it yet but their head count)."""
    centre = draft.centre
    refusal = day_refusal(centre, at=timezone.now()) or need_refusal(need, people=max(people, 1))
    if refusal:
        return refusal
    # Specialist work: only if someone still free today (or already scanned) has the skill.
    possible = _skills(available_attendances(centre, centre.today()).values_list("volunteer__skills", flat=True))
    return skill_refusal(None, need, skills=possible)


def set_need(draft, need) -> str:
    members = members_of(draft)
    refusal = need_refusal_now(draft, need, people=heads(members))
    if refusal:
        raise DeskError(refusal)
    _touch(draft, need=need)
    return _("%(need)s（必要%(n)d人）を読み取りました。") % {"need": need.label, "n": need.people_needed}


def claim(draft, attendance) -> str:
    """Add a volunteer to the draft: lock them, check them, claim them (a stale claim of another desk is taken)."""
    with transaction.atomic():
        a = (Attendance.objects.select_for_update(of=("self",)).select_related("volunteer", "volunteer__group")
             .get(pk=attendance.pk))
        _claim_locked(draft, a, heads(members_of(draft)))
        _touch(draft)
    return _("%(name)sさんを追加しました。") % {"name": a.volunteer.name}


def _claim_locked(draft, a, people_so_far: int) -> None:
    if a.date != draft.date or a.centre_id != draft.centre_id:
        raise DeskError(_("この方は今日このセンターで受付していません。先に受付をしてください。"))
    if a.checked_out_at is not None:
        raise DeskError(_("%(name)sさんはすでに活動を終えて帰りました。") % {"name": a.volunteer.name})
    if a.team_id is not None:
        raise DeskError(_("%(name)sさんはすでに%(team)sに入っています。") % {"name": a.volunteer.name,
                                                                       "team": a.team.label})
    held = DeskClaim.objects.filter(attendance=a).select_related("draft").first()
    if held is not None and held.draft_id == draft.pk:
        raise DeskError(_("%(name)sさんはすでに読み取り済みです。") % {"name": a.volunteer.name})
    if held is not None and not held.draft.is_stale():
        raise DeskError(_("%(name)sさんは別のデスクで班に読み取られています。") % {"name": a.volunteer.name})
    if draft.need_id is not None:
        need = Need.objects.get(pk=draft.need_id)
        refusal = need_refusal(need, people=people_so_far + (a.head_count or 1))
        if refusal:
            raise DeskError(refusal)
    if held is not None:  # left idle at another desk: this desk takes them
        held.delete()
    DeskClaim.objects.create(draft=draft, attendance=a)


def claim_group(draft, group_id) -> str:
    """One tap for the rest of a scanned volunteer's group: every member checked in today, free and unheld."""
    if not any(a.volunteer.group_id == group_id for a in members_of(draft)):
        raise DeskError(_("先に団体のメンバーを一人読み取ってください。"))
    with transaction.atomic():
        rest = list(_group_rest(draft, group_id).select_for_update(of=("self",)).order_by("pk"))
        if not rest:
            raise DeskError(_("同じ団体の未編成の人はいません。"))
        people = heads(members_of(draft))
        for a in rest:
            _claim_locked(draft, a, people)
            people += a.head_count or 1
        _touch(draft)
    return _("同じ団体の%(n)d人を追加しました。") % {"n": len(rest)}


def _group_rest(draft, group_id):
    """The group's people free today and not held by a live draft (this desk's or another's)."""
    return (available_attendances(draft.centre, draft.date).filter(volunteer__group_id=group_id)
            .exclude(desk_claim__draft=draft).exclude(desk_claim__draft__in=DeskDraft.objects.live()))


def group_rest_count(draft, group_id) -> int:
    return _group_rest(draft, group_id).count()


def set_leader(draft, attendance_id) -> str:
    members = members_of(draft)
    chosen = next((a for a in members if a.pk == attendance_id), None)
    if chosen is None:
        raise DeskError(_("リーダーは班のメンバーから選んでください。"))
    _touch(draft, leader=chosen)
    return _("%(name)sさんをリーダーにしました。") % {"name": chosen.volunteer.name}


def remove(draft, attendance_id) -> str:
    with transaction.atomic():
        gone = DeskClaim.objects.filter(draft=draft, attendance_id=attendance_id).delete()[0]
        _touch(draft, **({"leader": None} if draft.leader_id == attendance_id else {}))
    if not gone:
        raise DeskError(_("この方はこの班にいません。"))
    return _("外しました。")


def clear(draft) -> None:
    draft.delete()  # its claims go with it


# --- sending -------------------------------------------------------------------------------------------------

def send(draft, *, by=None, actor: str = "", expected: list[int] | None = None):
    """送り出す: form the team of the draft's people and dispatch it to the draft's need, in one transaction.
    `expected`: the attendance ids the desk shows; if another desk took one meanwhile, nothing is sent.
    Returns the Dispatch; raises DeskError (nothing written) with the reason."""
    if draft.need_id is None:
        raise DeskError(_("先にニーズのQRコードを読み取ってください。"))
    try:
        with transaction.atomic(), audit.operation("dispatch.created", by=by, actor=actor):
            need = Need.objects.select_for_update().get(pk=draft.need_id)  # the need first, like the board
            ids = list(DeskClaim.objects.filter(draft=draft).values_list("attendance_id", flat=True))
            # The people next (form_team locks them again, in the same order); then their claims are certain.
            list(Attendance.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk"))
            members = members_of(draft)
            if not members:
                raise DeskError(_("ボランティアのQRコードを読み取ってください。"))
            if expected is not None and sorted(expected) != sorted(a.pk for a in members):
                raise DeskError(_("この班のメンバーが変わりました（別のデスクが読み取りました）。確認してください。"))
            leader = leader_of(draft, members)
            team = form_team(centre=draft.centre, on=draft.date, members=members, leader=leader, by=by)
            record = dispatch(team, need, by=by)
            draft.delete()
    except DispatchError as err:
        raise DeskError(err.message) from None
    return record


def _skills(lists) -> frozenset[str]:
    return frozenset(s for skills in lists if isinstance(skills, list) for s in skills)

