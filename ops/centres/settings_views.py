"""The centre settings page (/c/<centre>/settings/) and its bases and per-date capacity pages, for the centre's
administrators. Views parse and call ops.centres.services / ops.centres.bases; recruitment, notices and what to
bring keep their own page (boards:recruitment, linked from here), the 日報's recipients theirs
(reports:recipients)."""
from functools import partial

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ops.centres import bases as base_services
from ops.centres import services
from ops.centres.models import Base, CapacityDay
from ops.centres.settings_forms import (
    AlertsForm,
    BaseForm,
    CapacityDayForm,
    HoursForm,
    ProfileForm,
    TermsForm,
)
from ops.needs.services.welfare import alert_staff
from ops.permissions import Cap, centre_view
from ops.volunteers.services.capacity import places

SETTINGS = {
    "profile": (gettext_lazy("センターの情報と地図の位置"), ProfileForm, services.set_profile,
                ("name", "address", "phone", "lat", "lng")),
    "hours": (gettext_lazy("受付時間・帰着期限・日報"), HoursForm, services.set_hours,
              ("activity_start", "activity_end", "latest_return_time", "report_time")),
    "terms": (gettext_lazy("保険の案内と近隣の市町村"), TermsForm, services.set_volunteer_terms,
              ("insurance_signup_url", "neighbour_cities")),
    "alerts": (gettext_lazy("危機介入の通知先"), AlertsForm, services.set_alert_addresses, ("crisis_alert_emails",)),
}


def _save(form, save, centre, by) -> bool:
    """Run the service on a valid form; its refusal becomes the named field's error (nothing was written)."""
    if not form.is_valid():
        return False
    try:
        save(centre, by=by, **form.cleaned_data)
    except services.CentreSettingError as err:
        form.add_error(err.field if err.field in form.fields else None, err.message)
        return False
    return True


@centre_view(Cap.MANAGE_CENTRE)
def settings_page(request, centre):
    forms = {name: cls(initial={f: getattr(centre, f) for f in fields}, prefix=name)
             for name, (_title, cls, _save_fn, fields) in SETTINGS.items()}
    which = request.POST.get("form") if request.method == "POST" else None
    if which in SETTINGS:
        _title, cls, save, _fields = SETTINGS[which]
        forms[which] = cls(request.POST, prefix=which)
        if _save(forms[which], save, centre, request.user):
            messages.success(request, _("保存しました。"))
            return redirect("centre_settings", centre=centre.slug)
    return render(request, "centres/settings.html", {
        "forms": [(name, SETTINGS[name][0], form) for name, form in forms.items()],
        "alert_staff": alert_staff(centre.pk), "report_recipients": centre.recipients.filter(active=True),
        "bases": centre.bases.active(), "capacity_days": base_services.upcoming_capacity_days(centre)[:5],
    }, status=400 if which in SETTINGS else 200)


@centre_view(Cap.MANAGE_CENTRE)
def bases_page(request, centre):
    form = BaseForm(request.POST or None, initial={"kind": Base.Kind.SATELLITE, "lat": centre.lat,
                                                    "lng": centre.lng})
    if request.method == "POST" and _save(form, base_services.save_base, centre, request.user):
        messages.success(request, _("拠点を追加しました。"))
        return redirect("centre_bases", centre=centre.slug)
    return render(request, "centres/bases.html", {
        "form": form, "bases": centre.bases.all().order_by("retired_at", "kind", "id"),
    }, status=400 if request.method == "POST" else 200)


@centre_view(Cap.MANAGE_CENTRE)
def base_edit(request, centre, pk):
    base = get_object_or_404(Base, centre=centre, pk=pk)
    fields = ("name", "kind", "address", "lat", "lng", "daily_capacity")
    form = BaseForm(request.POST or None, initial={f: getattr(base, f) for f in fields})
    edit = partial(base_services.save_base, base=base)
    if request.method == "POST" and _save(form, edit, centre, request.user):
        messages.success(request, _("拠点を保存しました。"))
        return redirect("centre_bases", centre=centre.slug)
    return render(request, "centres/base_edit.html", {"form": form, "base": base},
                  status=400 if request.method == "POST" else 200)


@require_POST
@centre_view(Cap.MANAGE_CENTRE)
def base_retire(request, centre, pk):
    base = get_object_or_404(Base, centre=centre, pk=pk)
    retire = request.POST.get("action") != "restore"
    try:
        base_services.retire_base(base, retired=retire, by=request.user)
    except services.CentreSettingError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("拠点を廃止しました。") if retire else _("拠点を再開しました。"))
    return redirect("centre_bases", centre=centre.slug)


@centre_view(Cap.MANAGE_CENTRE)
def capacity_page(request, centre):
    bases = list(centre.bases.active())
    form = CapacityDayForm(request.POST or None, bases=bases, initial={"date": centre.today()})
    if request.method == "POST":
        by_pk = {b.pk: b for b in bases}

        def save(c, by, *, base, **d):
            return base_services.set_capacity_day(c, base=by_pk.get(base), by=by, day=d.pop("date"), **d)

        if _save(form, save, centre, request.user):
            messages.success(request, _("日別の受入上限を保存しました。"))
            return redirect("centre_capacity", centre=centre.slug)
    rows = [(row, places(centre, row.date, row.base)) for row in base_services.upcoming_capacity_days(centre)]
    return render(request, "centres/capacity.html", {"form": form, "rows": rows},
                  status=400 if request.method == "POST" else 200)


@require_POST
@centre_view(Cap.MANAGE_CENTRE)
def capacity_clear(request, centre, pk):
    row = get_object_or_404(CapacityDay, centre=centre, pk=pk)
    base_services.clear_capacity_day(centre, pk=row.pk, by=request.user)
    messages.success(request, _("日別の設定を解除しました（通常の受入上限に戻ります）。"))
    return redirect("centre_capacity", centre=centre.slug)
