"""Report pages: preview today's report, notes and plan, send now, recipients, the archive and its files.

Files are served here after the permission check, never from /media.
"""
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ops.drills import marking
from ops.messages.selectors import mails_about
from ops.permissions import Cap, can, centre_view
from ops.reports import chart, services
from ops.reports import render as report_render
from ops.reports.figures import daily_figures, trend
from ops.reports.forms import NotesForm, RecipientForm
from ops.reports.models import DailyReport, ReportRecipient, RollupReport

FILE_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "chart": "image/png"}


def _report_mail(report: DailyReport | None):
    """The report's latest mail in the outbox (its delivery state), or None."""
    return mails_about(report, kind="daily_report").first() if report is not None else None


def _status(report: DailyReport | None, mail=None) -> dict:
    if report is None:
        return {"state": "none", "label": _("未作成")}
    if report.sent_at:
        state, label = "sent", _("送信済み")
    elif mail is not None and mail.state in ("queued", "sending"):
        state, label = "queued", _("送信処理中")
    elif mail is not None and mail.state == "unknown":
        state, label = "unknown", _("送達不明")
    elif mail is not None and mail.state == "failed":
        state, label = "failed", _("送信できませんでした")
    elif report.enqueued_at and (not report.built_at or report.built_at < report.enqueued_at):
        state, label = "queued", _("作成・送信処理中")
    elif report.built_at:
        state, label = "built", _("作成済み（未送信）")
    else:
        state, label = "none", _("未作成")
    return {"state": state, "label": label, "error": report.last_error_words}


@centre_view(Cap.VIEW_REPORTS)
def today(request, centre):
    day = centre.today()
    report = DailyReport.objects.filter(centre=centre, date=day).first()
    notes = report.notes if report else ""
    plan = report.plan_tomorrow if report else ""
    figures = daily_figures(centre, day)
    context = report_render.daily_context(figures, notes=notes, plan_tomorrow=plan,
                                          chart_src=f"{request.path}chart.png")
    mail = _report_mail(report)
    context.update({
        "report": report, "mail": mail, "status": _status(report, mail), "can_send": can(request.user, centre, Cap.SEND_REPORTS),
        "notes_form": NotesForm(initial={"notes": notes, "plan_tomorrow": plan}),
        "recipients": centre.recipients.filter(active=True),
    })
    return render(request, "reports/today.html", context)


@require_POST
@centre_view(Cap.SEND_REPORTS)
def save_notes(request, centre):
    form = NotesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("入力内容を確認してください。"))
        return redirect("reports:today", centre=centre.slug)
    try:
        services.save_notes(centre=centre, day=centre.today(), **form.cleaned_data)
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("特記事項と明日の予定を保存しました。"))
    return redirect("reports:today", centre=centre.slug)


@require_POST
@centre_view(Cap.SEND_REPORTS)
def send_now(request, centre):
    try:
        report = services.request_build(centre=centre, day=centre.today(), by=request.user)
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("日報を作り直しました（送信済みのため再送はしません）。") if report.sent_at
                         else _("日報の作成と送信を開始しました。数分以内に送信されます。"))
    return redirect("reports:today", centre=centre.slug)


@never_cache
@centre_view(Cap.VIEW_REPORTS)
def status(request, centre):
    report = DailyReport.objects.filter(centre=centre, date=centre.today()).first()
    mail = _report_mail(report)
    data = _status(report, mail)
    if mail is not None:
        data["mail"] = {"state": mail.state, "error": mail.error_words}
    if report:
        data.update({"built_at": report.built_at and report.built_at.isoformat(),
                     "sent_at": report.sent_at and report.sent_at.isoformat(), "sent_to": report.sent_to})
    return JsonResponse(data)


@never_cache
@centre_view(Cap.VIEW_REPORTS)
def live_chart(request, centre):
    return HttpResponse(chart.render_chart(trend(centre, centre.today())), content_type="image/png")


