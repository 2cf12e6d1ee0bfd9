"""Who sees which mail on the staff outbox page (/c/<centre>/mail/), in one table.

A mail is seen by the roles that may already see what it is about: the 危機介入 alert and the due-sweep's case checks by welfare, mail to
volunteers by reception (their addresses are volunteers' data), the reports by those who read reports, staff
invitations by the centre's administrator. Sending a failed or unknown mail again, or recording that an unknown
one did arrive, takes the capability that sends that kind of mail.

Some bodies are never shown: they hold a secret link (a volunteer's personal link, an invitation) that would let
whoever reads the page act as its owner.
"""
from ops.messages.models import OutboundMail
from ops.permissions import Cap

Kind = OutboundMail.Kind

SEES: dict[str, Cap] = {
    Kind.CRISIS_ALERT: Cap.WELFARE,
    Kind.CASE_CHECKS: Cap.WELFARE,  # case numbers and check dates: casework, for welfare staff only
    Kind.VOLUNTEER_LINK: Cap.RECEPTION,
    Kind.BOOKING_CANCELLED: Cap.RECEPTION,
    Kind.BOOKING_CONFIRMED: Cap.RECEPTION,
    Kind.BOOKING_REMINDER: Cap.RECEPTION,
    Kind.SUSPENSION: Cap.RECEPTION,
    Kind.RECRUITMENT_CALL: Cap.RECEPTION,
    Kind.ALLOCATION: Cap.RECEPTION,  # the prefecture's outcome of a volunteer's application (ops.prefecture)
    Kind.BUS_NOTICE: Cap.RECEPTION,
    Kind.DAILY_REPORT: Cap.VIEW_REPORTS,
    Kind.ROLLUP_REPORT: Cap.VIEW_REPORTS,
    Kind.STAFF_INVITATION: Cap.MANAGE_CENTRE,
}
ACTS: dict[str, Cap] = {**SEES, Kind.DAILY_REPORT: Cap.SEND_REPORTS, Kind.ROLLUP_REPORT: Cap.SEND_REPORTS}
SECRET_BODIES = frozenset({Kind.VOLUNTEER_LINK, Kind.STAFF_INVITATION})
# Any one of these opens the page (it then lists the kinds the caps open).
OPENS = tuple(sorted(set(SEES.values())))


def kinds_seen(caps) -> list[str]:
    return [kind for kind in Kind.values if SEES[kind] in caps]


def may_act(caps, mail: OutboundMail) -> bool:
    return ACTS[mail.kind] in caps


def body_shown(mail: OutboundMail) -> bool:
    return mail.kind not in SECRET_BODIES
