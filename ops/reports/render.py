"""Turns figures into what people read: the HTML document, its PDF (WeasyPrint), and the labels both share.

The XLSX workbook and the trend chart live in xlsx.py and chart.py. Nothing here queries the database
except `daily_context`, which gathers what a renderer needs once.
"""
from __future__ import annotations

import base64
from datetime import date
from functools import cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ops.partners.models import PartnerJob
from ops.reports import fonts
from ops.reports.figures import as_date

CSS_PATH = Path(__file__).resolve().parent / "static" / "reports" / "report.css"
WEEKDAYS = [gettext_lazy("月"), gettext_lazy("火"), gettext_lazy("水"), gettext_lazy("木"), gettext_lazy("金"),
            gettext_lazy("土"), gettext_lazy("日")]


VOLUNTEER_ROWS = [
    (gettext_lazy("合計"), "total"), (gettext_lazy("市内"), "city"), (gettext_lazy("県内（市外）"), "prefecture"),
    (gettext_lazy("県外"), "other"), (gettext_lazy("個人"), "individual"),
    (pgettext_lazy("volunteer figures", "団体"), "group"),  # who came in groups, beside 個人 (individuals)
    (gettext_lazy("団体数"), "groups"), (gettext_lazy("実人数"), "people"),
]


# 技術系ニーズ（協力団体）: the keys of ops.partners.figures.summary the report shows, in order, and the columns
# of its table by organisation (ops.partners.figures.by_organisation). HTML, PDF, mail and XLSX read these.
def technical_rows() -> list[tuple]:
    S = PartnerJob.Status
    return [(_("協力団体待ち"), "waiting"), (str(S.OFFERED.label), "offered"), (str(S.ACCEPTED.label), "accepted"),
            (str(S.SCHEDULED.label), "scheduled"), (_("本日対応済"), "done_today"), (_("対応済（累計）"), "done_total")]


def technical_columns() -> list[tuple]:
    S = PartnerJob.Status
    return [(_("依頼中（未完了）"), "open"), (str(S.SCHEDULED.label), "scheduled"), (str(S.DONE.label), "done"),
            (str(S.DECLINED.label), "declined")]


def technical_shown(figures: dict) -> bool:
    """The section is shown once the centre has any technical work (reports stored before it was counted,
    and centres without any, leave it out)."""
    t = figures.get("technical")
    return bool(t and (t["by_organisation"] or any(t["summary"].get(k) for _label, k in technical_rows())))


class RenderError(Exception):
    """A renderer failed on well-formed figures (a transient resource problem): the task retries."""


def format_day(day) -> str:
    day = as_date(day)
    return _("%(year)d年%(month)d月%(day)d日（%(weekday)s）") % {
        "year": day.year, "month": day.month, "day": day.day, "weekday": WEEKDAYS[day.weekday()]}


def daily_subject(centre_name: str, day) -> str:
    return _("【日報】%(centre)s %(date)s") % {"centre": centre_name, "date": format_day(day)}


def rollup_subject(disaster_name: str, day) -> str:
    return _("【集約報告】%(disaster)s %(date)s") % {"disaster": disaster_name, "date": format_day(day)}


def file_stem(prefix: str, slug: str, day: date) -> str:
    return f"{prefix}-{slug}-{as_date(day).isoformat()}"


@cache
def report_css() -> str:
    return CSS_PATH.read_text(encoding="utf-8")


def data_uri(png: bytes | None) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else ""


def daily_context(figures: dict, *, notes: str = "", plan_tomorrow: str = "", chart_src: str = "") -> dict:
    """Template context for the report body: the figures plus staff's notes and the labels of its rows.
    `sections`: the numbers of the headings after 7, which depend on the optional sections shown."""
    welfare, technical = bool(figures.get("welfare")), technical_shown(figures)
    sections = {"welfare": 8, "technical": 8 + welfare}
    sections["notes"] = sections["technical"] + technical
    sections["trend"] = sections["notes"] + 1
    t = figures.get("technical") or {"summary": {}, "by_organisation": []}
    return {
        "sections": sections,
        "technical": technical,
        "technical_rows": [(label, key, t["summary"].get(key, 0)) for label, key in technical_rows()],
        "technical_columns": technical_columns(),
        "technical_organisations": [{"organisation": r["organisation"], "cells": [(key, label, r[key]) for label, key in
                                                                                   technical_columns()]}
                                    for r in t["by_organisation"]],
        "f": figures,
        "day_label": format_day(figures["date"]),
        "notes": notes,
        "plan_tomorrow": plan_tomorrow,
        "chart_src": chart_src,
        "volunteer_rows": [(label, key, figures["volunteers"]["today"][key], figures["volunteers"]["cumulative"][key])
                           for label, key in VOLUNTEER_ROWS],
        "district_rows": [{**r, "label": r["district"]} for r in figures["by_district"]],
        "work_type_rows": [{**r, "label": r["name"]} for r in figures["by_work_type"]],
    }


def render_daily_html(figures: dict, *, notes: str = "", plan_tomorrow: str = "", chart_png: bytes | None = None
                      ) -> str:
    """The self-contained HTML document (CSS and chart inside): archived, mailed as PDF, printable."""
    context = daily_context(figures, notes=notes, plan_tomorrow=plan_tomorrow, chart_src=data_uri(chart_png))
    context.update({"css": report_css(), "generated_at": timezone.localtime()})
    return render_to_string("reports/document.html", context)


def render_rollup_html(rollup: dict) -> str:
    return render_to_string("reports/rollup_document.html", {
        "r": rollup, "day_label": format_day(rollup["date"]), "css": report_css(),
        "generated_at": timezone.localtime(),
    })


def render_pdf(html: str) -> bytes:
    """HTML → PDF with the Japanese font loaded from its file (FontMissing if the package is absent)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_css = fonts.font_face_css()  # raises FontMissing first: a clear message, not tofu boxes
    font_config = FontConfiguration()
    page_css = CSS(string=font_css + "@page { size: A4; margin: 12mm 10mm; }", font_config=font_config)
    try:
        return HTML(string=html, base_url=str(CSS_PATH.parent)).write_pdf(
            stylesheets=[page_css], font_config=font_config)
    except OSError as exc:
        raise RenderError(f"PDF: {exc}") from exc
