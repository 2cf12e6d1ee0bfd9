"""受付スキャン (/c/<centre>/desk/): the page, and its JSON endpoints that each call one service of
ops.desk.services.scan and answer the desk's state (or {"error": ...} with 4xx)."""
import secrets
from functools import wraps

from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ops.desk import jsonio
from ops.desk.models import DeskRole
from ops.desk.scan_state import desk_state
from ops.desk.services import actor_of
from ops.desk.services import scan as scanning
from ops.permissions import desk_view
from ops.volunteers.qr import absolute, qr_svg

SESSION_KEY = "desk_key"


def desk_key(request) -> str:
    """This browser's desk: one random key in its session (a phone and a laptop are two desks)."""
    key = request.session.get(SESSION_KEY)
    if not key:
        key = request.session[SESSION_KEY] = secrets.token_urlsafe(32)
    return key


def _by(request):
    return request.user if request.user.is_authenticated else None


def _id(data, name):
    try:
        return int(data.get(name))
    except (TypeError, ValueError):
        return None


def _answer(request, centre, *, message="", error="", status=200, extra=None):
    draft = scanning.draft_of(centre, desk_key(request))
    if error:
        return jsonio.error(error, status=status, code="refused", state=desk_state(draft), **(extra or {}))
    return JsonResponse({"state": desk_state(draft), "message": message, **(extra or {})}, status=status)


def json_view(view):
    """A desk endpoint's body read once: a body that is not a JSON object is a 400 (413 too big) in the one shape."""
    @wraps(view)
    def wrapper(request, centre, *args, **kwargs):
        try:
            data = jsonio.body(request)
        except jsonio.BadBody as err:
            return jsonio.error(err.message, status=err.status, code=err.code)
        return view(request, centre, data, *args, **kwargs)
    return wrapper


def _act(request, centre, action):
    """Run one desk service on this desk's draft; a refusal is a 409 with the desk's fresh state."""
    try:
        with transaction.atomic():  # a refused first scan leaves no empty draft behind
            draft = scanning.open_draft(centre, desk_key(request), by_user=_by(request), by_desk=request.desk_role)
            message = action(draft)
    except scanning.DeskError as err:
        return _answer(request, centre, error=err.message, status=409)
    return _answer(request, centre, message=message)


@desk_view(DeskRole.Kind.SCAN)
def desk(request, centre):
    draft = scanning.draft_of(centre, desk_key(request))
    return render(request, "desk/scan.html", {"centre": centre, "state": desk_state(draft),
                                              "desk_role": request.desk_role, "words": _words()})


def _words() -> dict:
    """The desk script's words, in the page's language."""
    return {"leader": _("リーダー"), "make_leader": _("リーダーにする"), "remove": _("外す"),
            "add_group": _("まとめて追加"), "no_need": _("ニーズのQRを読み取ってください。"),
            "no_members": _("ボランティアの個人QRを読み取ってください。"),
            "heads": _("%(n)d人 / 必要%(needed)d人（向かっている人%(already)d人）"), "heads_only": _("%(n)d人"),
            "people": _("%(n)d人"), "camera_native": _("カメラで読み取り中"), "camera_jsqr": _("カメラで読み取り中"),
            "camera_none": _("カメラが使えません。番号を入力してください。"),
            "sent_detail": _("%(need)s・%(people)d人・リーダー %(leader)s・帰着予定 %(time)s"),
            "failed": _("通信できませんでした。もう一度お試しください。")}


@require_POST
@desk_view(DeskRole.Kind.SCAN)
@json_view
def scan(request, centre, data):
    group = _id(data, "group")
    if group is not None:
        return _act(request, centre, lambda d: scanning.claim_group(d, group))
    code = data.get("code")
    if not isinstance(code, str) or not code.strip():
        return jsonio.error(_("コードが読み取れませんでした。"), status=400, code="invalid")
    return _act(request, centre, lambda d: scanning.scan(d, code))


@require_POST
@desk_view(DeskRole.Kind.SCAN)
@json_view
def leader(request, centre, data):
    pk = _id(data, "attendance")
    if pk is None:
        return jsonio.error(_("リーダーを選んでください。"), status=400, code="invalid")
    return _act(request, centre, lambda d: scanning.set_leader(d, pk))


@require_POST
@desk_view(DeskRole.Kind.SCAN)
@json_view
def remove(request, centre, data):
    pk = _id(data, "attendance")
    if pk is None:
        return jsonio.error(_("外す人を選んでください。"), status=400, code="invalid")
    return _act(request, centre, lambda d: scanning.remove(d, pk))


@require_POST
@desk_view(DeskRole.Kind.SCAN)
@json_view
def clear(request, centre, data):
    draft = scanning.draft_of(centre, desk_key(request))
    if draft is not None:
        scanning.clear(draft)
    return _answer(request, centre, message=_("読み取りをやり直します。"))


@require_POST
@desk_view(DeskRole.Kind.SCAN)
@json_view
def send(request, centre, data):
    expected = data.get("members")
    if expected is not None and not (isinstance(expected, list) and all(type(i) is int for i in expected)):
        return jsonio.error(_("班のメンバーが読み取れません。"), status=400, code="invalid")
    draft = scanning.draft_of(centre, desk_key(request))
    if draft is None:
        return jsonio.error(_("先にニーズのQRコードを読み取ってください。"), status=409, code="refused",
                            state=desk_state(None))
    try:
        record = scanning.send(draft, by=_by(request), actor=actor_of(request), expected=expected)
    except scanning.DeskError as err:
        return _answer(request, centre, error=err.message, status=409)
    team = record.team
    slip = absolute(reverse("dispatch:slip", kwargs={"token": record.slip_token}))
    due = centre.local(record.expected_return_at)
    return _answer(request, centre, status=201, message=_("%(team)sを%(need)sに送り出しました。") % {
        "team": team.label, "need": record.need.label}, extra={"sent": {
            "team": team.label, "need": record.need.label, "people": record.people,
            "return_at": formats.time_format(due, "H:i"), "slip_url": slip, "slip_qr": qr_svg(slip, css_class="qr slip-qr"),
            "leader": team.leader.volunteer.name if team.leader_id else "",
        }})
