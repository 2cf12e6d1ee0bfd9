"""The volunteer's side of the prefecture's one registration point (県の受付窓口): the disaster's page of
offered dates (/d/<disaster>/), registering there and signing in again, and from the personal page applying
for a date (with a bus) and cancelling. The services decide (ops.prefecture.services.offerings); a refusal is
shown in words on the personal page, nothing written."""
from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ops.centres.models import Disaster
from ops.prefecture.models import Application, BusDeparture, Offering
from ops.prefecture.phone import registration_point
from ops.prefecture.services import PrefectureRefused
from ops.prefecture.services.offerings import apply as apply_for
from ops.prefecture.services.offerings import cancel_application
from ops.prefecture.services.outcomes import waiting_place
from ops.volunteers.mailing import day_label
from ops.volunteers.models import Volunteer
from ops.volunteers.rules import VolunteerError
from ops.volunteers.views.phone import personal_page, registration, signing_in


def _disaster(pk) -> Disaster:
    return get_object_or_404(Disaster, pk=pk)


def point(request, disaster):
    """The disaster's one registration point: its centres, the dates offered, and where to register."""
    disaster = _disaster(disaster)
    return render(request, "prefecture/vol_point.html", {"disaster": disaster, **registration_point(disaster)})


def register(request, disaster):
    """Registering once for every centre of the disaster (each centre's rules are asked when applying)."""
    disaster = _disaster(disaster)
    return registration(request, disaster=disaster, template="prefecture/vol_register.html",
                        context={"disaster": disaster})


def signin(request, disaster):
    disaster = _disaster(disaster)
    return signing_in(request, template="prefecture/vol_signin.html", context={"disaster": disaster})


class ApplyForm(forms.Form):
    offering = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    bus = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


def _volunteer(token) -> Volunteer:
    return get_object_or_404(Volunteer.objects.select_related("group", "registered_centre"), token=token,
                             personal_data_erased_at__isnull=True)


@require_POST
def apply(request, token):
    """応募: the personal page's form of an offered date, with the bus they ride if any."""
    volunteer = _volunteer(token)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        return personal_page(request, volunteer, status=400,
                             refusal=VolunteerError(_("応募する日を選んでください。"), code="form"))
    offering = Offering.objects.select_related("centre").filter(pk=form.cleaned_data["offering"]).first()
    bus = None
    if form.cleaned_data.get("bus"):
        bus = BusDeparture.objects.filter(pk=form.cleaned_data["bus"]).first()
        if bus is None:
            return personal_page(request, volunteer, status=400,
                                 refusal=VolunteerError(_("バスが見つかりません。"), code="bus"))
    if offering is None:
        return personal_page(request, volunteer, status=400,
                             refusal=VolunteerError(_("この日の受入枠が見つかりません。"), code="offering"))
    try:
        application = apply_for(volunteer, offering, bus=bus)
    except PrefectureRefused as refused:
        return personal_page(request, volunteer, status=409,
                             refusal=VolunteerError(refused.message, code=refused.code))
    messages.success(request, applied_words(application, offering))
    return redirect("volunteers:personal", token=volunteer.token)


def applied_words(application: Application, offering: Offering) -> str:
    facts = {"centre": offering.centre.name, "day": day_label(offering.date)}
    if application.status == Application.Status.ALLOCATED:
        return _("%(centre)s %(day)s の参加が決まりました。") % facts
    if application.status == Application.Status.WAITING:
        return _("%(centre)s %(day)s はキャンセル待ち（%(n)d番目）になりました。") % {
            **facts, "n": waiting_place(application)}
    return _("%(centre)s %(day)s に応募しました。結果はメールとこのページでお知らせします。") % facts


@require_POST
def cancel(request, token, pk):
    """取消: the volunteer's own application (someone else's token finds nothing)."""
    application = get_object_or_404(Application.objects.select_related("offering__centre"), pk=pk,
                                    volunteer__token=token, volunteer__personal_data_erased_at__isnull=True)
    cancel_application(application)
    messages.success(request, _("応募を取り消しました。"))
    return redirect("volunteers:personal", token=token)
