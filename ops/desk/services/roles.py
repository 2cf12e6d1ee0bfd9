"""デスク担当: staff give a checked-in volunteer a desk for the day (受付スキャン, 資機材デスク), and end it.

A role needs a volunteer at the centre today: checked in, not checked out, not out with a team. It lasts until
staff end it or the volunteer checks out (DeskRole.objects.in_force: check-out ends it with no write). Granting
and ending are on the audit trail: a desk shows volunteers' names, so who gave it to whom is asked later.
"""
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit
from ops.centres.models import Centre
from ops.desk.models import DeskRole
from ops.volunteers.models import Attendance


class RoleRefused(Exception):
    """Why a desk cannot be given (words for staff)."""


def grant(attendance: Attendance, kind: str, *, by) -> DeskRole:
    """Give `attendance`'s volunteer the desk `kind` for the day. Giving the same desk twice (a double tap) is
    the same grant."""
    if kind not in DeskRole.Kind.values:
        raise RoleRefused(_("デスクの種類を選んでください。"))
    with transaction.atomic():
        attendance = (Attendance.objects.select_for_update(of=("self",)).select_related("centre", "volunteer")
                      .get(pk=attendance.pk))
        centre = attendance.centre
        if centre.status == Centre.Status.CLOSED:
            raise RoleRefused(_("閉所したセンターではデスクを任せられません。"))
        if attendance.date != centre.today():
            raise RoleRefused(_("本日受付した人にだけデスクを任せられます。"))
        if attendance.checked_out_at is not None:
            raise RoleRefused(_("%(name)sさんは活動を終了しています。") % {"name": attendance.volunteer.name})
        if attendance.team_id is not None:
            raise RoleRefused(_("%(name)sさんは班に入っています。班から外してから任せてください。")
                              % {"name": attendance.volunteer.name})
        role = DeskRole.objects.in_force(centre).filter(attendance=attendance, kind=kind).first()
        if role is not None:
            return role
        role = DeskRole.objects.create(centre=centre, attendance=attendance, kind=kind, granted_by=by)
        audit.record(centre=centre, action="desk.granted", obj=role, by=by, note=role.get_kind_display())
    return role


def end(role: DeskRole, *, by) -> DeskRole:
    """End a desk role now. Ending it twice keeps the first end."""
    with transaction.atomic():
        role = DeskRole.objects.select_for_update().get(pk=role.pk)
        if role.ended_at is not None:
            return role
        role.ended_at, role.ended_by = timezone.now(), by
        role.save(update_fields=["ended_at", "ended_by"])
        audit.record(centre=role.centre_id, action="desk.ended", obj=role, by=by, note=role.get_kind_display())
    return role


PAGES = {DeskRole.Kind.SCAN: "desk:scan", DeskRole.Kind.TOOLS: "desk:tools"}


def in_force_for(attendance: Attendance) -> list[tuple[DeskRole, str]]:
    """The desks `attendance`'s volunteer holds now, each with its page (their personal page links them)."""
    centre = attendance.centre
    return [(role, reverse(PAGES[role.kind], kwargs={"centre": centre.slug}))
            for role in DeskRole.objects.in_force(centre).filter(attendance=attendance).order_by("kind")]
