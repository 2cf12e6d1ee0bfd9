"""資機材デスク (/c/<centre>/desk/tools/): the page with the camera, and each scan as JSON. Thin: parse, call
ops.desk.services.tools.scan, answer (refusals: 409 with {"error"}; bad input: 400)."""
import json

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ops.desk.models import DeskRole
from ops.desk.services import actor_of
from ops.desk.services import tools as desk_tools
from ops.permissions import desk_view

MAX_BODY = 4096


@desk_view(DeskRole.Kind.TOOLS)
def desk(request, centre):
    return render(request, "desk/tools.html", {"centre": centre, "desk_role": request.desk_role})


def _data(request):
    if request.content_type == "application/json":
        if len(request.body) > MAX_BODY:
            return None
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return None
        return data if isinstance(data, dict) else None
    return request.POST


@require_POST
@desk_view(DeskRole.Kind.TOOLS)
def scan(request, centre):
    data = _data(request)
    code = data.get("code") if data is not None else None
    if not isinstance(code, str) or not code.strip():
        return JsonResponse({"error": _("コードを読み取るか入力してください。")}, status=400)
    mode, team = data.get("mode", desk_tools.LEND), data.get("team") or None
    try:
        answer = desk_tools.scan(centre, code, mode=str(mode), team_pk=str(team) if team else None,
                                 by=request.user, actor=actor_of(request))
    except desk_tools.DeskRefusal as err:
        body = {"error": err.message}
        chosen = desk_tools.chosen_team(centre, team)
        if chosen is not None:
            body["team"] = desk_tools.state(chosen)
        return JsonResponse(body, status=409)
    return JsonResponse({"ok": True, "message": answer.message, "changed": answer.changed,
                         "team": desk_tools.state(answer.team)})
