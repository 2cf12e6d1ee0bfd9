"""The first-run setup (/setup/), opening another centre (/centres/open/), a centre's staff page
(/c/<centre>/staff/) and the invitation link (/invite/<token>/). Thin: the forms read, ops.staff.services decides."""
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ops.centres.opening import OpeningForm, open_centre
from ops.permissions import Cap, centre_view, may_open_centres
from ops.staff import services
from ops.staff.firstrun import has_accounts, key_matches
from ops.staff.forms import AccountForm, InviteForm, RoleForm
from ops.staff.models import INVITATION_HOURS, Invitation

_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _split(error: ValidationError, *forms) -> None:
    """A service's field errors, each on the form that has the field."""
    for field, texts in error.message_dict.items():
        form = next((f for f in forms if field in f.fields), forms[0])
        for text in texts:
            form.add_error(field if field in form.fields else None, text)


@never_cache
def setup(request):
    """An installation without accounts: the first administrator, the first disaster and centre. Only with the
    setup key the server printed; gone (404) once anyone has an account."""
    if has_accounts():
        raise Http404
    key = request.POST.get("key") if request.method == "POST" else request.GET.get("key")
    if not key_matches(key):
        return render(request, "staff/setup_key.html", {"tried": bool(key)}, status=403)
    data = request.POST if request.method == "POST" else None
    account = AccountForm(data, prefix="admin", email_required=True)
    opening = OpeningForm(data, new_disaster_only=True)
    if data is not None and account.is_valid() and opening.is_valid():
        try:
            user, centre = services.set_up_installation(account=account.account(), opening=opening.opening())
        except services.AlreadySetUp:
            raise Http404 from None
        except ValidationError as error:
            _split(error, account, opening)
        else:
            login(request, user, backend=_BACKEND)
            messages.success(request, _("初期設定が終わりました。センターの設定とスタッフの招待を続けてください。"))
            return redirect("centre_home", centre=centre.slug)
    return render(request, "staff/setup.html", {"account": account, "opening": opening, "key": key,
                                                **opening.map_view()},
                  status=400 if data is not None else 200)


@login_required
def open_another_centre(request):
    """The installation's administrators open another centre (one flood opened 59), for a new or an existing
    disaster; the same form and service as the first run."""
    if not may_open_centres(request.user):
        raise PermissionDenied
    form = OpeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            centre = open_centre(**form.opening(), by=request.user)
        except ValidationError as error:
            _split(error, form)
        else:
            messages.success(request, _("%(centre)sを開設しました（準備中）。") % {"centre": centre.name})
            return redirect("centre_home", centre=centre.slug)
    return render(request, "staff/open_centre.html", {"opening": form, **form.map_view()},
                  status=400 if request.method == "POST" else 200)


@never_cache  # a new invitation link is on the page once: never from a cache
@centre_view(Cap.MANAGE_CENTRE)
def staff(request, centre):
    """Who works here in which role; invite a person by mail or by a link shown here."""
    form = InviteForm(request.POST or None)
    link, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            invitation, token = services.invite(centre=centre, role=form.cleaned_data["role"],
                                                email=form.cleaned_data["email"], by=request.user)
            link = services.invitation_link(token)
            if invitation.email:
                messages.success(request, _("招待メールを送ります。リンクはこの画面でも一度だけ表示します。"))
            form = InviteForm()
        else:
            status = 400
    pending = Invitation.objects.usable().filter(centre=centre).select_related("created_by")
    return render(request, "staff/staff.html", {
        "form": form, "link": link, "members": services.members_of(centre), "pending": pending,
        "role_form": RoleForm(), "hours": INVITATION_HOURS,
    }, status=status)


def _act(request, centre, change, done: str):
    try:
        member = change()
    except services.StaffError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"name": member.get_full_name() or member.get_username()})
    return redirect("staff:list", centre=centre.slug)


@require_POST
@centre_view(Cap.MANAGE_CENTRE)
def change_role(request, centre, member):
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("役割を選んでください。"))
        return redirect("staff:list", centre=centre.slug)
    return _act(request, centre, lambda: services.set_role(centre, member_id=member, role=form.cleaned_data["role"],
                                                           by=request.user), _("%(name)sさんの役割を変更しました。"))


@require_POST
@centre_view(Cap.MANAGE_CENTRE)
def remove(request, centre, member):
    return _act(request, centre, lambda: services.remove_member(centre, member_id=member, by=request.user),
                _("%(name)sさんをこのセンターのスタッフから外しました。"))


@require_POST
@centre_view(Cap.MANAGE_CENTRE)
def deactivate(request, centre, member):
    return _act(request, centre, lambda: services.deactivate(centre, member_id=member, by=request.user),
                _("%(name)sさんのアカウントを無効にしました。"))


@require_POST
@centre_view(Cap.MANAGE_CENTRE)
def revoke(request, centre, pk):
    invitation = get_object_or_404(Invitation, centre=centre, pk=pk)
    if services.revoke_invitation(invitation, by=request.user):
        messages.success(request, _("招待を取り消しました。"))
    return redirect("staff:list", centre=centre.slug)


@never_cache
def accept(request, token):
    """The invited person's page: choose a username, display name and password (or, signed in already, take the
    role with that account). Unknown, used, expired and revoked links are the same 404."""
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "staff/invite_unusable.html", status=404)
    signed_in = request.user.is_authenticated
    form = None if signed_in else AccountForm(request.POST or None)
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            if signed_in:
                user, _used = services.accept_invitation(token, user=request.user)
            else:
                user, _used = services.accept_invitation(token, account=form.account())
        except services.StaffError:
            return render(request, "staff/invite_unusable.html", status=404)
        except ValidationError as error:
            form.add_errors(error)
        else:
            if not signed_in:
                login(request, user, backend=_BACKEND)
            messages.success(request, _("%(centre)sのスタッフ（%(role)s）になりました。") % {
                "centre": invitation.centre.name, "role": invitation.get_role_display()})
            return redirect("centre_home", centre=invitation.centre.slug)
    return render(request, "staff/invite_accept.html", {"invitation": invitation, "form": form},
                  status=400 if request.method == "POST" else 200)
