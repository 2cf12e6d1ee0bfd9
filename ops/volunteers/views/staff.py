"""The reception desk (受付) and its lists: search and one-click check-in, walk-ins without phones, the
day's roster, the QR poster, groups and bookings. Every view needs Cap.RECEPTION at the centre."""
from datetime import date, timedelta

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ops import days
from ops.permissions import Cap, centre_view
from ops.privacy import searches
from ops.volunteers import codes, desk, selectors, services
from ops.volunteers.forms import StaffCheckInForm, WalkInForm
from ops.volunteers.models import Attendance, Group, Volunteer
from ops.volunteers.qr import absolute, qr_svg
from ops.volunteers.rules import VolunteerError, outside_scope_note, scope_refusal
from ops.volunteers.views.phone import certificate_response


def _day(request, default: date) -> date:
    """The page's ?date=, or `default` when there is none; a day that cannot be read (or is outside the years
    ops.days allows) shows `default` with a message rather than failing."""
    value = request.GET.get("date")
    if value is None:
        return default
    day = days.parse_day(value)
    if day is None:
        messages.warning(request, _("日付「%(value)s」は読み取れないため、%(day)sを表示しています（%(first)s〜%(last)sの日付で指定してください）。")
                         % {"value": value[:20], "day": default.isoformat(), "first": days.FIRST_DAY.isoformat(),
                            "last": days.LAST_DAY.isoformat()})
        return default
    return day


def _back(request, default: str) -> str:
    back = request.POST.get("back", "")
    return back if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) else default


@require_http_methods(["GET", "HEAD", "POST"])
@centre_view(Cap.RECEPTION)
def reception(request, centre):
    """Search by name, kana, phone or a scanned personal QR: the words are POSTed and kept behind ?s=<key>
    (ops.privacy.searches), never in a URL."""
    if request.method == "POST":
        return searches.redirect_to_results(request)
    today = centre.today()
    query = searches.recall(request).strip()
    results = list(selectors.search(centre, query)) if query else []
    attended = selectors.attendance_by_volunteer(centre, today, results)
    rows = [{"volunteer": v, "attendance": attended.get(v.pk)} for v in results]
    desk.meet(request, centre, results)  # a whole number or a QR may find someone this centre does not know
    if len(rows) == 1 and query and rows[0]["volunteer"].token in query:  # a scanned personal QR
        return redirect("volunteers:card", centre=centre.slug, pk=rows[0]["volunteer"].pk)
    counts = selectors.day_counts(centre, today)
    return render(request, "volunteers/reception.html", {
        "query": query, "rows": rows, "counts": counts, "head_rows": selectors.head_rows(counts), "today": today,
        "form": StaffCheckInForm(initial={"health_checked": True, "insurance_confirmed": True}),
    })


@centre_view(Cap.RECEPTION)
def counts(request, centre):
    """Today's counts for the reception page to refresh itself (a poll, no websocket needed)."""
    return JsonResponse(selectors.day_counts(centre, centre.today()))


@centre_view(Cap.RECEPTION)
def walk_in(request, centre):
    """当日受付: register someone from the paper form (phone optional) and check them in."""
    form = WalkInForm(request.POST or None, centre=centre)
    error = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("privacy", "check_in_now")}
        try:
            volunteer = services.register_volunteer(centre=centre, by=request.user, **data)
            if form.cleaned_data["check_in_now"]:
                services.check_in(volunteer, centre, on=centre.today(), via=Attendance.Via.STAFF,
                                  health=StaffCheckInForm.all_well(), insurance_confirmed=True, by=request.user)
        except VolunteerError as exc:
            error = exc
        else:
            desk.meet(request, centre, [volunteer])  # registered before, perhaps at another centre
            outside = scope_refusal(centre, prefecture=volunteer.prefecture, city=volunteer.city)
            if outside is not None:  # reception decides at the desk; the refusal's words say what the scope is
                messages.warning(request, outside_scope_note(centre, volunteer))
            if not volunteer.created:
                messages.info(request, _("登録済みの方でした（%(name)s）。同じ登録を使います。") % {"name": volunteer.name})
            if form.cleaned_data["check_in_now"]:
                messages.success(request, _("%(name)s さんを受付しました。") % {"name": volunteer.name})
            return redirect("volunteers:card", centre=centre.slug, pk=volunteer.pk)
    return render(request, "volunteers/walk_in.html", {"form": form, "error": error},
                  status=409 if error else 200)


@centre_view(Cap.RECEPTION)
def card(request, centre, pk):
    """One volunteer as reception sees them: details, today's attendance, check-in and check-out."""
    volunteer = desk.volunteer_at_desk(request, centre, pk)
    today = centre.today()
    return render(request, "volunteers/card.html", {
        "volunteer": volunteer, "attendance": selectors.attendance_today(volunteer, centre, today),
        "outside_scope": outside_scope_note(centre, volunteer)
        if not centre.within_scope(prefecture=volunteer.prefecture, city=volunteer.city) else "",
        "record": selectors.service_record(volunteer, centre), "today": today,
        "mails": selectors.mails_to(volunteer, centre),
        "form": StaffCheckInForm(initial={"health_checked": True, "insurance_confirmed": True,
                                          "head_count": volunteer.group.member_count
                                          if volunteer.is_group_leader else None}),
    })


