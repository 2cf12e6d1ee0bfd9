"""/c/<centre>/suspension/: stop the day's activity (活動中止) for the whole day or from an hour, and lift it.
Coordinators and administrators (Cap.DISPATCH): whoever directs the field that day must be able to call the
teams back the moment the heat alert or the rain comes, without waiting for the centre's administrator."""
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ops.centres import suspension as service
from ops.centres.models import Suspension
from ops.permissions import Cap, centre_view
from ops.volunteers.models import Booking

WHOLE_DAY, FROM_TIME = "whole_day", "from_time"


class SuspensionForm(forms.Form):
    day = forms.TypedChoiceField(label=gettext_lazy("日付"), coerce=lambda v: v)
    span = forms.ChoiceField(label=gettext_lazy("中止する範囲"), widget=forms.RadioSelect, initial=FROM_TIME,
                             choices=[(FROM_TIME, gettext_lazy("時刻から（午後など）")), (WHOLE_DAY, gettext_lazy("終日"))])
    starts_at = forms.TimeField(label=gettext_lazy("中止する時刻"), required=False,
                                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    reason = forms.ChoiceField(label=gettext_lazy("理由"), choices=Suspension.Reason.choices)
    note = forms.CharField(label=gettext_lazy("お知らせ（公開ボード・送り出し票・メールに載ります）"), required=False,
                           max_length=service.NOTE_MAX, widget=forms.TextInput(
                               attrs={"placeholder": gettext_lazy("例：熱中症警戒アラートが発表されたため")}))

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        today = centre.today()
        self.days = {(today + timedelta(days=n)).isoformat(): today + timedelta(days=n)
                     for n in range(service.DAYS_AHEAD + 1)}
        self.fields["day"].choices = [
            (iso, (_("今日") + " " if day == today else "") + date_format(day, "n/j (D)"))
            for iso, day in self.days.items()]
        self.fields["day"].initial = today.isoformat()

    def clean(self):
        data = super().clean()
        if data.get("span") == FROM_TIME and data.get("starts_at") is None and "starts_at" not in self.errors:
            self.add_error("starts_at", _("中止する時刻を入力してください（終日の場合は「終日」を選んでください）。"))
        if data.get("span") == WHOLE_DAY:
            data["starts_at"] = None
        if data.get("day") in self.days:
            data["day"] = self.days[data["day"]]
        return data


@centre_view(Cap.DISPATCH)
def suspension_page(request, centre):
    form = SuspensionForm(centre=centre)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "lift":
        return _lift(request, centre)
    if request.method == "POST":
        form = SuspensionForm(request.POST, centre=centre)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = service.suspend(centre, day=data["day"], starts_at=data["starts_at"], reason=data["reason"],
                                       note=data["note"], by=request.user)
            except service.SuspensionError as err:
                form.add_error(err.field if err.field in form.fields else None, err.message)
            else:
                messages.success(request, _mailed_message(_("活動中止を登録しました。公開ボードと送り出し票に表示しています。"), done))
                return redirect("centre_suspension", centre=centre.slug)
    today = centre.today()
    active = list(Suspension.objects.active().filter(centre=centre, date__gte=today))
    for suspension in active:
        suspension.when = suspension.when_label()
        suspension.in_force = suspension.in_force_at(centre.now())
        suspension.bookings = Booking.objects.on(centre, suspension.date).count()
    past = (Suspension.objects.filter(centre=centre).exclude(pk__in=[s.pk for s in active])
            .select_related("lifted_by", "created_by").order_by("-date", "-created_at")[:10])
    return render(request, "centres/suspension.html", {"form": form, "active": active, "past": past,
                                                       "today": today}, status=status)


def _lift(request, centre):
    suspension = Suspension.objects.filter(centre=centre, pk=_int(request.POST.get("suspension"))).first()
    if suspension is None:
        messages.error(request, _("その活動中止は見つかりません。"))
        return redirect("centre_suspension", centre=centre.slug)
    try:
        done = service.lift(suspension, by=request.user)
    except service.SuspensionError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _mailed_message(_("活動中止を解除しました。"), done))
    return redirect("centre_suspension", centre=centre.slug)


def _mailed_message(text: str, done: Suspension) -> str:
    text += " " + _("予約者へのメール: %(n)d通") % {"n": done.mailed}
    if done.without_mail:
        text += " " + _("（メールアドレスのない予約が%(n)d件あります。電話でお知らせください）") % {"n": done.without_mail}
    return text


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
