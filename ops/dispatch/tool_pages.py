"""The tool desk's pages (資機材・消耗品): the ledger of kinds and stock, who holds what now, each kind's history,
and consumables counted in and handed out. Every role that reads the 日報 reads them (the figures are the
report's); writes need Cap.DISPATCH. Thin: parse, call one service of ops.dispatch.services.ledger or
.consumables, show its message."""
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ops import audit, privacy
from ops.dispatch import selectors
from ops.dispatch.errors import DispatchError
from ops.dispatch.forms import HandOutForm, MovementForm, ToolKindForm
from ops.dispatch.models import (
    Consumable,
    ConsumableMovement,
    EquipmentItem,
    EquipmentKind,
    EquipmentMovement,
    Team,
)
from ops.dispatch.services import consumables, ledger
from ops.permissions import Cap, can, centre_view

HISTORY_PAGE = 50
CONSUMABLE_REASONS = [(ConsumableMovement.Reason.RECEIVED, ConsumableMovement.Reason.RECEIVED.label),
                      (ConsumableMovement.Reason.WRITTEN_OFF, ConsumableMovement.Reason.WRITTEN_OFF.label)]


def _tools_url(centre, anchor=""):
    return reverse("dispatch:tools", kwargs={"centre": centre.slug}) + anchor


def _holder(centre, sight, now):
    shows_names = sight.shows("volunteers.Volunteer", "name")

    def row(loan):
        leader = loan.team.leader
        return {"loan": loan, "team": loan.team, "still_out": loan.still_out,
                "leader": leader.volunteer.name if leader and shows_names else "",
                "overdue": loan.overdue(centre, at=now)}
    return row


@centre_view(Cap.VIEW_REPORTS)
def tools(request, centre):
    now = timezone.now()
    kinds = list(EquipmentKind.objects.filter(centre=centre).with_stock().order_by("retired_at", "name"))
    numbered = dict(EquipmentItem.objects.filter(kind__centre=centre, retired_at__isnull=True)
                    .values_list("kind").annotate(n=Count("pk")))
    for kind in kinds:
        kind.numbered = numbered.get(kind.pk, 0)
    held = [_holder(centre, privacy.sight_of(request.user, centre), now)(loan)
            for loan in selectors.tools_held(centre)]
    by_kind = {}
    for row in held:
        by_kind.setdefault(row["loan"].kind_id, []).append(row)
    today = centre.today()
    items = list(Consumable.objects.filter(centre=centre).with_on_hand(today).order_by("retired_at", "name"))
    may_write = can(request.user, centre, Cap.DISPATCH)
    return render(request, "dispatch/tools.html", {
        "kinds": [(k, by_kind.get(k.pk, [])) for k in kinds], "today": today,
        "overdue_count": sum(r["still_out"] for r in held if r["overdue"]),
        "deadline": centre.latest_return_at(today), "items": items, "may_write": may_write,
        "kind_form": ToolKindForm(), "reasons": EquipmentMovement.Reason.choices,
        "consumable_reasons": CONSUMABLE_REASONS,
        "teams": Team.objects.filter(centre=centre, date=today).exclude(status=Team.Status.DISBANDED),
        "recent": ConsumableMovement.objects.ledger(centre).order_by("-at", "-pk")[:20],
    })


@centre_view(Cap.VIEW_REPORTS)
def tool_history(request, centre, kind):
    kind = get_object_or_404(EquipmentKind.objects.with_stock(), pk=kind, centre=centre)
    page = Paginator(kind.history(), HISTORY_PAGE).get_page(request.GET.get("page"))
    users = get_user_model().objects.in_bulk({r[9] for r in page if r[9]})
    reasons = dict(EquipmentMovement.Reason.choices)
    rows = []
    for at, entry, quantity, reason, note, number, date, returned, returned_at, by_id, _pk in page:
        rows.append({"at": at, "loan": entry == "loan", "quantity": quantity, "reason": reasons.get(reason, ""),
                     "note": note, "team": f"T-{number:02d}" if number is not None else "", "team_date": date,
                     "returned": returned, "returned_at": returned_at,
                     "by": audit.who(users.get(by_id)) if entry == "movement" else ""})
    return render(request, "dispatch/tool_history.html", {
        "kind": kind, "page": page, "rows": rows, "may_write": can(request.user, centre, Cap.DISPATCH),
        "reasons": EquipmentMovement.Reason.choices,
    })


def _act(request, call, success):
    try:
        result = call()
    except DispatchError as err:
        messages.error(request, err.message)
        return None
    messages.success(request, success(result))
    return result


@require_POST
@centre_view(Cap.DISPATCH)
def tool_add(request, centre):
    form = ToolKindForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("名前と数量を確かめてください（数量は0〜100000）。"))
        return redirect(_tools_url(centre))
    data = form.cleaned_data
    _act(request, lambda: ledger.add_kind(centre=centre, name=data["name"], unit=data["unit"],
                                          quantity=data["quantity"] or 0, by=request.user),
         lambda kind: _("%(name)sを登録しました。") % {"name": kind.name})
    return redirect(_tools_url(centre))


@require_POST
@centre_view(Cap.DISPATCH)
def tool_rename(request, centre, kind):
    kind = get_object_or_404(EquipmentKind, pk=kind, centre=centre)
    form = ToolKindForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("名前（60文字まで）と単位（10文字まで）を確かめてください。"))
    else:
        _act(request, lambda: ledger.rename_kind(kind=kind, name=form.cleaned_data["name"],
                                                 unit=form.cleaned_data["unit"], by=request.user),
             lambda k: _("名前を%(name)sに変更しました。") % {"name": k.name})
    return redirect(reverse("dispatch:tool_history", kwargs={"centre": centre.slug, "kind": kind.pk}))


