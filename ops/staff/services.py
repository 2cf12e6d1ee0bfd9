"""Who works at a centre, and how they come to: the first administrator of an empty installation, invitations
(one account per person: no shared logins), roles, removal and deactivation. Each change is validated, saved
and audited in one transaction; a role given or taken reaches open staff boards through ops.boards.signals
(Membership and account saves), which ask the sockets to re-check access.

The rule that a centre keeps an administrator lives here (`_keep_an_administrator`), for every path that
takes the role away: a role change, a removal, a deactivation.
"""
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit
from ops.centres.models import Centre, Membership, Role
from ops.centres.opening import open_centre
from ops.credentials import digest
from ops.messages.models import OutboundMail
from ops.messages.services import queue_mail
from ops.staff.firstrun import has_accounts
from ops.staff.models import Invitation
from ops.volunteers.qr import absolute

User = get_user_model()
_FIRST_RUN_LOCK = 0x64766331  # "dvc1": one first-run setup at a time (PostgreSQL advisory lock)


class StaffError(Exception):
    """A refused change; `message` is shown to the administrator as is."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class AlreadySetUp(Exception):
    """The installation has an account already: the first-run setup is over."""


# --- accounts --------------------------------------------------------------------------------------------------

def _new_account(*, username: str, name: str, password: str, email: str = "", **flags):
    """One person's own account; the password must pass the installation's validators (AUTH_PASSWORD_VALIDATORS).
    Raises ValidationError on `username` or `password`."""
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("このユーザー名は使われています。別の名前にしてください。")})
    user = User(username=username, first_name=name.strip(), email=email.strip(), **flags)
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # taken a moment ago by someone else
        raise ValidationError({"username": _("このユーザー名は使われています。別の名前にしてください。")}) from None
    return user


def set_up_installation(*, account: dict, opening: dict):
    """The first run: the installation's first administrator (a superuser, who may open further centres, and the
    administrator of the first centre) and the first disaster and centre, all or nothing. Two submissions at once
    make one administrator: the second finds the first's account and raises AlreadySetUp."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_FIRST_RUN_LOCK])
        # (SQLite: the settings' IMMEDIATE transactions already let one writer in at a time.)
        if has_accounts():
            raise AlreadySetUp
        user = _new_account(**account, is_staff=True, is_superuser=True)
        centre = open_centre(**opening, by=user)
        audit.happened("installation.set_up", user, centre=centre, by=user)
    return user, centre


# --- invitations -----------------------------------------------------------------------------------------------

def invitation_link(token: str) -> str:
    return absolute(reverse("staff:accept", kwargs={"token": token}))


def invite(*, centre: Centre, role: str, email: str = "", by, organisation=None) -> tuple[Invitation, str]:
    """A one-time invitation to `role` at `centre`. With an email it is mailed; either way the link is returned
    once (the administrator's page shows it for a phone without mail). The 協力団体 role is given only with its
    `organisation` (one of the centre's): accepting makes the account one of the organisation's logins."""
    if role not in Role.values:
        raise StaffError(_("役割の値が正しくありません。"))
    if (role == Role.PARTNER) != (organisation is not None):
        raise StaffError(_("協力団体の役割は、協力団体のページからその団体のログインとして招待してください。"))
    if organisation is not None and organisation.centre_id != centre.pk:
        raise StaffError(_("このセンターの協力団体ではありません。"))
    with transaction.atomic():
        invitation, token = Invitation.issue(centre=centre, role=role, email=email.strip(), by=by)
        if organisation is not None:
            invitation.organisation = organisation
            invitation.save(update_fields=["organisation"])
        with audit.operation("staff.invited", by=by, centre=centre):
            audit.changed(invitation, created=True, fields=["role", "email"] if email else ["role"])
        if invitation.email:
            queue_mail(kind=OutboundMail.Kind.STAFF_INVITATION, centre=centre, about=invitation,
                       to=[invitation.email], subject=_invitation_subject(centre),
                       body=_invitation_body(invitation, token), triggered_by=f"staff:{by.get_username()}"[:60])
    return invitation, token


def _invitation_subject(centre) -> str:
    return _("【%(centre)s】スタッフとしての招待") % {"centre": centre.name}


