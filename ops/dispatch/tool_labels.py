"""資機材のQRラベル: printable A4 sheets of tool labels (QR + name + number or count + centre), and the small form
that numbers a kind's items or retires one. The labels carry ops.desk.codes' codes: the tool desk reads them
(ops.desk.services.tools); an ordinary phone camera opens the kind's page. Thin: parse, call ledger, answer."""
import segno
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ops.desk import codes
from ops.dispatch.errors import DispatchError
from ops.dispatch.models import EquipmentItem, EquipmentKind
from ops.dispatch.services import ledger
from ops.permissions import Cap, centre_view

MAX_LABELS = 420  # twenty A4 sheets of 21


def _number(value, default, most):
    try:
        value = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(value, 1), most)


def _qr(text) -> str:
    return mark_safe(segno.make(text, error="m").svg_inline(scale=3, dark="#000", border=2))  # noqa: S308


@centre_view(Cap.DISPATCH)
def tool_labels(request, centre):
    """?kind=<pk>: that kind (else every kind in use); ?n=5: labels of a bundle of five (×5) instead of the
    numbered items' labels; ?copies=: how many of those bundle labels."""
    kinds = EquipmentKind.objects.filter(centre=centre).lendable().order_by("name")
    kind = kinds.filter(pk=_number(request.GET.get("kind"), 0, 2**31 - 1)).first()
    bundle = _number(request.GET.get("n"), 0, codes.MAX_BUNDLE) if request.GET.get("n") else 0
    copies = _number(request.GET.get("copies"), 1, MAX_LABELS)
    labels = []
    if bundle and kind is not None:
        code = codes.kind_code(kind, bundle)
        qr = _qr(code)
        labels = [{"name": kind.name, "count": bundle, "unit": kind.unit, "qr": qr}] * copies
    else:
        items = (EquipmentItem.objects.filter(kind__in=[kind] if kind else kinds, retired_at__isnull=True)
                 .select_related("kind", "kind__centre").order_by("kind__name", "number")[:MAX_LABELS])
        labels = [{"name": item.kind.name, "number": item.number, "qr": _qr(codes.item_code(item))} for item in items]
    return render(request, "dispatch/tool_labels.html", {
        "kinds": kinds, "kind": kind, "bundle": bundle, "copies": copies, "labels": labels,
    })


@require_POST
@centre_view(Cap.DISPATCH)
def tool_items(request, centre, kind):
    """Number more items of a kind (count=), or retire one (retire=<number>)."""
    kind = get_object_or_404(EquipmentKind, pk=kind, centre=centre)
    back = reverse("dispatch:tools", kwargs={"centre": centre.slug}) + f"#kind-{kind.pk}"
    try:
        if "retire" in request.POST:
            item = get_object_or_404(EquipmentItem, kind=kind, number=_number(request.POST["retire"], 0, 32767))
            ledger.retire_item(item=item, by=request.user)
            messages.success(request, _("%(item)sの使用を終了しました。") % {"item": item})
        else:
            items = ledger.add_items(kind=kind, count=request.POST.get("count"), by=request.user)
            messages.success(request, _("%(name)sに番号 %(first)d〜%(last)d を付けました。ラベルを印刷してください。")
                             % {"name": kind.name, "first": items[0].number, "last": items[-1].number})
            return redirect(reverse("dispatch:tool_labels", kwargs={"centre": centre.slug}) + f"?kind={kind.pk}")
    except DispatchError as err:
        messages.error(request, err.message)
    return redirect(back)
