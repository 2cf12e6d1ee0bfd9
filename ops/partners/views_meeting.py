"""/c/<centre>/partners/meeting/: the 情報共有会議 sheet on screen (printable), as XLSX and as PDF, and 「会議を記録」
so the next sheet's "changed since" starts from this meeting. The sheet is ops.partners.meeting's; the files are
drawn with the 日報's tools (ops.spreadsheets through ops.reports.xlsx's look, WeasyPrint with the Japanese font
of ops.reports.fonts). Each download is on the audit trail like the exports."""
from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ops import audit, spreadsheets
from ops.partners import meeting, services
from ops.permissions import Cap, can, centre_view
from ops.reports import render as report_render
from ops.reports.xlsx import BOLD, HEADER_FILL

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSS_PATH = Path(__file__).resolve().parent / "static" / "partners" / "meeting.css"
NOTES_MAX = 4000


@require_GET
@centre_view(Cap.VIEW_NEEDS)
def meeting_page(request, centre):
    return _page(request, centre)


def _page(request, centre, *, notes: str = "", error: str = "", status: int = 200):
    return render(request, "partners/meeting.html", {
        "s": meeting.sheet(centre), "headers": meeting.headers(),
        "can_record": can(request.user, centre, Cap.EDIT_NEEDS), "notes": notes, "error": error,
    }, status=status)


@require_POST
@centre_view(Cap.EDIT_NEEDS)
def meeting_record(request, centre):
    notes = request.POST.get("notes", "")
    if len(notes) > NOTES_MAX:
        return _page(request, centre, notes=notes, status=400,
                     error=_("議事メモは%(n)d文字までです。") % {"n": NOTES_MAX})
    try:
        services.record_meeting(centre, by=request.user, notes=notes)
    except services.PartnerRefused as err:
        return _page(request, centre, notes=notes, error=err.message, status=400)
    messages.success(request, _("会議を記録しました。次の資料はこの会議以降の変化を示します。"))
    return redirect(reverse("partners:meeting", kwargs={"centre": centre.slug}))


@never_cache
@require_GET
@centre_view(Cap.VIEW_NEEDS)
def meeting_xlsx(request, centre):
    s = meeting.sheet(centre)
    data = render_xlsx(s)
    return _download(request, centre, s, data, fmt="xlsx", content_type=XLSX)


@never_cache
@require_GET
@centre_view(Cap.VIEW_NEEDS)
def meeting_pdf(request, centre):
    s = meeting.sheet(centre)
    data = report_render.render_pdf(render_document(s))
    return _download(request, centre, s, data, fmt="pdf", content_type="application/pdf")


def _download(request, centre, s, data: bytes, *, fmt: str, content_type: str) -> HttpResponse:
    audit.happened("export.partner_meeting", centre, centre=centre, by=request.user,
                   note=f"rows={len(s['open_rows'])} {fmt}")
    response = HttpResponse(data, content_type=content_type)
    stem = f"{centre.slug}-meeting-{centre.day_of(s['now']).isoformat()}"
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


# --- the files ---------------------------------------------------------------------------------------------------

@cache
def sheet_css() -> str:
    return CSS_PATH.read_text(encoding="utf-8")


def render_document(s: dict) -> str:
    """The self-contained HTML the PDF is drawn from (the page's body, its CSS inside)."""
    return render_to_string("partners/meeting_document.html", {
        "s": s, "headers": meeting.headers(), "css": sheet_css(), "generated_at": timezone.localtime(s["now"]),
    })


def _table(wb, title: str, header: list, rows: list[list], *, first: bool = False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title[:31]
    spreadsheets.append_row(ws, [str(h) for h in header])
    for cell in ws[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for row in rows:  # districts and names typed by people: text cells, never formulas
        spreadsheets.append_row(ws, [str(v) if v is not None and not isinstance(v, int) else v for v in row])
    for i, head in enumerate(header, start=1):
        width = max([len(str(head)), *(len(str(r[i - 1])) for r in rows)])
        ws.column_dimensions[get_column_letter(i)].width = min(max(8, width * 2 + 2), 40)
    ws.freeze_panes = "A2"
    return ws


def render_xlsx(s: dict) -> bytes:
    f = s["summary"]
    wb = Workbook()
    _table(wb, _("概要"), [_("項目"), _("値")], [
        [_("団体待ち"), f["waiting"]], [_("依頼中"), f["offered"]], [_("受諾"), f["accepted"]],
        [_("日程決定"), f["scheduled"]], [_("対応中の依頼"), f["open"]], [_("対応済（累計）"), f["done_total"]],
        [_("辞退（累計）"), f["declined_total"]],
        [_("前回の会議"), s["last_meeting"].held_at.astimezone(s["centre"].tz).strftime("%Y-%m-%d %H:%M")
         if s["last_meeting"] else _("記録なし")],
    ], first=True)
    _table(wb, _("地区別"), [_("地区"), _("技術系ニーズ"), _("団体待ち")],
           [[d["district"] or _("地区未設定"), d["technical"], d["waiting"]] for d in s["by_district"]])
    _table(wb, _("団体別"), [_("協力団体"), _("依頼中"), _("受諾"), _("日程決定"), _("対応中"), _("対応済"), _("辞退")],
           [[o["organisation"], o["offered"], o["accepted"], o["scheduled"], o["open"], o["done"], o["declined"]]
            for o in s["by_organisation"]])
    _table(wb, _("対応中・団体待ち"), meeting.headers(), [r.cells() for r in s["open_rows"]])
    _table(wb, _("前回からの変化"), [_("日時"), *meeting.headers()],
           [[_local(s, r.at), *r.cells()] for r in s["changes"]])
    _table(wb, _("新しい技術系ニーズ"), meeting.headers(), [r.cells() for r in s["new_needs"]])
    _table(wb, _("止まっているもの"), [_("項目"), _("理由"), *meeting.headers()],
           [[label, r.reason, *r.cells()] for label, rows in s["blocked_sections"] for r in rows])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _local(s, moment) -> str:
    return moment.astimezone(s["centre"].tz).strftime("%Y-%m-%d %H:%M") if moment else ""


urls = [
    path("c/<slug:centre>/partners/meeting/", meeting_page, name="meeting"),
    path("c/<slug:centre>/partners/meeting.xlsx", meeting_xlsx, name="meeting_xlsx"),
    path("c/<slug:centre>/partners/meeting.pdf", meeting_pdf, name="meeting_pdf"),
    path("c/<slug:centre>/partners/meeting/record/", meeting_record, name="meeting_record"),
]