# --- recipients ---------------------------------------------------------------------------------------------------
@centre_view(Cap.SEND_REPORTS)
def recipients(request, centre):
    can_rollup = can(request.user, centre, Cap.MANAGE_CENTRE)
    form = RecipientForm()
    if request.method == "POST":
        rollup = request.POST.get("scope") == "rollup"
        if rollup and not can_rollup:
            messages.error(request, _("集約報告の送信先を変更する権限がありません。"))
            return redirect("reports:recipients", centre=centre.slug)
        form = RecipientForm(request.POST)
        if form.is_valid():
            try:
                services.add_recipient(centre=None if rollup else centre, disaster=centre.disaster if rollup else None,
                                       **form.cleaned_data)
            except services.ReportError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("送信先を追加しました。"))
                return redirect("reports:recipients", centre=centre.slug)
    return render(request, "reports/recipients.html", {
        "form": form, "recipients": centre.recipients.all(), "can_rollup": can_rollup,
        "rollup_recipients": ReportRecipient.objects.filter(disaster=centre.disaster, centre__isnull=True),
    })


@require_POST
@centre_view(Cap.SEND_REPORTS)
def recipient_update(request, centre, pk):
    rollup = request.POST.get("scope") == "rollup"
    if rollup and not can(request.user, centre, Cap.MANAGE_CENTRE):
        messages.error(request, _("集約報告の送信先を変更する権限がありません。"))
        return redirect("reports:recipients", centre=centre.slug)
    try:
        recipient = services.recipient_of(centre=centre, pk=pk, rollup=rollup)
        action = request.POST.get("action")
        if action == "delete":
            services.remove_recipient(recipient=recipient)
            messages.success(request, _("送信先を削除しました。"))
        elif action in ("activate", "deactivate"):
            services.set_recipient_active(recipient=recipient, active=action == "activate")
            messages.success(request, _("送信先を更新しました。"))
        else:
            messages.error(request, _("操作が正しくありません。"))
    except services.ReportError as exc:
        messages.error(request, str(exc))
    return redirect("reports:recipients", centre=centre.slug)


# --- archive and files ----------------------------------------------------------------------------------------------
@centre_view(Cap.VIEW_REPORTS)
def archive(request, centre):
    page = Paginator(DailyReport.objects.filter(centre=centre).order_by("-date"), 50).get_page(request.GET.get("page"))
    rollups = RollupReport.objects.filter(disaster=centre.disaster).order_by("-date")[:60]
    return render(request, "reports/archive.html", {"page": page, "rollups": rollups,
                                                    "kinds": ("pdf", "xlsx", "html", "chart")})


@centre_view(Cap.VIEW_REPORTS)
def detail(request, centre, day):
    report = DailyReport.objects.filter(centre=centre, date=day).first()
    if report is None or not report.figures:
        raise Http404
    chart_src = "" if not report.chart else f"{request.path}chart/"
    context = report_render.daily_context(report.figures, notes=report.notes, plan_tomorrow=report.plan_tomorrow,
                                          chart_src=chart_src)
    mails = list(mails_about(report))
    context.update({"report": report, "status": _status(report, mails[0] if mails else None), "mails": mails})
    return render(request, "reports/detail.html", context)


def _file_response(row, kind: str, stem: str):
    if kind not in FILE_TYPES or row is None or not getattr(row, kind):
        raise Http404
    field = getattr(row, kind)
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    extension = {"chart": "png"}.get(kind, kind)
    response = FileResponse(handle, content_type=FILE_TYPES[kind], as_attachment=kind != "chart",
                            filename=f"{stem}.{extension}")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@centre_view(Cap.VIEW_REPORTS)
def download(request, centre, day, kind):
    report = DailyReport.objects.filter(centre=centre, date=day).first()
    return _file_response(report, kind, marking.file_name(report_render.file_stem("nippo", centre.slug, day), centre))


@centre_view(Cap.VIEW_REPORTS)
def rollup_download(request, centre, day, kind):
    rollup = RollupReport.objects.filter(disaster=centre.disaster, date=day).first()
    if kind == "chart":
        raise Http404
    return _file_response(rollup, kind, report_render.file_stem("shuyaku", str(centre.disaster_id), day))
