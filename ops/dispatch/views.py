"""Staff pages of the dispatch desk: teams of the day, proposals, tool lending, the staff return report,
and the board's dispatch action. Thin: parse, call one service, show its message."""
import json

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ops.dispatch import selectors, services
from ops.dispatch.errors import DispatchError
from ops.dispatch.forms import FormTeamForm, LendForm, ReturnReportForm
from ops.dispatch.models import Consumable, Dispatch, EquipmentKind, EquipmentLoan, Team
from ops.needs.models import Need
from ops.permissions import Cap, can, centre_view


def volunteer_label(request, centre):
    """Names for those who may see volunteers' personal data (Cap.RECEPTION); a neutral label otherwise."""
    show = can(request.user, centre, Cap.RECEPTION)

    def label(attendance):
        heads = getattr(attendance, "head_count", 1) or 1
        name = attendance.volunteer.name if show else _("ボランティア #%(id)d") % {"id": attendance.pk}
        return _("%(name)s（%(n)d人）") % {"name": name, "n": heads} if heads > 1 else name

    return label


def _teams_url(centre):
    return reverse("dispatch:teams", kwargs={"centre": centre.slug})


@centre_view(Cap.DISPATCH)
def teams(request, centre):
    today = centre.today()
    label = volunteer_label(request, centre)
    waiting = list(selectors.waiting_volunteers(centre, today))
    calls = services.needed_skills(centre)  # which waiting needs call for which skill
    proposals, size = [], request.GET.get("size")
    if size:
        try:
            proposals = services.propose_teams(centre, today, size, needed=[c.skill for c in calls])
        except DispatchError as err:
            messages.error(request, err.message)
    now = timezone.now()
    day_teams = selectors.teams_now(centre, at=now)
    for team in day_teams:
        team.leader_label = label(team.leader) if team.leader else ""
        team.member_labels = [label(a) for a in team.member_list if a.pk != team.leader_id]
        team.skill_codes = services.skill_order(
            s for a in team.member_list if a.checked_out_at is None for s in (a.volunteer.skills or []))
    return render(request, "dispatch/teams.html", {
        "today": today, "teams": day_teams, "closed": services.day_refusal(centre, at=now),
        "waiting": [(a, label(a)) for a in waiting],
        "form": FormTeamForm(attendances=waiting, bases=centre.bases.active(), label=label),
        "proposals": [(p, [label(a) for a in p.members], label(p.leader)) for p in proposals],
        "size": size or 5, "stock": selectors.equipment_stock(centre), "bases": {b.pk: b for b in centre.bases.all()},
        "consumables": Consumable.objects.filter(centre=centre).in_use().with_on_hand().order_by("name"),
        "dispatches": selectors.dispatches_of_day(centre, today), "sep": _("、"),
        "calls": calls, "called": {c.skill for c in calls},
    })


@require_POST
@centre_view(Cap.DISPATCH)
def form_team(request, centre):
    today = centre.today()
    waiting = selectors.waiting_volunteers(centre, today)
    form = FormTeamForm(request.POST, attendances=waiting, bases=centre.bases.active(),
                        label=volunteer_label(request, centre))
    if not form.is_valid():
        messages.error(request, _("メンバーとリーダーを選んでください（画面を更新すると最新の状態になります）。"))
        return redirect(_teams_url(centre))
    try:
        team = services.form_team(centre=centre, on=today, members=form.cleaned_data["members"],
                                  leader=form.cleaned_data["leader"], base=form.cleaned_data["base"],
                                  vehicle=form.cleaned_data["vehicle"], by=request.user)
    except DispatchError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("%(team)sを編成しました。") % {"team": team.label})
    return redirect(_teams_url(centre))


@require_POST
@centre_view(Cap.DISPATCH)
def accept_proposals(request, centre):
    """Form every proposed team at once (the proposal is recomputed: the waiting list may have changed)."""
    today = centre.today()
    formed = []
    try:
        for p in services.propose_teams(centre, today, request.POST.get("size")):
            formed.append(services.form_team(centre=centre, on=today, members=p.members, leader=p.leader,
                                             base=p.base_id, by=request.user))
    except DispatchError as err:
        messages.error(request, err.message)
    if formed:
        messages.success(request, _("%(n)d班を編成しました。") % {"n": len(formed)})
    return redirect(_teams_url(centre))


def _team_action(action, success):
    @require_POST
    @centre_view(Cap.DISPATCH)
    def view(request, centre, team):
        team = get_object_or_404(Team, pk=team, centre=centre)
        try:
            action(team, by=request.user)
        except DispatchError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, success() % {"team": team.label})
        return redirect(_teams_url(centre))

    return view


