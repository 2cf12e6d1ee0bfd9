"""Who may do what, at which centre: the one place permissions are decided.

Views (`centre_view`), the API, websocket consumers (`can` via database_sync_to_async) and templates
(`caps` in the context) all ask here. A capability is a verb of the centre's work; roles grant sets of them.
"""
from enum import StrEnum
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from ops.centres.models import Centre, Membership, Role


class Cap(StrEnum):
    VIEW_BOARD = "view_board"  # staff board, counts, need locations and statuses (no names or phones)
    VIEW_NEEDS = "view_needs"  # needs list and detail without residents' personal data
    NEEDS_PERSONAL = "needs_personal"  # residents' personal data: the classes ops.privacy gives this capability
    EDIT_NEEDS = "edit_needs"  # intake, edit, survey, status changes
    WELFARE = "welfare"  # 危機介入 / 見守り cases and referrals
    RECEPTION = "reception"  # volunteers' personal data, check-in/out by staff, walk-ins
    DISPATCH = "dispatch"  # team forming, dispatch, return reports by staff, tool lending
    VIEW_REPORTS = "view_reports"  # daily report, figures, archive
    SEND_REPORTS = "send_reports"  # notes, send by hand, recipients
    MANAGE_CENTRE = "manage_centre"  # recruitment status, centre rules, staff
    VIEW_AUDIT = "view_audit"
    # A partner organisation's user (協力団体): the jobs routed to their organisation and, of those needs, only
    # what the work takes (ops.partners.selectors.job_sheet). Nothing else of the centre.
    PARTNER_WORK = "partner_work"


_ALL = set(Cap) - {Cap.PARTNER_WORK}  # an administrator routes jobs; they do not work as an organisation
MATRIX: dict[str, frozenset[Cap]] = {
    Role.ADMIN: frozenset(_ALL),
    Role.COORDINATOR: frozenset({
        Cap.VIEW_BOARD, Cap.VIEW_NEEDS, Cap.NEEDS_PERSONAL, Cap.EDIT_NEEDS, Cap.RECEPTION, Cap.DISPATCH,
        Cap.VIEW_REPORTS, Cap.SEND_REPORTS,
    }),
    Role.INTAKE: frozenset({Cap.VIEW_BOARD, Cap.VIEW_NEEDS, Cap.NEEDS_PERSONAL, Cap.EDIT_NEEDS}),
    Role.RECEPTION: frozenset({Cap.VIEW_BOARD, Cap.RECEPTION}),
    Role.WELFARE: frozenset({Cap.VIEW_BOARD, Cap.VIEW_NEEDS, Cap.NEEDS_PERSONAL, Cap.WELFARE}),
    Role.LEADER: frozenset({Cap.VIEW_BOARD, Cap.VIEW_NEEDS, Cap.VIEW_REPORTS, Cap.SEND_REPORTS}),
    Role.VIEWER: frozenset({Cap.VIEW_BOARD, Cap.VIEW_NEEDS, Cap.VIEW_REPORTS}),
    Role.PARTNER: frozenset({Cap.PARTNER_WORK}),
}


# A closed centre (閉所, ops.centres.closing): its administrators keep what the handover (open needs and
# welfare cases, exports for the insurer and the prefecture), the audit trail, reopening and retention need;
# they no longer take needs, dispatch or send reports. The city and the council's leaders keep the 日報
# archive and the figures' exports (no residents' or volunteers' data: the registry gives them none) for their
# after-action reports. Every other role's access ends with the centre.
AFTER_CLOSING: dict[str, frozenset[Cap]] = {
    Role.ADMIN: frozenset({
        Cap.VIEW_BOARD, Cap.VIEW_NEEDS, Cap.NEEDS_PERSONAL, Cap.WELFARE, Cap.RECEPTION, Cap.VIEW_REPORTS,
        Cap.MANAGE_CENTRE, Cap.VIEW_AUDIT,
    }),
    Role.LEADER: frozenset({Cap.VIEW_REPORTS}),
    Role.VIEWER: frozenset({Cap.VIEW_REPORTS}),
}


def _standing(user, centre) -> tuple[frozenset[str], bool]:
    """(the user's roles at this centre, whether it is closed), read together and cached on the user object
    for the request. The centre's status is read here, not from the object passed in, so a board socket's
    re-check (which holds the centre from its handshake) sees a close at once."""
    if user is None or not user.is_authenticated or centre is None:
        return frozenset(), False
    cache = user.__dict__.setdefault("_dvc_roles", {})
    if centre.pk not in cache:
        rows = list(Membership.objects.filter(user=user, centre_id=centre.pk).values_list("role", "centre__status"))
        cache[centre.pk] = (frozenset(role for role, _ in rows),
                            any(status == Centre.Status.CLOSED for _, status in rows))
    return cache[centre.pk]


