"""The run of a drill: opening one (drills/new/), its control page (c/<centre>/drill/: the scenario clock, start,
pause, resume, finish, what has been played, the reset and the review), and the 「訓練の電話」 panel the intake
staff read the calls from (c/<centre>/drill/calls/). A real centre has none of these pages (404)."""
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ops import permissions
from ops.centres.models import Centre
from ops.drills import services
from ops.drills.models import Cue, Drill
from ops.drills.opening import DrillOpeningForm, open_drill
from ops.drills.outcome import link_cues
from ops.drills.scenario import ScenarioError
from ops.permissions import Cap

ACTIONS = {"start": services.start, "pause": services.pause, "resume": services.resume, "finish": services.finish}


def _drill_centre(request, slug, allowed) -> Centre:
    """The drill centre of the URL for a user `allowed(user, centre)` lets in: 404 for a real centre (it has no
    drill), the login page for the anonymous, 403 for others."""
    centre = get_object_or_404(Centre.objects.select_related("disaster", "drill"), slug=slug, disaster__drill=True)
    if not hasattr(centre, "drill"):
        raise Http404
    if not request.user.is_authenticated:
        raise _LoginFirst
    if not allowed(request.user, centre):
        raise PermissionDenied
    request.centre = centre
    return centre


class _LoginFirst(Exception):
    pass


def _page(view):
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginFirst:
            return redirect_to_login(request.get_full_path())
    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@_page
def new(request):
    """「訓練を開設する」: the installation's administrators and any centre's 管理者."""
    if not request.user.is_authenticated:
        raise _LoginFirst
    if not permissions.may_open_drill(request.user):
        raise PermissionDenied
    form = DrillOpeningForm(request.POST if request.method == "POST" else None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                centre = open_drill(scenario=data["scenario"], by=request.user, name=data["name"],
                                    speed=data["speed"], staff_from=data["staff_from"])
            except ValidationError as err:
                for field, errors in err.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("訓練センターを開設しました。参加するスタッフがそろったら「開始」を押してください。"))
                return redirect("drills:control", centre=centre.slug)
    return render(request, "drills/new.html", {"form": form}, status=status)


def _scenario_of(drill: Drill):
    try:
        return drill.load_scenario()
    except ScenarioError:
        return None


@_page
def control(request, centre):
    centre = _drill_centre(request, centre, permissions.may_run_drill)
    drill = centre.drill
    scenario = _scenario_of(drill)
    cues = list(drill.cues.order_by("-index"))
    counts = {kind: 0 for kind, _label in Cue.Kind.choices}
    for cue in cues:
        counts[cue.kind] += 1
    totals = {kind: 0 for kind, _label in Cue.Kind.choices}
    for entry in scenario.timeline if scenario else ():
        totals[entry.kind] += 1
    language = get_language() or "ja"
    return render(request, "drills/run.html", {
        "drill": drill, "scenario": scenario, "state": services.state_of(drill, scenario=scenario) if scenario else None,
        "title": scenario.localized_title(language) if scenario else drill.scenario,
        "summary": scenario.localized_summary(language) if scenario else "",
        "kinds": [(label, counts[kind], totals[kind]) for kind, label in Cue.Kind.choices],
        "injects": [_inject_view(c, scenario, language) for c in cues if c.kind == Cue.Kind.INJECT],
        "refusals": [c for c in cues if c.detail.get("refused") or c.detail.get("error")][:20],
        "running": drill.status == Drill.Status.RUNNING,
    })


def _inject_view(cue, scenario, language):
    text = cue.detail.get("text_en") if language.startswith("en") and cue.detail.get("text_en") else cue.detail.get("text")
    return {"at": cue.detail.get("at", ""), "text": text}


@require_POST
@_page
def run(request, centre):
    """Start, pause, resume or finish (POST `action`)."""
    centre = _drill_centre(request, centre, permissions.may_run_drill)
    act = ACTIONS.get(request.POST.get("action", ""))
    if act is None:
        messages.error(request, _("操作を選んでください。"))
        return redirect("drills:control", centre=centre.slug)
    try:
        act(centre.drill, by=request.user)
    except services.DrillError as refusal:
        messages.error(request, refusal.message)
    return redirect("drills:control", centre=centre.slug)


def _may_take_calls(user, centre) -> bool:
    return permissions.can(user, centre, Cap.EDIT_NEEDS)


@_page
def calls(request, centre):
    """「訓練の電話」: the calls and counter visits rung so far, newest first, for the intake staff to take into the
    real intake page as if the phone had rung (the caller's words, what they would answer when asked)."""
    centre = _drill_centre(request, centre, _may_take_calls)
    drill = centre.drill
    link_cues(drill)  # which calls someone has already typed in (so two desks do not take one call twice)
    rung = list(drill.cues.filter(kind__in=[Cue.Kind.CALL, Cue.Kind.WALK_IN]).select_related("need")
                .order_by("-index"))
    return render(request, "drills/run_calls.html", {
        "drill": drill, "calls": rung, "running": drill.status == Drill.Status.RUNNING})
