"""資機材デスク (/c/<centre>/desk/tools/): the page with the camera, and each scan as JSON. Thin: parse, call
ops.desk.services.tools.scan, answer (refusals: 409 with {"error"}; bad input: 400)."""
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ops.desk import jsonio
from ops.desk.models import DeskRole
from ops.desk.services import actor_of
from ops.desk.services import tools as desk_tools
from ops.permissions import desk_view


@desk_view(DeskRole.Kind.TOOLS)
def desk(request, centre):
    return render(request, "desk/tools.html", {"centre": centre, "desk_role": request.desk_role})


@require_POST
@desk_view(DeskRole.Kind.TOOLS)
def scan(request, centre):
    try:
        data = jsonio.body(request) if request.content_type == "application/json" else request.POST
    except jsonio.BadBody as err:
        return jsonio.error(err.message, status=err.status, code=err.code)
    code = data.get("code")
    if not isinstance(code, str) or not code.strip():
        return jsonio.error(_("コードを読み取るか入力してください。"), status=400, code="invalid")
    mode, team = data.get("mode", desk_tools.LEND), data.get("team") or None
    try:
        answer = desk_tools.scan(centre, code, mode=str(mode), team_pk=str(team) if team else None,
                                 by=request.user, actor=actor_of(request))
    except desk_tools.DeskRefusal as err:
        chosen = desk_tools.chosen_team(centre, team)
        extra = {"team": desk_tools.state(chosen)} if chosen is not None else {}
        return jsonio.error(err.message, status=409, code="refused", **extra)
    return JsonResponse({"ok": True, "message": answer.message, "changed": answer.changed,
                         "team": desk_tools.state(answer.team)})