def read_standings(user, centres) -> None:
    """Read the user's roles at many centres in one query (a view over several centres, e.g. the prefecture
    map), so caps_of then answers each of them from the cache."""
    if user is None or not user.is_authenticated:
        return
    cache = user.__dict__.setdefault("_dvc_roles", {})
    wanted = {c.pk for c in centres} - set(cache)
    found: dict[int, tuple[set, bool]] = {pk: (set(), False) for pk in wanted}
    for centre_id, role, status in Membership.objects.filter(user=user, centre_id__in=wanted).values_list(
            "centre_id", "role", "centre__status"):
        roles, closed = found[centre_id]
        roles.add(role)
        found[centre_id] = (roles, closed or status == Centre.Status.CLOSED)
    cache.update({pk: (frozenset(roles), closed) for pk, (roles, closed) in found.items()})


def roles_of(user, centre) -> set[str]:
    """The user's roles at this centre, cached on the user object for the request."""
    return set(_standing(user, centre)[0])


def caps_of(user, centre) -> frozenset[Cap]:
    roles, closed = _standing(user, centre)
    matrix = AFTER_CLOSING if closed else MATRIX
    caps: set[Cap] = set()
    for role in roles:
        caps |= matrix.get(role, frozenset())
    return frozenset(caps)


def can(user, centre, cap: Cap) -> bool:
    return Cap(cap) in caps_of(user, centre)


def is_staff_of(user, centre) -> bool:
    return bool(caps_of(user, centre))


def may_open_centres(user) -> bool:
    """Opening another centre is for the installation's administrators (superusers: the first-run administrator
    and whoever they make one), not for a centre's 管理者, whose capabilities end at their own centre."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def may_open_drill(user) -> bool:
    """Opening a drill (訓練) centre: the installation's administrators and any centre's 管理者 (a council rehearses
    its own staff). The drill centre is a practice disaster's, so nothing real is reachable from it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role=Role.ADMIN).exists()


def may_run_drill(user, centre) -> bool:
    """Starting, pausing, resuming, finishing and resetting a drill: its centre's 管理者 (the drill's controller,
    統括). Never a real centre's anything: the action refuses unless the centre is a drill's."""
    return centre is not None and centre.is_drill and can(user, centre, Cap.MANAGE_CENTRE)


def may_read_drill_review(user, centre) -> bool:
    """A drill's after-action review (振り返り): whoever reads the drill centre's reports (Cap.VIEW_REPORTS), as
    they would the 日報. Only a drill's centre has one."""
    return centre is not None and centre.is_drill and can(user, centre, Cap.VIEW_REPORTS)


def may_manage_council(user, council) -> bool:
    """A council's public address (its name, contacts, 平常時 message and links) is edited by the installation's
    administrators and by the administrators (管理者) of any of the council's centres, closed ones included: the
    council's own staff run its centres. Coordinators and other roles may not, nor another council's staff."""
    if user is None or not user.is_authenticated or not user.is_active or council is None:
        return False
    if user.is_superuser:
        return True
    # a drill centre's 管理者 (訓練, roles given there) never gains the council's real address
    return Membership.objects.filter(user=user, role=Role.ADMIN, centre__council_id=council.pk,
                                     centre__disaster__drill=False).exists()


def may_run_prefecture(user, disaster) -> bool:
    """The prefectural council's staff of a disaster (県域スタッフ, ops.prefecture.PrefectureMembership), and the
    installation's administrators: every centre of the disaster in figures and by district (never a household,
    a resident or a volunteer's data), recruitment across them, the offerings, the allocation and the buses."""
    from ops.prefecture.models import PrefectureMembership

    if user is None or not user.is_authenticated or not user.is_active or disaster is None:
        return False
    if user.is_superuser:
        return True
    return PrefectureMembership.objects.filter(user=user, disaster_id=getattr(disaster, "pk", disaster)).exists()


def prefecture_disasters(user):
    """The disasters whose prefecture pages the user may open (the menu's link, the landing page)."""
    from ops.centres.models import Disaster

    if user is None or not user.is_authenticated or not user.is_active:
        return Disaster.objects.none()
    if user.is_superuser:
        return Disaster.objects.real()  # a drill's (訓練) practice disaster is reached from its centre
    return Disaster.objects.filter(prefecture_staff__user=user)


