"""送り出し票: the leader's page behind the slip's private link (no account), its printable form with a QR
code, and the return report filed from it. The link works on the dispatch's day until the report is in.
The phone keeps the page for the day and sends from its outbox (ops.offline): those posts get JSON."""
from datetime import time, timedelta

import segno
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from mapping.geo import geo_uri, web_map_url
from ops.boards.labels import suspension_labels, suspension_lines
from ops.centres.services import suspensions_of
from ops.dispatch import safety, selectors, services
from ops.dispatch.errors import DispatchError
from ops.dispatch.forms import LeaderReportForm
from ops.offline import keys


def _private(response):
    """The slip holds a resident's phone: never cached, never indexed. The site's same-origin referrer
    policy keeps the token from other sites (and the external map link is rel=noreferrer); "no-referrer"
    here would make browsers send Origin: null on the report form, which CSRF rightly refuses."""
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _load(token):
    record = selectors.dispatch_by_slip(token)
    if record is None:
        raise Http404
    return record


def _gone(request, record, reason):
    return _private(render(request, "dispatch/slip_gone.html", {"record": record, "reason": reason}, status=410))


def _links(need):
    if need.lat is None or need.lng is None:
        return None
    return {"geo": geo_uri(need.lat, need.lng, need.label), "web": web_map_url(need.lat, need.lng)}


def _context(record):
    need, centre = record.need, record.centre
    return {
        "record": record, "need": need, "vc": centre, "team": record.team,
        "work_types": list(need.work_types.all()), "links": _links(need), "warnings": need.site_warnings(),
        "crew": record.team.crew(), "tools_out": list(record.team.tools_out()),
        "loans": list(selectors.team_loans(record.team)),  # all it took today, back or not (with numbers)
        "work_rest": safety.work_rest_note(record.date), "checklist": safety.CHECKLIST,
        "slip_url": settings.SITE_URL + reverse("dispatch:slip", kwargs={"token": record.slip_token}),
        # 活動中止: the return call, on load and live (slip.js listens on the centre's public board socket)
        "suspension_lines": suspension_lines(suspensions_of(centre), day=record.date.isoformat()),
        "suspension_labels": suspension_labels(),
        "only_day": record.date.isoformat(), "call": True,
        "ws_path": f"/ws/p/{centre.slug}/board/",
    }


@never_cache
def slip(request, token):
    record = _load(token)
    if keys.from_outbox(request):
        return keys.once(request, lambda: _outbox_post(request, record))
    reason = services.slip_refusal(record)
    if reason:
        return _gone(request, record, reason)
    form = LeaderReportForm(initial={"people": record.people, "outcome": "completed"})
    status = 200
    if request.method == "POST" and request.POST.get("action") == "arrived":
        try:
            services.arrive(record, via="leader")
        except DispatchError as err:
            return _gone(request, record, err.message)
        return redirect(request.path)
    if request.method == "POST":
        form = LeaderReportForm(request.POST)
        if form.is_valid():
            try:
                report = services.file_return_report(record, **form.cleaned_data, via="leader")
            except DispatchError as err:
                form.add_error(None, err.message)
            else:
                return _private(render(request, "dispatch/slip_filed.html", {
                    "record": record, "tools_out": list(record.team.tools_out()),
                    "welfare_told": report.welfare_told}))
        status = 400
    response = _private(render(request, "dispatch/slip.html", {**_context(record), "form": form}, status=status))
    if request.method == "GET":  # the leader's phone may keep the slip until the day is over
        keys.keep_offline(response, record.centre.at(record.date + timedelta(days=1), time.min))
    return response


def _outbox_post(request, record) -> keys.Answer:
    """The report or 現着 from the phone's outbox, maybe hours after it was typed: the typed time decides
    whether a report typed on the dispatch's day still counts after midnight (slip_refusal)."""
    typed = keys.typed_at(request, not_before=record.dispatched_at)
    closed = services.slip_closed(record, typed_at=typed)
    if closed:  # told before the form is judged: a second phone's report is refused, whatever it holds
        return _refused(DispatchError(closed[1], code=closed[0]))
    if request.POST.get("action") == "arrived":
        try:
            services.arrive(record, via="leader")
        except DispatchError as err:
            return _refused(err)
        return keys.received(_("現着を記録しました。"), location=request.path)
    form = LeaderReportForm(request.POST)
    if not form.is_valid():
        return keys.invalid(_("入力内容を確認してください。"), keys.form_errors(form))
    try:
        report = services.file_return_report(record, **form.cleaned_data, via="leader", typed_at=typed)
    except DispatchError as err:
        if err.code:
            return _refused(err)
        return keys.invalid(err.message, {"__all__": [err.message]})
    # welfare_told: the phone's notice says the concern went to the welfare staff, as slip_filed.html does
    return keys.received(_("活動報告を受け付けました。"), location=request.path, status=201,
                         welfare_told=report.welfare_told)


def _refused(err) -> keys.Answer:
    if err.code == "already_filed":
        return keys.refused(err.code, _("この送り出し票の活動報告は、別の端末からすでに提出されています。"))
    return keys.refused(err.code or "refused", err.message)


@never_cache
def slip_print(request, token):
    record = _load(token)
    reason = services.slip_refusal(record)
    if reason:
        return _gone(request, record, reason)
    context = _context(record)
    qr = segno.make(context["slip_url"], error="m")
    context["qr_svg"] = mark_safe(qr.svg_inline(scale=3, dark="#000", title=record.team.label))  # noqa: S308
    return _private(render(request, "dispatch/slip_print.html", context))
