"""The volunteer's own pages, on their phone: register, personal page and link, the poster's check-in,
check-out, bookings, the activity certificate, group registration. No login: the personal token is the key,
so it is only ever shown to the phone that opened it; anyone else who types a registered person's details
gets a page saying the link went to that person's registered address (ops.volunteers.services.links)."""
from datetime import timedelta
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvc.client_address import client_address
from ops import permissions
from ops.centres.models import Base, Centre
from ops.desk.services import roles as desk_roles
from ops.offline import keys
from ops.permissions import Cap
from ops.prefecture.models import Offering
from ops.volunteers import codes, desk, identity, linkrate, selectors, services
from ops.volunteers.arrival import arrival
from ops.volunteers.certificate import render_certificate
from ops.volunteers.forms import (
    BookingForm,
    CallPreferencesForm,
    CheckInForm,
    GroupForm,
    RegistrationForm,
    SignInForm,
)
from ops.volunteers.models import Attendance, Booking, Group, Volunteer
from ops.volunteers.qr import absolute, qr_svg
from ops.volunteers.rules import VolunteerError
from ops.volunteers.services import AlreadyRegistered
from ops.volunteers.services.calls import set_call_preferences


def _centre(slug) -> Centre:
    return get_object_or_404(Centre.objects.select_related("disaster"), slug=slug)


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return default


def _signed_in(response, volunteer):
    identity.remember(response, volunteer)
    return response


def register(request, centre):
    """Pre-registration (事前登録) or on-the-spot registration from the check-in page."""
    centre = _centre(centre)
    return registration(request, centre=centre, template="volunteers/register.html", context={"vc": centre})


def registration(request, *, centre=None, disaster=None, template: str, context: dict):
    """The registration form's flow: at a centre (its rules asked now), or at the prefecture's one registration
    point of a disaster (ops.prefecture.views_volunteer: each centre's rules are asked when applying there)."""
    form = RegistrationForm(request.POST or None, centre=centre)
    error = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "privacy"}
        try:
            volunteer = services.register_volunteer(centre=centre, disaster=disaster,
                                                    as_volunteer=identity.volunteer_of(request), **data)
        except AlreadyRegistered as known:
            return _link_mailed(request, centre, known.volunteer, phone=data["phone"], why="register",
                                context=context)
        except VolunteerError as exc:
            error = exc
        else:
            if volunteer.created:
                services.mail_personal_link(volunteer, centre, disaster=disaster)
                messages.success(request, _("登録しました。このページをブックマークしてください。"))
            else:
                messages.info(request, _("以前にご登録いただいています。登録内容を更新しました。"))
            target = _next_url(request, reverse("volunteers:personal", kwargs={"token": volunteer.token}))
            return _signed_in(redirect(target), volunteer)
    return render(request, template, {**context, "form": form, "error": error, "next": _next_url(request, "")},
                  status=409 if error else 200)


def signin(request, centre):
    centre = _centre(centre)
    return signing_in(request, centre=centre, template="volunteers/signin.html", context={"vc": centre})


def signing_in(request, *, centre=None, template: str, context: dict):
    """A phone that lost its personal link: the registered phone number and kana find the volunteer, and
    their link goes to the address they registered. The page says the same whether anyone was found, so it
    tells a guesser nothing; tries are limited per phone number and per address."""
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refusal = linkrate.try_link(phone=form.cleaned_data["phone"], address=client_address(request))
        if refusal is not None:
            return _too_many(request, context, refusal)
        volunteer = services.find_returning(name="", kana=form.cleaned_data["kana"], phone=form.cleaned_data["phone"])
        if volunteer is not None:
            services.mail_link_on_record(volunteer, centre=centre, why="signin")
        return render(request, "volunteers/link_mailed.html", {**context, "why": "signin"})
    return render(request, template, {**context, "form": form, "next": _next_url(request, "")})


def _link_mailed(request, centre, volunteer, *, phone: str, why: str, context: dict):
    """A registration matched someone already registered: their link goes to their registered address (the
    page does not say which), counted against the same limits as sign-in."""
    refusal = linkrate.try_link(phone=volunteer.phone or phone, address=client_address(request))
    if refusal is not None:
        return _too_many(request, context, refusal)
    services.mail_link_on_record(volunteer, centre=centre, why="register")
    return render(request, "volunteers/link_mailed.html", {**context, "why": why})