def prefecture_view(view):
    """Decorator for views under /pref/<disaster>/...: loads the disaster, sends anonymous users to the login
    page, refuses (403) anyone who is not its prefecture staff; sets request.disaster."""
    from ops.centres.models import Disaster

    @wraps(view)
    def wrapper(request, disaster, *args, **kwargs):
        disaster_obj = get_object_or_404(Disaster, pk=disaster)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_run_prefecture(request.user, disaster_obj):
            raise PermissionDenied
        request.disaster = disaster_obj
        return view(request, disaster_obj, *args, **kwargs)

    wrapper.prefecture = True
    return wrapper


def partner_organisations(user, centre):
    """The organisations at `centre` the user works for, when they hold the 協力団体 role there (and the
    centre is not closed); none otherwise. A login of one organisation never sees another's jobs."""
    from ops.partners.models import Organisation

    if not can(user, centre, Cap.PARTNER_WORK):
        return Organisation.objects.none()
    return Organisation.objects.filter(centre_id=centre.pk, users=user, active=True)


def may_work_job(user, job) -> bool:
    """Whether the user answers for `job` as its organisation: accept, decline, schedule, report done."""
    return partner_organisations(user, job.centre).filter(pk=job.organisation_id).exists()


def may_see_job(user, job) -> bool:
    """Staff who see the centre's needs see every job; an organisation's user sees its own."""
    return can(user, job.centre, Cap.VIEW_NEEDS) or may_work_job(user, job)


def centres_for(user):
    """Centres where the user holds any role."""
    if not user.is_authenticated:
        return Centre.objects.none()
    return Centre.objects.filter(memberships__user=user).distinct().order_by("id")


# 臨時のデスク担当: staff give a checked-in volunteer a desk for the day (ops.desk.models.DeskRole: 受付スキャン
# forms and sends teams, 資機材デスク lends and takes back tools). The volunteer works it from their own phone, known
# by their personal link's cookie (ops.volunteers.identity); it ends when they check out, when staff end it, or
# when the centre closes. A desk shows volunteers' names, age bands, skills and groups, and needs by number,
# work and head count: never a resident's name, phone or address. Staff with Cap.DISPATCH work every desk.
DESK_STAFF_CAP = Cap.DISPATCH
DESK_GRANT_CAP = Cap.DISPATCH  # who gives and ends desk roles (the デスク担当 page: ops.desk.views_roles)


def desk_role_of(request, centre, kind: str):
    """The DeskRole of `kind` in force at `centre` for the volunteer holding this phone, or None."""
    from ops.desk.models import DeskRole
    from ops.volunteers import identity

    if centre is None or centre.status == Centre.Status.CLOSED:
        return None
    token = identity.token_of(request)
    if not token:
        return None
    return (DeskRole.objects.in_force(centre).filter(kind=kind, attendance__volunteer__token=token,
                                                     attendance__volunteer__personal_data_erased_at__isnull=True)
            .select_related("attendance__volunteer").first())


def _volunteer_phone(request) -> bool:
    from ops.volunteers import identity

    return bool(identity.token_of(request))


def may_grant_desks(user, centre) -> bool:
    """Giving a volunteer a desk for the day, and ending it: whoever forms and sends teams."""
    return can(user, centre, DESK_GRANT_CAP)


def desk_view(kind: str):
    """Decorator for a desk's views (/c/<centre>/desk/...): staff with DESK_STAFF_CAP, or a volunteer whose
    desk role of `kind` is in force. Sets request.centre and request.desk_role (None for staff); anonymous
    callers with no desk go to the login page, staff without the capability get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, centre, *args, **kwargs):
            centre_obj = get_object_or_404(Centre, slug=centre)
            request.desk_role = None
            if not can(request.user, centre_obj, DESK_STAFF_CAP):
                request.desk_role = desk_role_of(request, centre_obj, kind)
                if request.desk_role is None:
                    if not request.user.is_authenticated and _volunteer_phone(request):
                        # A volunteer's own phone, not given this desk today: say so, not a staff login.
                        return render(request, "desk/not_given.html", {"centre": centre_obj}, status=403)
                    if not request.user.is_authenticated:
                        return redirect_to_login(request.get_full_path())
                    raise PermissionDenied
            request.centre = centre_obj
            return view(request, centre_obj, *args, **kwargs)

        wrapper.required_cap = DESK_STAFF_CAP
        wrapper.desk_kind = kind
        return wrapper

    return decorator


def centre_view(cap: Cap, *more: Cap):
    """Decorator for views under /c/<centre>/...: loads the centre, checks the capability (any one of those
    given), sets request.centre. Anonymous users go to the login page; staff without it get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, centre, *args, **kwargs):
            centre_obj = get_object_or_404(Centre, slug=centre)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not caps_of(request.user, centre_obj) & {cap, *more}:
                raise PermissionDenied
            request.centre = centre_obj
            return view(request, centre_obj, *args, **kwargs)

        wrapper.required_cap = cap
        return wrapper

    return decorator