@require_POST
@centre_view(Cap.DISPATCH)
def tool_retire(request, centre, kind):
    kind = get_object_or_404(EquipmentKind, pk=kind, centre=centre)
    if request.POST.get("reinstate"):
        _act(request, lambda: ledger.reinstate_kind(kind=kind, by=request.user),
             lambda k: _("%(name)sを再び貸し出せるようにしました。") % {"name": k.name})
    else:
        _act(request, lambda: ledger.retire_kind(kind=kind, by=request.user),
             lambda k: _("%(name)sの使用を終了しました（履歴は残ります）。") % {"name": k.name})
    return redirect(_tools_url(centre, f"#kind-{kind.pk}"))


@require_POST
@centre_view(Cap.DISPATCH)
def tool_move(request, centre, kind):
    kind = get_object_or_404(EquipmentKind, pk=kind, centre=centre)
    form = MovementForm(request.POST, reasons=EquipmentMovement.Reason.choices)
    if not form.is_valid():
        messages.error(request, _("理由と数量（1〜100000）を入力してください。"))
        return redirect(_tools_url(centre, f"#kind-{kind.pk}"))
    data = form.cleaned_data
    _act(request, lambda: ledger.record_movement(kind=kind, reason=data["reason"], quantity=data["quantity"],
                                                 note=data["note"], by=request.user),
         lambda m: _("%(name)sの%(reason)s（%(n)d）を記録しました。")
         % {"name": kind.name, "reason": m.get_reason_display(), "n": abs(m.delta)})
    return redirect(_tools_url(centre, f"#kind-{kind.pk}"))


@require_POST
@centre_view(Cap.DISPATCH)
def consumable_add(request, centre):
    form = ToolKindForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("名前と数量を確かめてください（数量は0〜100000）。"))
        return redirect(_tools_url(centre, "#consumables"))
    data = form.cleaned_data
    _act(request, lambda: consumables.add_consumable(centre=centre, name=data["name"], unit=data["unit"],
                                                     quantity=data["quantity"] or 0, by=request.user),
         lambda item: _("%(name)sを登録しました。") % {"name": item.name})
    return redirect(_tools_url(centre, "#consumables"))


@require_POST
@centre_view(Cap.DISPATCH)
def consumable_count(request, centre, item):
    """Counted in (受入) or written off (廃棄)."""
    item = get_object_or_404(Consumable, pk=item, centre=centre)
    form = MovementForm(request.POST, reasons=CONSUMABLE_REASONS)
    if not form.is_valid():
        messages.error(request, _("理由と数量（1〜100000）を入力してください。"))
        return redirect(_tools_url(centre, "#consumables"))
    data = form.cleaned_data
    service = consumables.receive if data["reason"] == ConsumableMovement.Reason.RECEIVED else consumables.write_off
    _act(request, lambda: service(item=item, quantity=data["quantity"], note=data["note"], by=request.user),
         lambda m: _("%(name)sの%(reason)s（%(n)d）を記録しました。")
         % {"name": item.name, "reason": m.get_reason_display(), "n": abs(m.delta)})
    return redirect(_tools_url(centre, "#consumables"))


@require_POST
@centre_view(Cap.DISPATCH)
def consumable_hand_out(request, centre, item):
    item = get_object_or_404(Consumable, pk=item, centre=centre)
    teams, chosen = Team.objects.filter(centre=centre), request.POST.get("team", "")
    form = HandOutForm(request.POST, teams=teams.filter(pk=chosen) if chosen.isdigit() else ())
    if not form.is_valid():
        messages.error(request, _("数量（1〜100000）と日付を確かめてください。"))
        return redirect(_tools_url(centre, "#consumables"))
    data = form.cleaned_data
    team = teams.filter(pk=data["team"]).first() if data["team"] else None
    _act(request, lambda: consumables.hand_out(item=item, quantity=data["quantity"], team=team, on=data["on"],
                                               note=data["note"], by=request.user),
         lambda m: _("%(name)sを%(n)d配布しました（%(to)s）。")
         % {"name": item.name, "n": -m.delta, "to": team.label if team else _("受付で配布")})
    return redirect(_tools_url(centre, "#consumables"))


@require_POST
@centre_view(Cap.DISPATCH)
def team_hand_out(request, centre, team):
    """The teams page's row: consumables handed to this team today (drinks, masks for the site)."""
    team = get_object_or_404(Team, pk=team, centre=centre)
    item = get_object_or_404(Consumable, pk=request.POST.get("item") if str(request.POST.get("item", "")).isdigit()
                             else None, centre=centre)
    try:
        quantity = int(request.POST.get("quantity", ""))
    except ValueError:
        quantity = None
    _act(request, lambda: consumables.hand_out(item=item, quantity=quantity, team=team, by=request.user),
         lambda m: _("%(name)sを%(n)d配布しました（%(to)s）。") % {"name": item.name, "n": -m.delta, "to": team.label})
    return redirect(reverse("dispatch:teams", kwargs={"centre": centre.slug}))


@centre_view(Cap.VIEW_REPORTS)
def tool_item_label(request, centre, code):
    """A numbered tool's label scanned by an ordinary phone camera: its kind's page (the desks read it, see
    ops.desk.codes)."""
    item = get_object_or_404(EquipmentItem.objects.select_related("kind"), kind__centre=centre, code=code)
    return redirect("dispatch:tool_history", centre=centre.slug, kind=item.kind_id)


@centre_view(Cap.VIEW_REPORTS)
def tool_kind_label(request, centre, code):
    """A kind's label (or a bundle's, ?n=) scanned by an ordinary phone camera: the kind's page."""
    kind = get_object_or_404(EquipmentKind, centre=centre, code=code)
    return redirect("dispatch:tool_history", centre=centre.slug, kind=kind.pk)
