"""The prefecture staff's offerings (受入枠): the disaster's list with its counts, opening one, and one
offering's page with the allocation (割当), how it was decided and the outcome mails' delivery. Volunteers'
names are never shown here (they stay at the centre's reception): counts only."""
import secrets
from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ops.messages.models import OutboundMail
from ops.permissions import prefecture_view
from ops.prefecture.forms import OfferingCallForm, OfferingForm, centres_of, refused
from ops.prefecture.models import Application, BusDeparture, Offering
from ops.prefecture.services import PrefectureRefused
from ops.prefecture.services.allocation import allocate
from ops.prefecture.services.offerings import open_offering
from ops.prefecture.services.outcomes import how_decided
from ops.volunteers.models import RecruitmentCall
from ops.volunteers.rules import VolunteerError
from ops.volunteers.services import calls as call_service
from ops.volunteers.services.capacity import places

HELP_DAYS = 7  # the places-left table under the form: the coming week


@prefecture_view
def offering_list(request, disaster):
    form = OfferingForm(disaster=disaster)
    status = 200
    if request.method == "POST":
        form = OfferingForm(request.POST, disaster=disaster)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                offering = open_offering(data["centre"], on=data["date"], places_n=data["places"],
                                         method=data["method"], closes_at=data["closes_at"], note=data["note"],
                                         by=request.user)
            except PrefectureRefused as err:
                refused(form, err)
            else:
                messages.success(request, _("受入枠を開きました。"))
                return redirect("pref_ops:offering_detail", disaster=disaster.pk, pk=offering.pk)
    offerings = (Offering.objects.of_disaster(disaster).with_counts().select_related("centre")
                 .order_by("-date", "centre__name"))
    return render(request, "prefecture/offerings.html", {
        "disaster": disaster, "form": form, "offerings": offerings, "room": places_left(disaster),
    }, status=status)


def places_left(disaster) -> dict:
    """{"days": [...], "rows": [(centre, [places left or None when closed, ...])]} for the coming week."""
    centres = list(centres_of(disaster))
    if not centres:
        return {"days": [], "rows": []}
    first = min(c.today() for c in centres) + timedelta(days=1)
    days = [first + timedelta(days=n) for n in range(HELP_DAYS)]
    rows = []
    for centre in centres:
        row = []
        for day in days:
            room = places(centre, day)
            row.append(None if room.closed else room.left)
        rows.append((centre, row))
    return {"days": days, "rows": rows}


@prefecture_view
def offering_detail(request, disaster, pk, *, call_form=None, status=200):
    offering = get_object_or_404(Offering.objects.of_disaster(disaster).with_counts().select_related("centre"),
                                 pk=pk)
    buses = (BusDeparture.objects.filter(centre_id=offering.centre_id, date=offering.date).with_riders()
             .annotate(asked_n=Count("applications", filter=~_cancelled())))
    calling = offering.status == Offering.Status.OPEN
    return render(request, "prefecture/offerings_detail.html", {
        "disaster": disaster, "offering": offering, "buses": buses,
        "decided": how_decided(offering) if offering.allocated_by_method else "",
        "mails": delivery(offering), "room": places(offering.centre, offering.date),
        "call_form": (call_form or OfferingCallForm(initial={"nonce": secrets.token_urlsafe(24)})) if calling else None,
        "reach": len(call_service.recipients(offering.centre, [offering.date])) if calling else None,
        "calls": calls_for(offering),
    }, status=status)


def calls_for(offering: Offering) -> list[dict]:
    """The recruitment calls of the offering's centre that named its date, with their mails by state."""
    made = [c for c in RecruitmentCall.objects.filter(centre_id=offering.centre_id).order_by("-created_at")[:20]
            if offering.date in c.dates]
    states, labels = call_service.delivery_by_call(made), dict(OutboundMail.State.choices)
    return [{"call": c, "states": [(labels.get(state, state), n) for state, n in states[c.pk].items()]}
            for c in made]


@require_POST
@prefecture_view
def offering_call(request, disaster, pk):
    """Send the centre's 募集のお知らせ for the offered date (apply from your page): once per form (nonce)."""
    offering = get_object_or_404(Offering.objects.of_disaster(disaster).select_related("centre"), pk=pk,
                                 status=Offering.Status.OPEN)
    form = OfferingCallForm(request.POST)
    if form.is_valid():
        try:
            call, created = call_service.make_call(offering.centre, days=[offering.date],
                                                   message=form.cleaned_data["message"], by=request.user,
                                                   nonce=form.cleaned_data["nonce"])
        except VolunteerError as exc:
            form.add_error("message" if exc.code == "message" else None, exc.message)
        else:
            if created:
                messages.success(request, _("募集のお知らせを%(n)d人に送ります。") % {"n": call.recipients_count})
            return redirect("pref_ops:offering_detail", disaster=disaster.pk, pk=offering.pk)
    return offering_detail.__wrapped__(request, disaster, pk, call_form=form, status=400)


def _cancelled():
    return Q(applications__status=Application.Status.CANCELLED)


def delivery(offering: Offering) -> list[tuple[str, int]]:
    """The outcome mails of the offering by delivery state: [(state's label, mails)], one query."""
    labels = dict(OutboundMail.State.choices)
    rows = (OutboundMail.objects.filter(kind=OutboundMail.Kind.ALLOCATION, triggered_by=f"offering:{offering.pk}")
            .values("state").annotate(n=Count("id")).order_by("state"))
    return [(labels.get(row["state"], row["state"]), row["n"]) for row in rows]


@require_POST
@prefecture_view
def offering_allocate(request, disaster, pk):
    offering = get_object_or_404(Offering.objects.of_disaster(disaster), pk=pk)
    result = allocate(offering.pk, by=request.user)
    if result.already:
        messages.info(request, _("この受入枠はすでに割り当てました。何も変えていません。"))
    else:
        messages.success(request, _("割り当てました：参加決定 %(a)d人、キャンセル待ち %(w)d人。結果はメールでお知らせします。")
                         % {"a": result.allocated, "w": result.waiting})
    return redirect("pref_ops:offering_detail", disaster=disaster.pk, pk=offering.pk)


@prefecture_view
def offering_draw_record(request, disaster, pk):
    """抽選の記録 (CSV): the allocation's input in arrival order, the order it used (re-computed from the seed
    for a draw) and whether each matches the rank written. Ids only."""
    from ops.prefecture import draw_record

    offering = get_object_or_404(Offering.objects.of_disaster(disaster).select_related("centre"), pk=pk,
                                 allocated_at__isnull=False)
    return draw_record.csv_response(offering)
