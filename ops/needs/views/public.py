"""Pages without login: the residents' request form and their private link to follow it."""
import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dvc.client_address import client_address
from ops.centres.models import Centre
from ops.needs import services
from ops.needs.forms import PublicRequestForm, form_stamp
from ops.needs.models import Closure, Need, PublicFormHit
from ops.needs.services.resident import RESIDENT_MAY_CLOSE
from ops.needs.transitions import OPEN as NEED_OPEN
from ops.offline import keys as outbox
from ops.partners.models import PartnerJob

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_limit() -> tuple[int, int]:
    """(count, seconds) from settings.PUBLIC_FORM_RATE, e.g. "5/h"."""
    count, _slash, unit = settings.PUBLIC_FORM_RATE.partition("/")
    return int(count), _UNITS.get(unit.strip() or "h", 3600)


def ip_hash(request) -> str:
    """A keyed hash of the sender's address: enough to count, useless to identify anyone."""
    ip = client_address(request) or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()


def retry_after(key: str) -> int | None:
    """Seconds until this line may send again, or None while it is under the limit."""
    count, seconds = rate_limit()
    now = timezone.now()
    hits = list(PublicFormHit.objects.filter(ip_hash=key, at__gte=now - timedelta(seconds=seconds))
                .order_by("-at").values_list("at", flat=True)[:count])
    if len(hits) < count:
        return None
    return max(1, int((hits[-1] + timedelta(seconds=seconds) - now).total_seconds()) + 1)


def _record_hit(centre, key: str) -> None:
    PublicFormHit.objects.create(centre=centre, ip_hash=key)
    PublicFormHit.objects.filter(at__lt=timezone.now() - timedelta(days=2)).delete()


def _open_centre(slug) -> Centre:
    return get_object_or_404(Centre.objects.exclude(status=Centre.Status.CLOSED), slug=slug)


@never_cache
def public_request(request, centre):
    centre = _open_centre(centre)
    key = ip_hash(request)
    # Bound on every POST, even an empty one: the checks below add errors to it.
    form = PublicRequestForm(request.POST if request.method == "POST" else None, initial={"stamp": form_stamp()})
    if outbox.from_outbox(request):
        if form.is_bot():  # as below: answered like a success, and nothing (not even the key) is kept
            _record_hit(centre, key)
            return outbox.received(_("ご依頼を受け付けました。"), status=201).response()
        return outbox.once(request, lambda: _outbox_request(request, centre, form, key))
    if request.method == "POST":
        if retry_after(key) is not None:
            # What the resident typed comes back with the reason and the centre's phone: nothing is lost.
            form.add_error(None, _("この回線から短時間に多くの依頼が送られたため、いまは受け付けられません。入力内容は"
                                   "残っています。しばらくしてからもう一度送信するか、センターへお電話ください。"))
            return _form_again(request, centre, form, status=429)
        if form.is_bot():
            _record_hit(centre, key)
            # Answer like a success without a number: a bot learns nothing, nothing is saved.
            return render(request, "needs/public_thanks.html", {"pub_centre": centre, "need": None})
        if form.stamp_expired():
            form.is_valid()
            form.add_error(None, _("ページの有効期限が切れました。内容を確認して、もう一度送信してください。"))
        elif form.is_valid():
            try:
                need = _file(centre, form, key)
            except ValidationError as err:
                for field, msgs in err.message_dict.items():
                    form.add_error(field if field in form.fields else None, msgs)
            else:
                request.session["needs_public_ref"] = need.reference_token
                return redirect("needs:public_thanks", centre=centre.slug)
        return _form_again(request, centre, form)
    response = render(request, "needs/public_request.html", {"form": form, "pub_centre": centre})
    return outbox.keep_offline(response, timezone.now() + outbox.KEEP_REQUEST_FORM)


def _outbox_request(request, centre, form, key) -> outbox.Answer:
    """The request sent from the phone's outbox, maybe long after the page was opened: an expired stamp is
    answered with a fresh one for the phone to send again (a person typed this, not a bot)."""
    wait = retry_after(key)
    if wait is not None:
        return outbox.later(_("この回線から短時間に多くの依頼が送られたため、いまは受け付けられません。"
                              "入力内容は残っています。あとで自動で送信します。"), retry_after=wait)
    if form.stamp_expired():
        return outbox.invalid(_("ページの有効期限が切れました。もう一度送信します。"), code="stamp", stamp=form_stamp())
    if not form.is_valid():
        return outbox.invalid(_("入力内容を確認してください。"), outbox.form_errors(form))
    try:
        need = _file(centre, form, key)
    except ValidationError as err:
        errors = {field if field in form.fields else "__all__": [str(m) for m in msgs]
                  for field, msgs in err.message_dict.items()}
        return outbox.invalid(_("入力内容を確認してください。"), errors)
    request.session["needs_public_ref"] = need.reference_token
    return outbox.received(_("ご依頼を受け付けました。"), status=201,
                           location=reverse("needs:public_thanks", kwargs={"centre": centre.slug}))


