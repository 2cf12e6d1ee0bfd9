"""The workbook (openpyxl, every row through ops.spreadsheets): 概要 (with the 福祉ケース counts), 地区別, 作業内容別, 拠点別, 資機材・消耗品, 推移 — the same figures as the PDF, for tallying."""
from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ops import spreadsheets
from ops.drills import marking

HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
BOLD = Font(bold=True)


def _sheet(wb, title: str, header: list[str], rows: list[list], *, first: bool = False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title[:31]
    spreadsheets.append_row(ws, header)
    for cell in ws[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for row in rows:  # free text (districts, notes) among them: written as text, never as a formula
        spreadsheets.append_row(ws, row)
    for i, _title in enumerate(header, start=1):
        width = max(len(str(header[i - 1])), *(len(str(r[i - 1])) for r in rows)) if rows else len(header[i - 1])
        ws.column_dimensions[get_column_letter(i)].width = min(max(8, width * 2 + 2), 40)
    ws.freeze_panes = "B2"
    return ws


def _need_header() -> list[str]:
    return [_("受付（本日）"), _("受付（累計）"), _("完了（本日）"), _("完了（累計）"), _("継続"), _("待機"),
            _("活動中"), _("保留"), _("取下げ"), _("活動世帯（本日）"), _("活動世帯（累計）")]


def _need_cells(r: dict) -> list:
    return [r["received_today"], r["received"], r["completed_today"], r["completed"], r["continuing"],
            r["waiting"], r["active"], r["on_hold"], r["cancelled"], r["households_worked_today"],
            r["households_worked"]]


def _summary_rows(f: dict, notes: str, plan: str) -> list[list]:
    v, d, n, h = f["volunteers"], f["dispatches"], f["needs"], f["households"]
    rows = [
        *([marking.drill_row() + [""]] if f["centre"].get("drill") else []),  # 訓練: the first row says so
        [_("センター"), f["centre"]["name"], ""],
        [_("日付"), f["date"], ""],
        [_("開設からの日数"), f["day_number"] or "", ""],
        ["", _("本日"), _("累計")],
    ]
    volunteer = _("ボランティア")
    for label, key in ((_("活動者数"), "total"), (_("市内"), "city"), (_("県内（市外）"), "prefecture"),
                       (_("県外"), "other"), (_("個人"), "individual"),
                       (pgettext("volunteer figures", "団体"), "group"), (_("団体数"), "groups")):
        rows.append([f"{volunteer}: {label}", v["today"][key], v["cumulative"][key]])
    rows += [
        [_("送り出し件数"), d["today"]["count"], d["cumulative"]["count"]],
        [_("送り出し人数"), d["today"]["people"], d["cumulative"]["people"]],
        [pgettext("report figure", "ニーズ受付"), n["today"]["received"], n["cumulative"]["received"]],
        [_("ニーズ完了"), n["today"]["completed"], n["cumulative"]["completed"]],
        [_("継続"), n["continuing"], ""],
        [_("待機（未着手）"), n["waiting"], ""],
        [_("依頼世帯数"), h["asked"]["today"], h["asked"]["cumulative"]],
        [_("活動世帯数"), h["worked"]["today"], h["worked"]["cumulative"]],
        [_("活動時間［時間］（受付から活動終了まで）"), f["hours"]["attendance"]["today"],
         f["hours"]["attendance"]["cumulative"]],
        [_("作業時間［時間］（活動報告・人数×時間）"), f["hours"]["reported"]["today"],
         f["hours"]["reported"]["cumulative"]],
        [_("けが人"), f["safety"]["injuries"]["today"], f["safety"]["injuries"]["cumulative"]],
        [_("熱中症"), f["safety"]["heat_illness"]["today"], f["safety"]["heat_illness"]["cumulative"]],
        [_("資機材 貸出中"), f["tools_out_total"], ""],
        [_("資機材 帰着期限を過ぎて未返却"), f.get("tools_overdue_total", 0), ""],
        *_welfare_rows(f.get("welfare")),
        *_technical_rows(f),
        [_("募集状況"), f["recruitment"]["status_label"], f["recruitment"]["scope_label"]],
        [_("明日の事前予約"), f["recruitment"]["booked_tomorrow"], ""],
        [_("明日の予定"), plan, ""],
        [_("特記事項"), notes, ""],
    ]
    return rows


def _welfare_rows(w: dict | None) -> list[list]:
    """福祉ケース: counts only (.get: reports stored before casework was counted have none)."""
    if not w:
        return []
    case = _("福祉ケース")
    return [
        [f"{case}: {_('新規')}", w["today"]["new"], w["cumulative"]["new"]],
        [f"{case}: {pgettext('welfare figure', '紹介')}", w["today"]["referred"], w["cumulative"]["referred"]],
        [f"{case}: {pgettext('welfare figure', '終了')}", w["today"]["closed"], w["cumulative"]["closed"]],
        [f"{case}: {_('対応中（日の終わり）')}", w["open"], ""],
        [f"{case}: {_('確認日超過')}", w["overdue"], ""],
    ]


def _technical_rows(f: dict) -> list[list]:
    """技術系ニーズ（協力団体）: ops.partners.figures.summary's counts, as the PDF shows them (render.technical_rows)."""
    from ops.reports.render import technical_rows, technical_shown

    if not technical_shown(f):
        return []
    title = _("技術系ニーズ（協力団体）")
    return [[f"{title}: {label}", f["technical"]["summary"].get(key, 0), ""] for label, key in technical_rows()]


def _technical_sheet(wb, f: dict) -> None:
    """協力団体別: one row per organisation with any job (ops.partners.figures.by_organisation)."""
    from ops.reports.render import technical_columns, technical_shown

    if not technical_shown(f) or not f["technical"]["by_organisation"]:
        return
    columns = technical_columns()
    _sheet(wb, _("協力団体別"), [_("協力団体"), *(label for label, _key in columns)],
           [[r["organisation"], *(r[key] for _label, key in columns)] for r in f["technical"]["by_organisation"]])


def render_daily_xlsx(figures: dict, trend: list[dict], *, notes: str = "", plan_tomorrow: str = "") -> bytes:
    wb = Workbook()
    _sheet(wb, _("概要"), [_("項目"), _("値"), ""], _summary_rows(figures, notes, plan_tomorrow), first=True)
    _sheet(wb, _("地区別"), [_("地区"), *_need_header()],
           [[r["district"], *_need_cells(r)] for r in figures["by_district"]])
    _sheet(wb, _("作業内容別"), [_("作業内容"), *_need_header()],
           [[r["name"], *_need_cells(r)] for r in figures["by_work_type"]])
    _sheet(wb, _("拠点別"),
           [_("拠点"), _("活動者数"), _("活動時間［時間］（受付から活動終了まで）"), _("送り出し件数"), _("送り出し人数"), _("班数"),
            *_need_header()],
           [[r["name"], r["volunteers"], r["hours"], r["dispatches"], r["people"], r["teams"], *_need_cells(r)]
            for r in figures["by_base"]])
    _sheet(wb, _("資機材・消耗品"), [_("品名"), _("単位"), _("配布（本日）"), _("配布（累計）"), _("在庫")],
           [[c["name"], c["unit"], c["handed_out_today"], c["handed_out"], c["on_hand"]]
            for c in figures.get("consumables", [])])  # .get: reports stored before consumables were counted
    _technical_sheet(wb, figures)
    ws = _sheet(wb, _("推移"),
                [_("日付"), _("活動者数"), _("送り出し件数"), pgettext("report figure", "ニーズ受付"), _("ニーズ完了"),
                 _("活動者数（累計）"), _("ニーズ受付（累計）"), _("ニーズ完了（累計）")],
                [[r["date"], r["volunteers"], r["dispatches"], r["needs_received"], r["needs_completed"],
                  r["volunteers_cumulative"], r["needs_received_cumulative"], r["needs_completed_cumulative"]]
                 for r in trend])
    if len(trend) > 1:
        chart = LineChart()
        chart.title = _("活動者数とニーズの推移（開設から）")
        chart.add_data(Reference(ws, min_col=2, max_col=2, min_row=1, max_row=len(trend) + 1), titles_from_data=True)
        chart.add_data(Reference(ws, min_col=4, max_col=5, min_row=1, max_row=len(trend) + 1), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(trend) + 1))
        chart.width, chart.height = 24, 10
        ws.add_chart(chart, "J2")
    return _save(wb)


def render_rollup_xlsx(rollup: dict) -> bytes:
    from ops.reports.rollup import ROLLUP_KEYS

    wb = Workbook()
    labels = rollup_labels()
    rows = [[r["name"], r["municipality"], r["recruitment"], *(r[k] for k in ROLLUP_KEYS)] for r in rollup["centres"]]
    rows.append([_("合計"), "", "", *(rollup["totals"][k] for k in ROLLUP_KEYS)])
    _sheet(wb, _("センター別"), [_("センター"), _("市町村"), _("募集状況"), *(labels[k] for k in ROLLUP_KEYS)], rows,
           first=True)
    return _save(wb)


def rollup_labels() -> dict[str, str]:
    return {
        "volunteers_today": _("活動者数（本日）"), "volunteers_cumulative": _("活動者数（累計）"),
        "dispatches_today": _("送り出し（本日）"), "dispatches_cumulative": _("送り出し（累計）"),
        "needs_received_today": _("ニーズ受付（本日）"), "needs_received_cumulative": _("ニーズ受付（累計）"),
        "needs_completed_today": _("ニーズ完了（本日）"), "needs_completed_cumulative": _("ニーズ完了（累計）"),
        "needs_waiting": _("待機"), "needs_continuing": _("継続"),
        "households_worked_today": _("活動世帯（本日）"), "households_worked_cumulative": _("活動世帯（累計）"),
        "injuries_today": _("けが人（本日）"), "heat_illness_today": _("熱中症（本日）"),
        "welfare_new_today": _("福祉ケース新規（本日）"), "welfare_open": _("福祉ケース対応中"),
        "welfare_overdue": _("福祉ケース確認日超過"), "welfare_referred_today": _("福祉ケース紹介（本日）"),
        "welfare_closed_today": _("福祉ケース終了（本日）"),
        "technical_waiting": _("技術系 協力団体待ち"), "technical_open": _("技術系 依頼中（未完了）"),
        "technical_done_today": _("技術系 本日対応済"),
    }


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
