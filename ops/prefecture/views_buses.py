"""ボランティアバス: the prefecture staff's list of the disaster's buses (adding one), a bus's page (its
running status, which mails every rider once), and the boarding roster (乗車名簿) on a printable page and as
XLSX/CSV; the centre's reception reads the same roster of the buses coming to it."""
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ops.messages.models import OutboundMail
from ops.permissions import Cap, centre_view, prefecture_view
from ops.prefecture import roster
from ops.prefecture.forms import BusForm, BusStatusForm, refused
from ops.prefecture.models import BusDeparture
from ops.prefecture.services import PrefectureRefused
from ops.prefecture.services.buses import add_bus, change_bus


@prefecture_view
def bus_list(request, disaster):
    form = BusForm(disaster=disaster)
    status = 200
    if request.method == "POST":
        form = BusForm(request.POST, disaster=disaster)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                bus = add_bus(data["centre"], on=data["date"], hub=data["hub"], departs_at=data["departs_at"],
                              seats=data["seats"], operator=data["operator"], by=request.user)
            except PrefectureRefused as err:
                refused(form, err)
            else:
                messages.success(request, _("バスを登録しました。"))
                return redirect("pref_ops:bus_detail", disaster=disaster.pk, pk=bus.pk)
    buses = (BusDeparture.objects.filter(centre__disaster=disaster).with_riders().select_related("centre")
             .order_by("-date", "departs_at", "pk"))
    return render(request, "prefecture/buses.html", {"disaster": disaster, "form": form, "buses": buses},
                  status=status)


def _bus_of(disaster, pk) -> BusDeparture:
    return get_object_or_404(BusDeparture.objects.filter(centre__disaster=disaster).with_riders()
                             .select_related("centre"), pk=pk)


@prefecture_view
def bus_detail(request, disaster, pk):
    bus = _bus_of(disaster, pk)
    form = BusStatusForm(initial={"status": bus.status, "delay_minutes": bus.delay_minutes or None,
                                  "note": bus.status_note, "version": bus.version})
    status = 200
    if request.method == "POST":
        form = BusStatusForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                bus, mailed = change_bus(bus, status=data["status"], version=data["version"],
                                         delay_minutes=data["delay_minutes"] or 0, note=data["note"],
                                         by=request.user)
            except PrefectureRefused as err:
                if err.code == "stale":
                    messages.error(request, err.message)
                    return redirect("pref_ops:bus_detail", disaster=disaster.pk, pk=pk)
                refused(form, err)
            else:
                messages.success(request, _("運行状況を変更しました。乗車する %(n)d人にメールでお知らせします。")
                                 % {"n": mailed})
                return redirect("pref_ops:bus_detail", disaster=disaster.pk, pk=pk)
    return render(request, "prefecture/bus_detail.html", {"disaster": disaster, "bus": bus, "form": form,
                                                         "mails": notices(bus)}, status=status)


def notices(bus: BusDeparture) -> list[tuple[str, int]]:
    """The bus's notices to riders (every change so far) by delivery state: [(state's label, mails)]."""
    labels = dict(OutboundMail.State.choices)
    rows = (OutboundMail.objects.filter(kind=OutboundMail.Kind.BUS_NOTICE, triggered_by__startswith=f"bus:{bus.pk}:")
            .values("state").annotate(n=Count("id")).order_by("state"))
    return [(labels.get(row["state"], row["state"]), row["n"]) for row in rows]


@prefecture_view
def bus_roster(request, disaster, pk, fmt="html"):
    bus = _bus_of(disaster, pk)
    links = {"html": reverse("pref_ops:bus_roster", kwargs={"disaster": disaster.pk, "pk": bus.pk}),
             "xlsx": reverse("pref_ops:bus_roster_xlsx", kwargs={"disaster": disaster.pk, "pk": bus.pk}),
             "csv": reverse("pref_ops:bus_roster_csv", kwargs={"disaster": disaster.pk, "pk": bus.pk}),
             "back": reverse("pref_ops:bus_detail", kwargs={"disaster": disaster.pk, "pk": bus.pk})}
    return _roster(request, bus, fmt, links)


@centre_view(Cap.RECEPTION)
def centre_buses(request, centre):
    """Reception's list: today's and the coming buses to the centre, with how many ride and have checked in."""
    buses = list(BusDeparture.objects.filter(centre=centre, date__gte=centre.today()).with_riders()
                 .order_by("date", "departs_at", "pk"))
    for bus in buses:
        bus.rode_n = roster.riders_of(bus).filter(rode=True).count() if bus.date == centre.today() else None
    return render(request, "prefecture/buses_centre.html", {"buses": buses, "today": centre.today()})


@centre_view(Cap.RECEPTION)
def centre_buses_roster(request, centre, pk, fmt="html"):
    bus = get_object_or_404(BusDeparture.objects.filter(centre=centre).with_riders().select_related("centre"), pk=pk)
    links = {name: reverse(f"pref_ops:centre_buses_roster{suffix}", kwargs={"centre": centre.slug, "pk": bus.pk})
             for name, suffix in (("html", ""), ("xlsx", "_xlsx"), ("csv", "_csv"))}
    links["back"] = reverse("pref_ops:centre_buses", kwargs={"centre": centre.slug})
    return _roster(request, bus, fmt, links)


def _roster(request, bus: BusDeparture, fmt: str, links: dict):
    rows = roster.read(bus, by=request.user, how=fmt)
    if fmt == "xlsx":
        return roster.xlsx_response(bus, rows)
    if fmt == "csv":
        return roster.csv_response(bus, rows)
    response = render(request, "prefecture/roster.html", {
        "bus": bus, "rows": rows, "links": links, "rode_n": sum(1 for r in rows if r["rode"]),
    })
    response["Cache-Control"] = "no-store"
    return response