def _file(centre, form, key) -> Need:
    data = form.cleaned_data
    with transaction.atomic():
        _record_hit(centre, key)
        return services.record_need(
            centre=centre, by=None, actor="web", channel=Need.Channel.WEB,
            requester_type=Need.RequesterType.RESIDENT, requester_name=data["requester_name"],
            requester_kana=data["requester_kana"], phone=data["phone"], address=data["address"],
            work_types=list(data["work_types"]), description=data["description"],
            household=data["household"], consent_share=data["consent"], **form.position(),
        )


def _form_again(request, centre, form, status=200):
    """The form as sent, with its errors and a fresh stamp, so that sending it again works."""
    form.data = form.data.copy()
    form.data["stamp"] = form_stamp()
    return render(request, "needs/public_request.html", {"form": form, "pub_centre": centre}, status=status)


@never_cache
def public_thanks(request, centre):
    """The number and private link, once, in the session that sent the request (not in the URL history)."""
    centre = _open_centre(centre)
    token = request.session.get("needs_public_ref")
    need = Need.objects.filter(centre=centre, reference_token=token).first() if token else None
    if need is None:
        return redirect("needs:public_request", centre=centre.slug)
    return render(request, "needs/public_thanks.html", {
        "pub_centre": centre, "need": need,
        "resident_url": request.build_absolute_uri(reverse("needs:resident", args=[need.reference_token])),
    })


def _resident_need(token) -> Need:
    need = services.need_for_token(token)
    if need is None:
        raise Http404
    return need


@never_cache
def resident(request, token):
    """The resident's own request, and nothing else: no list, no other household, no staff notes."""
    need = _resident_need(token)
    return render(request, "needs/resident.html", _resident_context(need))


def _resident_context(need, **extra) -> dict:
    partner_lines, arranging = resident_partner_lines(need)
    return {"need": need, "pub_centre": need.centre, "may_close": need.status in RESIDENT_MAY_CLOSE,
            "undo_day": services.withdrawal_undo_day(need), "partner_lines": partner_lines,
            "partner_arranging": arranging, **extra}


def resident_partner_lines(need) -> tuple[list[dict], bool]:
    """What the resident reads of the organisations doing the specialist work (三者連携): per job accepted,
    scheduled or done, the organisation's name (a body, never its people or phone), the work and the date;
    and `arranging`, whether some work is still being arranged (a job asked but not yet answered, declined,
    withdrawn, or reported as not or only partly done, with nothing else taking that work). Nothing of a
    declined or withdrawn job is told but that."""
    S, outcome = PartnerJob.Status, PartnerJob.Outcome
    lines, covered, loose = [], set(), set()
    jobs = need.partner_jobs.select_related("organisation", "work_type").order_by("offered_at", "id")
    for job in jobs:
        work = str(job.work_type) if job.work_type_id else ""
        finished = job.status == S.DONE and job.outcome == outcome.DONE
        if job.status in (S.ACCEPTED, S.SCHEDULED) or finished:
            covered.add(job.work_type_id)
            lines.append({"organisation": job.organisation.name, "work": work,
                          "state": "done" if finished else job.status,
                          "on": job.scheduled_for if job.status == S.SCHEDULED else None})
            continue
        if job.status == S.DONE and job.outcome == outcome.PARTLY:
            lines.append({"organisation": job.organisation.name, "work": work, "state": "partly", "on": None})
        loose.add(job.work_type_id)  # asked and not answered, declined, withdrawn, not (all) done
    arranging = need.status in NEED_OPEN and None not in covered and bool(loose - covered)
    return lines, arranging


@never_cache
def resident_close(request, token):
    """Withdrawing, as a step of its own: what it means, why (chosen, never preselected), then confirm."""
    need = _resident_need(token)
    error = None
    if request.method == "POST":
        try:
            services.withdraw(need, closure=request.POST.get("closure", ""))
        except services.NeedError as err:
            error = str(err)
            need.refresh_from_db()
        else:
            return redirect("needs:resident", token=need.reference_token)
    return render(request, "needs/resident_withdraw.html", {
        "need": need, "pub_centre": need.centre, "may_close": need.status in RESIDENT_MAY_CLOSE, "error": error,
        "chosen": request.POST.get("closure", ""),
        "closures": [(Closure.NO_LONGER_NEEDED, _("もう必要なくなった")),
                     (Closure.HELPED_ELSEWHERE, _("ほかの支援で解決した"))],
    }, status=400 if error else 200)


@require_POST
def resident_undo(request, token):
    need = _resident_need(token)
    try:
        services.undo_withdrawal(need)
    except services.NeedError as err:
        need.refresh_from_db()
        return render(request, "needs/resident.html", _resident_context(need, error=str(err)), status=400)
    messages.success(request, _("取下げを取り消しました。ご依頼は受付中に戻りました。"))
    return redirect("needs:resident", token=need.reference_token)
