"""Staff pages of intake: the list, a need's page, the intake card, survey, status, welfare, print."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ops import audit, privacy
from ops.desk import codes
from ops.dispatch import selectors as dispatch_selectors
from ops.messages.models import OutboundMail
from ops.messages.selectors import mails_about
from ops.needs import selectors, services
from ops.needs.duplicates import find_duplicates
from ops.needs.forms import EditNeedForm, NeedForm, PhotoForm, StatusForm, SurveyForm, WelfareForm
from ops.needs.models import Need, NeedPhoto, NeedStatus, WorkType
from ops.needs.transitions import IllegalTransition
from ops.partners.views_staff import need_panel
from ops.permissions import Cap, can, centre_view
from ops.privacy import Kind, searches
from ops.volunteers.qr import qr_svg
from ops.welfare.models import Case

PAGE_SIZE = 50


def _need(centre, pk) -> Need:
    return get_object_or_404(Need.objects.select_related("centre", "duplicate_of"), centre=centre, pk=pk)


def _show_errors(form, err: ValidationError) -> None:
    """Put a service's field errors next to the form's fields (unknown fields go on top)."""
    for field, msgs in (err.message_dict.items() if hasattr(err, "error_dict") else [(None, err.messages)]):
        form.add_error(field if field in form.fields else None, msgs)


LIST_FILTERS = ("status", "district", "work_type", "priority", "welfare")


@require_http_methods(["GET", "HEAD", "POST"])
@centre_view(Cap.VIEW_NEEDS)
def need_list(request, centre):
    """The list with its filters in the URL; the search words (a name, a phone) are POSTed and kept behind
    ?s=<key> (ops.privacy.searches)."""
    if request.method == "POST":
        return searches.redirect_to_results(request, keep=LIST_FILTERS)
    sight = privacy.sight_of(request.user, centre)
    f = {k: request.GET.get(k, "") for k in LIST_FILTERS}
    f["q"] = searches.recall(request)
    page = Paginator(selectors.needs_list(centre, sight=sight, **f), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = sight.mask_all(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "needs/list.html", {
        "page": page, "filters": f, "query": query.urlencode(), "sees": sight.kinds,
        "statuses": NeedStatus.choices, "districts": selectors.districts(centre), "work_types": WorkType.objects.all(),
        "priorities": Need.Priority.choices, "can_edit": can(request.user, centre, Cap.EDIT_NEEDS),
    })


@centre_view(Cap.VIEW_NEEDS)
def need_detail(request, centre, pk):
    return _detail_page(request, centre, _need(centre, pk))


def _detail_page(request, centre, need, *, welfare_form=None, partner_panel=None, status=200):
    user = request.user
    sight = privacy.sight_of(user, centre)
    if sight.sees(Kind.IDENTITY):
        audit.record_view(centre=centre, obj=need, by=user)
    shown = sight.mask(need)
    return render(request, "needs/detail.html", {
        "need": shown, "sees": sight.kinds,
        "can_edit": can(user, centre, Cap.EDIT_NEEDS), "can_welfare": can(user, centre, Cap.WELFARE),
        "surveys": sight.mask_all(need.surveys.select_related("surveyor")),
        "history": sight.mask_all(need.history.select_related("by")),
        "photos": shown.photos.all(),
        # Roles that see households learn only that one is followed; the case itself is the welfare staff's.
        # Welfare staff get the case (open, else the latest) to open it; the rest only whether one is open.
        "case": (Case.objects.current_of(need) if can(user, centre, Cap.WELFARE)
                 else Case.objects.of_need(need).open().first() if sight.sees(Kind.HOUSEHOLD) else None),
        "alerts": mails_about(need, kind=OutboundMail.Kind.CRISIS_ALERT),
        "duplicates": need.duplicates.all(),
        # each team sent, with its return report: what was done and what is left is how the next team is planned
        "activities": sight.mask_all(dispatch_selectors.need_activities(need)),
        "status_form": StatusForm(targets=services.manual_targets(need), initial={"version": need.version}),
        "photo_form": PhotoForm(), "welfare_form": welfare_form or WelfareForm(initial={"kind": need.welfare}),
        "resident_url": request.build_absolute_uri(reverse("needs:resident", args=[shown.reference_token]))
        if shown.reference_token else "",
        # 協力団体への依頼 (ops.partners): the need's jobs, and the offer / withdraw forms (kept as typed on a refusal)
        **need_panel(request, centre, need, **(partner_panel or {})),
    }, status=status)


def _decide_duplicates(form, centre, fields):
    """(matches, duplicate_of, not_duplicate_of). Matches are re-checked here, whatever the page showed."""
    matches = find_duplicates(centre, phone=fields.get("phone") or "", name=fields["requester_name"],
                              kana=fields.get("requester_kana") or "", address=fields["address"],
                              lat=fields.get("lat"), lng=fields.get("lng"))
    decision = form.cleaned_data.get("duplicate_decision") or ""
    if not matches:
        return matches, None, ()
    if decision == "different":
        return matches, None, [m.need for m in matches]
    if decision.isdigit():
        original = next((m.need for m in matches if m.need.pk == int(decision)), None)
        if original is None:
            original = Need.objects.filter(centre=centre, pk=int(decision)).first()
        if original is not None:
            return matches, original, ()
    return matches, False, ()


@centre_view(Cap.EDIT_NEEDS)
def need_new(request, centre):
    form = NeedForm(request.POST or None, initial={"channel": Need.Channel.PHONE})
    matches = []
    if request.method == "POST" and form.is_valid():
        fields = form.need_fields()
        matches, duplicate_of, not_duplicate_of = _decide_duplicates(form, centre, fields)
        if duplicate_of is False:  # nothing is chosen for them: a wrong default merges or splits households
            form.add_error("duplicate_decision", _("同じ世帯か別の世帯かを選んでください。"))
        else:
            try:
                need = services.record_need(
                    centre=centre, by=request.user, welfare=form.cleaned_data["welfare"],
                    welfare_note=form.cleaned_data["welfare_note"], duplicate_of=duplicate_of,
                    not_duplicate_of=not_duplicate_of, **fields,
                )
            except ValidationError as err:
                _show_errors(form, err)
            except services.NeedError as err:
                form.add_error(None, str(err))
            else:
                if duplicate_of:
                    messages.success(request, _("%(label)sの重複として記録しました。") % {"label": duplicate_of.label})
                    return redirect("needs:detail", centre=centre.slug, pk=duplicate_of.pk)
                messages.success(request, _("%(label)s を受け付けました。") % {"label": need.label})
                if "save_and_new" in request.POST:
                    return redirect("needs:new", centre=centre.slug)
                return redirect("needs:detail", centre=centre.slug, pk=need.pk)
    return render(request, "needs/form.html", {
        "form": form, "matches": matches, "districts": selectors.districts(centre), "creating": True,
    })


@centre_view(Cap.EDIT_NEEDS)
def need_edit(request, centre, pk):
    need = _need(centre, pk)
    form = EditNeedForm(request.POST or None, initial=EditNeedForm.initial_from(need))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_need(need, by=request.user, **form.need_fields())
        except ValidationError as err:
            _show_errors(form, err)
        else:
            messages.success(request, _("%(label)s を更新しました。") % {"label": need.label})
            return redirect("needs:detail", centre=centre.slug, pk=need.pk)
    return render(request, "needs/form.html", {
        "form": form, "need": need, "districts": selectors.districts(centre), "creating": False,
    })


@centre_view(Cap.EDIT_NEEDS)
def need_survey(request, centre, pk):
    need = _need(centre, pk)
    initial = {"people_needed": need.people_needed, "days_needed": need.days_needed, "tools": need.tools_needed,
               "hazards": need.hazards, "welfare": need.welfare, "volunteer_ok": "yes"}
    form = SurveyForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        photo = data.pop("photo", None)
        consent = data.pop("photo_consent", False)
        try:
            with transaction.atomic():  # the survey and its photo together, or neither
                # technical=: work for a partner organisation (with volunteer_ok=False the need waits on hold)
                survey = services.record_survey(need, by=request.user, technical=data.pop("technical", False),
                                                **data)
                if photo:
                    services.add_photo(need, by=request.user, upload=photo, consent=consent, survey=survey)
        except ValidationError as err:
            _show_errors(form, err)
        except (IllegalTransition, services.NeedError) as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, _("現地調査を記録しました。"))
            return redirect("needs:detail", centre=centre.slug, pk=need.pk)
    return render(request, "needs/survey.html", {"form": form, "need": need})


@require_POST
@centre_view(Cap.EDIT_NEEDS)
def need_status(request, centre, pk):
    need = _need(centre, pk)
    form = StatusForm(request.POST, targets=NeedStatus.values)
    if not form.is_valid():
        messages.error(request, _("変更先の状況を選んでください。"))
    elif form.cleaned_data.get("version") and form.cleaned_data["version"] != need.version:
        messages.error(request, _("このニーズは他の人が更新しました。最新の内容を確認してください。"))
    else:
        try:
            services.set_status_by_hand(need, form.cleaned_data["to"], by=request.user,
                                        reason=form.cleaned_data["reason"], closure=form.cleaned_data["closure"])
        except (IllegalTransition, services.NeedError) as err:
            messages.error(request, str(err))
        else:
            messages.success(request, _("状況を「%(status)s」にしました。") % {"status": need.get_status_display()})
    return redirect("needs:detail", centre=centre.slug, pk=need.pk)


@require_POST
@centre_view(Cap.VIEW_NEEDS)
def need_welfare_flag(request, centre, pk):
    if not (can(request.user, centre, Cap.EDIT_NEEDS) or can(request.user, centre, Cap.WELFARE)):
        raise PermissionDenied
    need = _need(centre, pk)
    form = WelfareForm(request.POST)
    if form.is_valid():
        kind, note = form.cleaned_data["kind"], form.cleaned_data["note"].strip()
        follow_up = kind == need.welfare and note
        try:
            services.flag_welfare(need, kind=kind, by=request.user, note=note)
        except services.NeedError as err:
            form.add_error("note", str(err))
        else:
            messages.success(request, _("申し送りを記録しました。") if follow_up
                             else _("福祉的支援の区分を更新しました。"))
            return redirect("needs:detail", centre=centre.slug, pk=need.pk)
    # What was typed stays in the form, with the reason next to it.
    return _detail_page(request, centre, need, welfare_form=form, status=400)


@centre_view(Cap.VIEW_NEEDS)
def need_card(request, centre, pk):
    """The printable card (the paper a team takes along)."""
    need = _need(centre, pk)
    sight = privacy.sight_of(request.user, centre)
    if sight.sees(Kind.IDENTITY):
        audit.record_view(centre=centre, obj=need, by=request.user, action="personal.card")
    survey = need.surveys.first()
    return render(request, "needs/card.html", {
        "need": sight.mask(need), "survey": sight.mask(survey) if survey else None,
        # The 受付スキャン desk reads this to start a team for the need (ops.desk.codes.need_code).
        "desk_qr": qr_svg(codes.need_code(need), css_class="qr card-qr"),
    })


@centre_view(Cap.EDIT_NEEDS)
def resident_slip(request, centre, pk):
    """依頼者控え: the number, the centre's phone and the private link as a QR code, printed at the counter
    or read out on the phone, so the resident can follow the request without calling."""
    import io

    import segno

    need = _need(centre, pk)
    link = request.build_absolute_uri(reverse("needs:resident", args=[need.reference_token]))
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="svg", scale=5, xmldecl=False, nl=False)
    return render(request, "needs/slip.html", {"need": need, "link": link, "qr_svg": out.getvalue().decode()})


@require_POST
@centre_view(Cap.EDIT_NEEDS)
def duplicates_json(request, centre):
    """Possible duplicates of the card being typed (intake.js): a POST, so the phone, name and address typed
    are never in a URL or an access log."""
    g = request.POST
    try:
        lat = float(g["lat"]) if g.get("lat") else None
        lng = float(g["lng"]) if g.get("lng") else None
        exclude = int(g["exclude"]) if g.get("exclude") else None
    except ValueError:
        return JsonResponse({"error": _("位置の値が正しくありません。")}, status=400)
    if (lat is None) != (lng is None):
        lat = lng = None
    matches = find_duplicates(centre, phone=g.get("phone", "")[:30], name=g.get("name", "")[:80],
                              kana=g.get("kana", "")[:80], address=g.get("address", "")[:200], lat=lat, lng=lng,
                              exclude_pk=exclude)
    sight = privacy.sight_of(request.user, centre)
    rows = []
    for m in matches:
        shown = sight.mask(m.need)
        row = {"id": m.need.pk, "label": m.need.label, "status": m.need.status,
               "status_label": m.need.get_status_display(), "reasons": m.reason_labels(),
               "distance_m": round(m.distance_m) if m.distance_m is not None else None,
               "received_at": m.need.received_at.date().isoformat(), "district": m.need.district,
               "url": f"/c/{centre.slug}/needs/{m.need.pk}/"}
        if shown.requester_name is not None:
            row.update({"name": shown.requester_name, "address": shown.address})
        rows.append(row)
    response = JsonResponse({"matches": rows})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@centre_view(Cap.EDIT_NEEDS)
def photo_upload(request, centre, pk):
    need = _need(centre, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_photo(need, by=request.user, upload=form.cleaned_data["image"],
                               consent=form.cleaned_data["consent"], caption=form.cleaned_data["caption"])
        except ValidationError as err:
            for msgs in err.message_dict.values():
                for msg in msgs:
                    messages.error(request, msg)
        else:
            messages.success(request, _("写真を保存しました。"))
    else:
        messages.error(request, _("写真を選んでください。"))
    return redirect("needs:detail", centre=centre.slug, pk=need.pk)


@centre_view(privacy.SEEN_WITH[Kind.PHOTOS])
def photo_file(request, centre, pk, photo_id):
    photo = get_object_or_404(NeedPhoto, need__centre=centre, need_id=pk, pk=photo_id)
    return photo_response(photo.image)


def photo_response(image) -> FileResponse:
    """A stored site photo (always re-encoded JPEG, ops.needs.services.photos.clean_jpeg) to a permitted
    viewer: never kept by a shared cache or the browser, never sniffed as anything else. Partners' job photos
    are served through here too."""
    try:
        handle = image.open("rb")
    except FileNotFoundError as err:
        raise Http404 from err
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@centre_view(Cap.EDIT_NEEDS)
def photo_delete(request, centre, pk, photo_id):
    photo = get_object_or_404(NeedPhoto, need__centre=centre, need_id=pk, pk=photo_id)
    services.delete_photo(photo)
    messages.success(request, _("写真を削除しました。"))
    return redirect("needs:detail", centre=centre.slug, pk=pk)