@centre_view(Cap.RECEPTION)
@require_POST
def staff_check_in(request, centre, pk):
    volunteer = desk.volunteer_at_desk(request, centre, pk)
    form = StaffCheckInForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        attendance = services.check_in(
            volunteer, centre, on=centre.today(), via=Attendance.Via.STAFF, health=form.health(),
            insurance_confirmed=bool(data.get("insurance_confirmed")), by=request.user,
            head_count=(data.get("head_count") or 1) if volunteer.is_group_leader else 1)
    except VolunteerError as exc:
        messages.error(request, _("%(name)s さん: %(message)s") % {"name": volunteer.name, "message": exc.message})
    else:
        if attendance.created:
            messages.success(request, _("%(name)s さんを受付しました。") % {"name": volunteer.name})
        else:
            messages.info(request, _("%(name)s さんは受付済みです。") % {"name": volunteer.name})
    return redirect(_back(request, reverse("volunteers:reception", kwargs={"centre": centre.slug})))


@centre_view(Cap.RECEPTION)
@require_POST
def renew_link(request, centre, pk):
    """Reception renews a volunteer's personal link (lost phone, a link shared by mistake, a takeover
    reported): the old one stops working and the new one goes to the registered address, not to the screen."""
    volunteer = desk.volunteer_at_desk(request, centre, pk)
    services.renew_link(volunteer, centre=centre, by=request.user)
    if volunteer.email:
        messages.success(request, _("%(name)s さんの個人リンクを再発行し、登録されたメールアドレスに送りました。"
                                    "以前のリンクは使えません。") % {"name": volunteer.name})
    else:
        messages.warning(request, _("%(name)s さんの個人リンクを再発行しました。以前のリンクは使えません。"
                                    "メールアドレスの登録がないため、新しいリンクは送っていません。受付で名前か電話番号から"
                                    "受付してください。") % {"name": volunteer.name})
    return redirect("volunteers:card", centre=centre.slug, pk=volunteer.pk)


@centre_view(Cap.RECEPTION)
@require_POST
def staff_check_out(request, centre, pk):
    attendance = get_object_or_404(Attendance.objects.select_related("volunteer"), pk=pk, centre=centre)
    try:
        services.check_out(attendance, by=request.user)
        messages.success(request, _("%(name)s さんの活動終了を記録しました。") % {"name": attendance.volunteer.name})
    except VolunteerError as exc:
        messages.error(request, exc.message)
    return redirect(_back(request, reverse("volunteers:roster", kwargs={"centre": centre.slug})))


@centre_view(Cap.RECEPTION)
def roster(request, centre):
    day = _day(request, centre.today())
    counts = selectors.day_counts(centre, day)
    return render(request, "volunteers/roster.html", {
        "day": day, "rows": selectors.roster(centre, day), "head_rows": selectors.head_rows(counts),
        "prev": days.add(day, -1), "next": days.add(day, 1),
    })


@centre_view(Cap.RECEPTION)
def poster(request, centre):
    """The day's check-in QR, to print and put up at the entrance (and at each satellite)."""
    day = _day(request, centre.today())
    bases = list(centre.bases.active())
    base = next((b for b in bases if str(b.pk) == request.GET.get("base")), None)
    url = absolute(reverse("volunteers:checkin", kwargs={"centre": centre.slug, "code": codes.daily_code(centre, day)}))
    if base is not None:
        url += f"?base={base.pk}"
    return render(request, "volunteers/poster.html", {
        "day": day, "url": url, "qr": qr_svg(url, css_class="qr poster-qr"), "bases": bases, "base": base,
        "tomorrow": centre.today() + timedelta(days=1),
    })


@centre_view(Cap.RECEPTION)
def groups(request, centre):
    rows = Group.objects.filter(centre=centre).select_related("leader").order_by("-created_at")
    return render(request, "volunteers/groups.html", {"groups": rows})


@centre_view(Cap.RECEPTION)
def bookings(request, centre):
    day = _day(request, centre.today() + timedelta(days=1))
    return render(request, "volunteers/bookings.html", {
        "day": day, "bookings": selectors.bookings_on(centre, day), "places": services.places(centre, day),
        "prev": days.add(day, -1), "next": days.add(day, 1),
    })


@centre_view(Cap.RECEPTION)
def staff_certificate(request, centre, pk):
    volunteer = get_object_or_404(Volunteer, pk=pk, personal_data_erased_at__isnull=True)
    return certificate_response(volunteer, centre)