def _invitation_body(invitation, token) -> str:
    return _("%(centre)sのスタッフ（%(role)s）として招待されました。\n\n次のリンクを開き、ご自分のユーザー名と"
             "パスワードを決めてください。リンクは一度だけ、%(expires)sまで使えます。\n\n%(link)s\n\n"
             "このリンクは他の人に教えないでください。心当たりがない場合は、このメールを削除してください。\n") % {
        "centre": invitation.centre.name, "role": invitation.get_role_display(),
        "expires": timezone.localtime(invitation.expires_at, invitation.centre.tz).strftime("%Y-%m-%d %H:%M"),
        "link": invitation_link(token)}


def find_invitation(token) -> Invitation | None:
    """The usable invitation behind a link, or None (unknown, used, expired or revoked look the same)."""
    if not isinstance(token, str) or not token or len(token) > 100:
        return None
    return Invitation.objects.usable().select_related("centre").filter(token_hash=digest(token)).first()


def _take(token) -> Invitation:
    """The invitation, locked for this transaction; StaffError when it was used, revoked or expired meanwhile."""
    invitation = Invitation.objects.select_for_update().filter(token_hash=digest(token)).first()
    if invitation is None or not invitation.usable:
        raise StaffError(_("この招待リンクは使えません（使用済み・期限切れ・取消済み）。"))
    return invitation


def accept_invitation(token: str, *, account: dict | None = None, user=None):
    """Use an invitation once: with `account` (username, name, password, email) a new person's own account is
    made; with `user` an existing, signed-in person takes the role. Two tabs submitting at once: the second waits
    for the first's lock and finds the link used. Returns (user, invitation)."""
    with transaction.atomic():
        invitation = _take(token)
        if user is None:
            user = _new_account(**account)
        created = Membership.objects.get_or_create(user=user, centre=invitation.centre, role=invitation.role)[1]
        invitation.used_at, invitation.used_by = timezone.now(), user
        invitation.save(update_fields=["used_at", "used_by"])
        with audit.operation("staff.joined", by=user, centre=invitation.centre):
            audit.changed(invitation, fields=["used_at", "used_by"])
            if created:
                audit.changed(_membership(user, invitation.centre, invitation.role), created=True,
                              fields=["user", "role"], centre=invitation.centre)
            if invitation.organisation_id is not None:  # a partner login: one of its organisation's logins
                invitation.organisation.users.add(user)
                audit.changed(invitation.organisation, fields=["users"], centre=invitation.centre,
                              note=user.get_username())
    return user, invitation


def revoke_invitation(invitation: Invitation, *, by) -> bool:
    """Stop an unused invitation now; False when it was already used or revoked."""
    with transaction.atomic():
        updated = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now())
        if updated:
            invitation.refresh_from_db()
            with audit.operation("staff.invitation_revoked", by=by, centre=invitation.centre):
                audit.changed(invitation, fields=["revoked_at"])
    return bool(updated)


# --- members ---------------------------------------------------------------------------------------------------

def members_of(centre: Centre) -> list[dict]:
    """Each person with a role here: the account, their roles (words), whether they can sign in."""
    rows: dict[int, dict] = {}
    for membership in (Membership.objects.filter(centre=centre).select_related("user")
                       .order_by("user__username", "role")):
        row = rows.setdefault(membership.user_id, {"user": membership.user, "roles": []})
        row["roles"].append(membership.role)
    for row in rows.values():
        row["labels"] = [Role(role).label for role in row["roles"]]
    return sorted(rows.values(), key=lambda r: (Role.ADMIN not in r["roles"], r["user"].get_username()))


def _membership(user, centre, role):
    return Membership.objects.get(user=user, centre=centre, role=role)


def _lock(centre: Centre) -> None:
    """One staff change at a time per centre: two administrators demoting each other at once cannot leave the
    centre without one."""
    Centre.objects.select_for_update().filter(pk=centre.pk).first()


def _keep_an_administrator(centre: Centre, member) -> None:
    """Refuse a change that takes the centre's last administrator (who can sign in) away."""
    others = (Membership.objects.filter(centre=centre, role=Role.ADMIN, user__is_active=True)
              .exclude(user=member).exists())
    is_admin = Membership.objects.filter(centre=centre, role=Role.ADMIN, user=member).exists()
    if is_admin and not others:
        raise StaffError(_("このセンターの管理者はこの方だけです。先に別の方を管理者にしてください。"))