make_ready = _team_action(services.make_ready, lambda: _("%(team)sを待機に戻しました。"))
disband = _team_action(services.disband_team, lambda: _("%(team)sを解散しました。"))


@require_POST
@centre_view(Cap.DISPATCH)
def contacted(request, centre, team):
    """連絡済み on a team past its return time: from the teams page, or the staff board (back there)."""
    team = get_object_or_404(Team, pk=team, centre=centre)
    try:
        services.mark_contacted(team, centre=centre, by=request.user)
    except DispatchError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("%(team)sに連絡済みと記録しました。") % {"team": team.label})
    if request.POST.get("back") == "board":
        return redirect(reverse("boards:staff", kwargs={"centre": centre.slug}))
    return redirect(_teams_url(centre) + f"#team-{team.pk}")


@require_POST
@centre_view(Cap.DISPATCH)
def lend(request, centre, team):
    team = get_object_or_404(Team, pk=team, centre=centre)
    form = LendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("資機材と数量を入力してください。"))
        return redirect(_teams_url(centre))
    kind = get_object_or_404(EquipmentKind, pk=form.cleaned_data["kind"], centre=centre)
    try:
        services.lend_tools(team=team, kind=kind, quantity=form.cleaned_data["quantity"], by=request.user)
    except DispatchError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("%(team)sに%(name)sを%(n)d貸し出しました。")
                         % {"team": team.label, "name": kind.name, "n": form.cleaned_data["quantity"]})
    return redirect(_teams_url(centre))


@require_POST
@centre_view(Cap.DISPATCH)
def return_loan(request, centre, loan):
    loan = get_object_or_404(EquipmentLoan, pk=loan, team__centre=centre)
    try:
        services.return_tools(loan=loan, quantity=request.POST.get("quantity") or None, by=request.user)
    except DispatchError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("返却を記録しました。"))
    return redirect(_teams_url(centre))


@require_POST
@centre_view(Cap.DISPATCH)
def cancel(request, centre, dispatch):
    record = get_object_or_404(Dispatch.objects.select_related("team"), pk=dispatch, centre=centre)
    try:
        services.cancel_dispatch(record, by=request.user, reason=request.POST.get("reason", ""))
    except DispatchError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("%(team)sの送り出しを取り消しました。班は待機に戻りました。")
                         % {"team": record.team.label})
    return redirect(_teams_url(centre))


@centre_view(Cap.DISPATCH)
def staff_report(request, centre, dispatch):
    record = get_object_or_404(Dispatch.objects.select_related("team", "need"), pk=dispatch, centre=centre)
    if request.method == "POST":
        form = ReturnReportForm(request.POST)
        if form.is_valid():
            try:
                report = services.file_return_report(record, **form.cleaned_data, by=request.user, via="staff")
            except DispatchError as err:
                form.add_error(None, err.message)
            else:
                messages.success(request, _("%(team)sの活動報告を登録しました。") % {"team": record.team.label})
                if report.welfare_told:
                    messages.info(request, _("気になったことを福祉担当に伝えました。"))
                return redirect(_teams_url(centre))
    else:
        form = ReturnReportForm(initial={"people": record.people, "outcome": "completed"})
    return render(request, "dispatch/report_form.html", {
        "record": record, "form": form, "tools_out": list(record.team.tools_out())},
        status=400 if form.errors else 200)


@require_POST
@centre_view(Cap.DISPATCH)
def send(request, centre):
    """The board's dispatch button: JSON in, JSON out (409 with the reason when another coordinator won)."""
    data = request.POST
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            data = None
    try:
        team_id, need_id = int(data["team"]), int(data["need"])
    except (TypeError, KeyError, ValueError):
        return JsonResponse({"error": _("班とニーズを選んでください。")}, status=400)
    team = Team.objects.filter(pk=team_id, centre=centre).first()
    need = Need.objects.filter(pk=need_id, centre=centre).first()
    if team is None or need is None:
        return JsonResponse({"error": _("班またはニーズが見つかりません。画面を更新してください。")}, status=404)
    try:
        record = services.dispatch(team, need, by=request.user)
    except DispatchError as err:
        return JsonResponse({"error": err.message}, status=409)
    return JsonResponse({
        "ok": True, "dispatch": record.pk,
        "message": _("%(team)sを%(need)sに送り出しました。") % {"team": team.label, "need": need.label},
        "slip_url": reverse("dispatch:slip", kwargs={"token": record.slip_token}),
        "print_url": reverse("dispatch:slip_print", kwargs={"token": record.slip_token}),
    }, status=201)