def _too_many(request, context, refusal):
    minutes = max(1, (refusal.retry_after + 59) // 60)
    response = render(request, "volunteers/link_mailed.html", {**context, "why": "limited", "minutes": minutes},
                      status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return response


@require_POST
def renew(request, token):
    """The volunteer renews their own link (lost phone, shared by mistake): the old link, its QR and every
    phone holding it stop working; this phone is signed in with the new one."""
    volunteer = get_object_or_404(Volunteer, token=token, personal_data_erased_at__isnull=True)
    services.renew_link(volunteer)
    messages.success(request, _("新しい個人リンクを発行しました。以前のリンクとQRコードは使えません。"
                                "ブックマークを更新してください。"))
    return _signed_in(redirect("volunteers:personal", token=volunteer.token), volunteer)


def personal(request, token):
    """The personal page: their QR for staff, their link, today's check-ins, bookings, certificates.
    Opening it signs this phone in; a receptionist opening it (scanning the QR) gets the staff card."""
    volunteer = get_object_or_404(Volunteer.objects.select_related("group", "registered_centre"), token=token,
                                  personal_data_erased_at__isnull=True)
    staff_centres = [c for c in permissions.centres_for(request.user) if permissions.can(request.user, c, Cap.RECEPTION)]
    if staff_centres:
        for centre in staff_centres:  # a receptionist scanned the volunteer's own QR: they are at the desk
            desk.meet(request, centre, [volunteer])
        if len(staff_centres) == 1:
            return redirect("volunteers:card", centre=staff_centres[0].slug, pk=volunteer.pk)
        return render(request, "volunteers/personal_staff.html", {"volunteer": volunteer, "centres": staff_centres})
    response = personal_page(request, volunteer)
    if request.method == "GET":  # their own page: the phone may keep it for a week (ops.offline)
        keys.keep_offline(response, timezone.now() + keys.KEEP_OWN_PAGE)
    return response


@require_POST
def forget(request, token):
    """この端末から記録を消す: the phone forgets who holds it (the identity cookie) and, by Clear-Site-Data and
    the page's script, what it kept offline (pages, the outbox, drafts). The volunteer and their link stay:
    the link opens the personal page again on any phone."""
    get_object_or_404(Volunteer, token=token, personal_data_erased_at__isnull=True)
    response = render(request, "volunteers/forgotten.html", {})
    identity.forget(response)
    keys.clear_phone(response)
    response["Cache-Control"] = "no-store"
    return response


def personal_page(request, volunteer, *, refusal=None, status: int = 200):
    """The volunteer's own page (also with an application's refusal, ops.prefecture.views_volunteer.apply)."""
    from ops.prefecture.phone import personal_section

    link = absolute(reverse("volunteers:personal", kwargs={"token": volunteer.token}))
    today_rows = (Attendance.objects.filter(volunteer=volunteer).select_related("centre__disaster")
                  .order_by("-date")[:5])
    todays = [a for a in today_rows if a.date == a.centre.today()]
    for a in todays:  # a desk staff gave them for the day (ops.desk): its link, while the role is in force
        a.desks = desk_roles.in_force_for(a)
    # A place the prefecture gave is listed with its application (ops.prefecture.phone), cancelled there.
    bookings = (Booking.objects.filter(volunteer=volunteer, cancelled_at__isnull=True, application__isnull=True)
                .select_related("centre__disaster", "base").order_by("date"))
    upcoming = [b for b in bookings if b.date > b.centre.today()]
    response = render(request, "volunteers/personal.html", {
        "volunteer": volunteer, "link": link, "qr": qr_svg(link), "todays": todays, "upcoming": upcoming,
        "served": selectors.centres_served(volunteer), "home_centre": volunteer.registered_centre,
        "calls_form": CallPreferencesForm(initial={"wants_calls": volunteer.wants_calls,
                                                   "available_weekdays": volunteer.available_weekdays}),
        "prefecture": personal_section(volunteer), "refusal": refusal,
    }, status=status)
    return _signed_in(response, volunteer)


def checkin(request, centre, code):
    """The poster's QR lands here: today's code for this centre, then the health check and insurance.
    The 8:30 queue's page: one query finds the centre, the phone's volunteer and their day (ops.volunteers.arrival)."""
    found = arrival(centre, identity.token_of(request))
    if found is None:
        raise Http404
    centre, today, volunteer = found.centre, found.day, found.volunteer
    if not codes.is_valid(centre, code, today):
        made_for = codes.day_of_code(centre, code, today)
        return render(request, "volunteers/checkin_refused.html",
                      {"vc": centre, "made_for": made_for, "today": today}, status=400)
    here = request.get_full_path()
    if volunteer is None:
        return render(request, "volunteers/checkin_who.html", {"vc": centre, "next": here})
    base = _base(centre, request.GET.get("base"))
    error = None
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                attendance = services.check_in(
                    volunteer, centre, on=today, via=Attendance.Via.PHONE, health=form.health(),
                    insurance_confirmed=form.cleaned_data["insurance_confirmed"],
                    insurance=form.cleaned_data.get("insurance") or None, base=base,
                    head_count=(form.cleaned_data.get("head_count") or 1) if volunteer.is_group_leader else 1,
                    seen=found)
            except VolunteerError as exc:
                error = exc
            else:
                if attendance.created:
                    return _see_other(here)
                return _done(request, centre, volunteer, attendance)  # a double tap or a retry
    else:
        if found.attendance is not None:
            return _done(request, centre, volunteer, found.attendance)
        form = CheckInForm(initial={"insurance": volunteer.insurance, "head_count": _group_size(volunteer)})
    return render(request, "volunteers/checkin.html", {
        "vc": centre, "volunteer": volunteer, "form": form, "error": error, "base": base,
        "is_leader": volunteer.is_group_leader,
    }, status=409 if error else 200)


def _done(request, centre, volunteer, attendance):
    return render(request, "volunteers/checkin_done.html",
                  {"vc": centre, "volunteer": volunteer, "attendance": attendance})


def _see_other(url):
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


def _base(centre, value) -> Base | None:
    if not value or not str(value).isdigit():
        return None
    return Base.objects.active().filter(centre=centre, pk=int(value)).first()


def _group_size(volunteer) -> int | None:
    return volunteer.group.member_count if volunteer.is_group_leader else None


@require_POST
def checkout(request, token, centre):
    volunteer = get_object_or_404(Volunteer, token=token, personal_data_erased_at__isnull=True)
    centre = _centre(centre)
    if keys.from_outbox(request):
        return keys.once(request, lambda: _outbox_checkout(request, volunteer, centre))
    attendance = selectors.attendance_today(volunteer, centre, centre.today())
    if attendance is None:
        messages.error(request, _("本日の受付記録がありません。"))
    else:
        try:
            services.check_out(attendance)
            messages.success(request, _("お疲れさまでした。活動終了を記録しました。"))
        except VolunteerError as exc:
            messages.error(request, exc.message)
    return redirect("volunteers:personal", token=volunteer.token)


def _outbox_checkout(request, volunteer, centre) -> keys.Answer:
    """Check-out sent from the phone's outbox, maybe after the signal came back: at the time it was pressed,
    for the attendance of that day (a check-out pressed at 17:50 and received after midnight is still the
    day's)."""
    now = timezone.now()
    typed = keys.typed_at(request, not_before=now - timedelta(days=1), now=now)
    attendance = selectors.attendance_today(volunteer, centre, centre.day_of(typed or now))
    if attendance is None:
        return keys.refused("no_attendance", _("本日の受付記録がありません。"))
    try:
        done = services.check_out(attendance, at=max(typed or now, attendance.checked_in_at))
    except VolunteerError as exc:
        return keys.refused(exc.code or "refused", exc.message)
    if not done.created:  # checked out before: by another key of this phone, or by staff at the desk
        return keys.refused("checked_out", _("活動終了はすでに記録されています（%(time)s）。") % {
            "time": time_format(centre.local(done.checked_out_at), "H:i")})
    return keys.received(_("お疲れさまでした。活動終了を記録しました。"),
                         location=reverse("volunteers:personal", kwargs={"token": volunteer.token}))


def book(request, centre):
    """事前予約 of a coming day, for the volunteer this phone belongs to."""
    centre = _centre(centre)
    volunteer = identity.volunteer_of(request)
    if volunteer is None:
        # the page's own query too: a day chosen on the public board (?date=) survives registering first
        return redirect(reverse("volunteers:register", kwargs={"centre": centre.slug})
                        + "?next=" + quote(request.get_full_path()))
    bases = list(centre.bases.active())
    # A day the prefecture offers goes through its one registration point, not this page (services.book says so).
    offered = set(Offering.objects.filter(centre=centre, date__in=services.bookable_days(centre))
                  .values_list("date", flat=True))
    days = []
    for day in services.bookable_days(centre):
        if day in offered:
            continue
        taken = services.places(centre, day)
        if taken.closed:
            days.append((day, _("%(m)d月%(d)d日（休止日）") % {"m": day.month, "d": day.day}))
        else:
            days.append((day, _("%(m)d月%(d)d日（残り%(n)d人）") % {"m": day.month, "d": day.day, "n": taken.left}))
    # ?date=YYYY-MM-DD (the public board's booking link of a day) preselects that day when it is offered
    chosen = request.GET.get("date", "")
    initial = {"date": chosen} if chosen in {day.isoformat() for day, _label in days} else {}
    form = BookingForm(request.POST or None, days=days, bases=bases, initial=initial)
    error = None
    if request.method == "POST" and form.is_valid():
        from datetime import date

        base = next((b for b in bases if b.pk == form.cleaned_data.get("base")), None)
        try:
            services.book(volunteer, centre, on=date.fromisoformat(form.cleaned_data["date"]), base=base,
                          head_count=_group_size(volunteer) or 1)
        except VolunteerError as exc:
            error = exc
        else:
            messages.success(request, _("予約しました。当日は受付でQRコードを読み取ってください。"))
            return redirect("volunteers:personal", token=volunteer.token)
    return render(request, "volunteers/book.html", {"vc": centre, "volunteer": volunteer, "form": form,
                                                    "error": error, "offered": sorted(offered),
                                                    "chosen_offered": chosen in {d.isoformat() for d in offered}},
                  status=409 if error else 200)


@require_POST
def call_preferences(request, token):
    """募集のお知らせ: the volunteer turns the calls on or off and says on which weekdays they can come."""
    volunteer = get_object_or_404(Volunteer, token=token, personal_data_erased_at__isnull=True)
    form = CallPreferencesForm(request.POST)
    if form.is_valid():
        set_call_preferences(volunteer, wants_calls=form.cleaned_data["wants_calls"],
                             available_weekdays=form.cleaned_data["available_weekdays"])
        messages.success(request, _("募集のお知らせの設定を保存しました。"))
    else:
        messages.error(request, _("募集のお知らせの設定を保存できませんでした。"))
    return redirect("volunteers:personal", token=token)


@require_POST
def cancel_booking(request, token, pk):
    booking = get_object_or_404(Booking, pk=pk, volunteer__token=token)
    services.cancel_booking(booking)
    messages.success(request, _("予約を取り消しました。"))
    return redirect("volunteers:personal", token=token)


def certificate(request, token, centre):
    volunteer = get_object_or_404(Volunteer, token=token, personal_data_erased_at__isnull=True)
    return certificate_response(volunteer, _centre(centre))


def certificate_response(volunteer, centre):
    if not selectors.service_record(volunteer, centre):
        return render_not_found(_("このセンターでの活動記録がありません。"))
    pdf = render_certificate(volunteer, centre)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{centre.slug}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def render_not_found(message):
    from django.http import HttpResponseNotFound

    return HttpResponseNotFound(message, content_type="text/plain; charset=utf-8")


def group_register(request, centre):
    """団体登録: the leader registers the group, its head count and contact, and may book a day."""
    centre = _centre(centre)
    form = GroupForm(request.POST or None, days=services.bookable_days(centre), centre=centre)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.register_group(
                centre=centre, name=data["name"], leader_name=data["leader_name"], leader_kana=data["leader_kana"],
                phone=data["phone"], email=data["email"], member_count=data["member_count"],
                age_band=data["age_band"], prefecture=data["prefecture"], city=data["city"],
                insurance="enrolled" if data["insured"] else "none", on=data["date"],
                as_volunteer=identity.volunteer_of(request), wants_calls=data["wants_calls"],
                available_weekdays=data["available_weekdays"])
        except AlreadyRegistered as known:  # the group rolled back with it
            return _link_mailed(request, centre, known.volunteer, phone=data["phone"], why="group",
                                context={"vc": centre})
        except VolunteerError as exc:
            error = exc
        else:
            messages.success(request, _("団体を登録しました。"))
            return _signed_in(redirect("volunteers:group", token=group.token), group.leader)
    return render(request, "volunteers/group_register.html", {"vc": centre, "form": form, "error": error},
                  status=409 if error else 200)


def group_page(request, token):
    group = get_object_or_404(Group.objects.select_related("leader", "centre"), token=token)
    leader_link = (absolute(reverse("volunteers:personal", kwargs={"token": group.leader.token}))
                   if group.leader else "")
    return render(request, "volunteers/group.html", {"group": group, "leader_link": leader_link,
                                                     "vc": group.centre})