def _member(centre, user_id, *, by):
    """The member to change; an installation administrator's roles are changed only by one of them (or
    themself), so a centre's administrator cannot lock the installation's out of the centre."""
    user = User.objects.filter(pk=user_id, memberships__centre=centre).distinct().first()
    if user is None:
        raise StaffError(_("このセンターのスタッフではありません。"))
    if user.is_superuser and not by.is_superuser:
        raise StaffError(_("システム全体の管理者の役割は、システム全体の管理者だけが変更できます。"))
    return user


def set_role(centre: Centre, *, member_id: int, role: str, by):
    """The member's role here becomes `role` (one role per person on this page). The 協力団体 role is not given
    here: it comes with an organisation (`invite(organisation=...)`)."""
    if role not in Role.values:
        raise StaffError(_("役割の値が正しくありません。"))
    if role == Role.PARTNER:
        raise StaffError(_("協力団体の役割は、協力団体のページからその団体のログインとして招待してください。"))
    with transaction.atomic():
        _lock(centre)
        member = _member(centre, member_id, by=by)
        current = set(Membership.objects.filter(centre=centre, user=member).values_list("role", flat=True))
        if current == {role}:
            return member
        if role != Role.ADMIN:
            _keep_an_administrator(centre, member)
        with audit.operation("staff.role_changed", by=by, centre=centre):
            kept = Membership.objects.get_or_create(user=member, centre=centre, role=role)[0]
            for membership in Membership.objects.filter(centre=centre, user=member).exclude(pk=kept.pk):
                membership.delete()
            audit.changed(kept, fields=["role"], centre=centre,
                          note=" → ".join([",".join(sorted(current)), role]))
    return member


def remove_member(centre: Centre, *, member_id: int, by):
    """Take every role the member has here; their account stays (they may work at another centre)."""
    with transaction.atomic():
        _lock(centre)
        member = _member(centre, member_id, by=by)
        _keep_an_administrator(centre, member)
        with audit.operation("staff.removed", by=by, centre=centre):
            memberships = list(Membership.objects.filter(centre=centre, user=member))
            for membership in memberships:
                audit.changed(membership, fields=["role"], centre=centre, note=membership.role)
            Membership.objects.filter(pk__in=[m.pk for m in memberships]).delete()
            for organisation in member.partner_organisations.filter(centre=centre):  # a partner login's links too
                organisation.users.remove(member)
                audit.changed(organisation, fields=["users"], centre=centre, note=member.get_username())
    return member


def remove_partner_login(organisation, *, member_id: int, by):
    """Take one login away from a partner organisation: it is no longer one of its logins, and its 協力団体 role
    at the centre goes too unless it still works for another of the centre's organisations. The account stays."""
    centre = organisation.centre
    with transaction.atomic():
        _lock(centre)
        member = organisation.users.filter(pk=member_id).first()
        if member is None:
            raise StaffError(_("この団体のログインではありません。"))
        with audit.operation("staff.removed", by=by, centre=centre):
            organisation.users.remove(member)
            audit.changed(organisation, fields=["users"], centre=centre, note=member.get_username())
            if not member.partner_organisations.filter(centre=centre).exists():
                for membership in Membership.objects.filter(centre=centre, user=member, role=Role.PARTNER):
                    audit.changed(membership, fields=["role"], centre=centre, note=membership.role)
                    membership.delete()
    return member


def other_centres_of(member, centre: Centre) -> list[Centre]:
    return list(Centre.objects.filter(memberships__user=member).exclude(pk=centre.pk).distinct().order_by("pk"))


def deactivate(centre: Centre, *, member_id: int, by):
    """The person can no longer sign in anywhere (their open boards close). Only for someone who works at this
    centre alone, never oneself nor an installation administrator: for the others, remove them from this centre."""
    with transaction.atomic():
        _lock(centre)
        member = _member(centre, member_id, by=by)
        if member.pk == by.pk:
            raise StaffError(_("自分自身は無効にできません。"))
        if member.is_superuser:
            raise StaffError(_("システム全体の管理者は無効にできません。"))
        if others := other_centres_of(member, centre):
            raise StaffError(_("この方は他のセンター（%(centres)s）でも活動しています。このセンターから外してください。")
                             % {"centres": "、".join(c.name for c in others)})
        _keep_an_administrator(centre, member)
        if not member.is_active:
            return member
        member.is_active = False
        member.save(update_fields=["is_active"])
        with audit.operation("staff.deactivated", by=by, centre=centre):
            audit.changed(member, fields=["is_active"], centre=centre)
    return member
