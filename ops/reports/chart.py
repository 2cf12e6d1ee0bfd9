"""The trend chart since opening (活動者数・ニーズの推移): matplotlib's Agg backend, Japanese font from its file."""
from __future__ import annotations

import io
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ops.reports import fonts


def render_chart(trend: list[dict], title: str = "") -> bytes:
    """PNG: volunteers per day (bars) and cumulative needs received / completed (lines) from opening."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    font = FontProperties(fname=str(fonts.japanese_font_path()), size=9)
    title_font = FontProperties(fname=str(fonts.japanese_font_path()), size=11)
    days = [date.fromisoformat(r["date"]) for r in trend]

    figure = Figure(figsize=(8, 3.4), dpi=110)
    left = figure.add_subplot(111)
    left.bar(days, [r["volunteers"] for r in trend], color="#8fb8de", label=_("活動者数（日別）"), width=0.8)
    left.set_ylabel(pgettext("chart axis", "人"), fontproperties=font)
    right = left.twinx()
    right.plot(days, [r["needs_received_cumulative"] for r in trend], color="#c0392b", linewidth=1.8,
               label=_("ニーズ受付（累計）"))
    right.plot(days, [r["needs_completed_cumulative"] for r in trend], color="#27ae60", linewidth=1.8,
               label=_("ニーズ完了（累計）"))
    right.set_ylabel(pgettext("chart axis", "件"), fontproperties=font)
    left.set_ylim(bottom=0)
    right.set_ylim(bottom=0)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
    left.xaxis.set_major_locator(locator)
    left.xaxis.set_major_formatter(mdates.DateFormatter("%m/%d"))
    for label in (*left.get_xticklabels(), *left.get_yticklabels(), *right.get_yticklabels()):
        label.set_fontproperties(font)
    handles = left.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    labels = left.get_legend_handles_labels()[1] + right.get_legend_handles_labels()[1]
    left.legend(handles, labels, prop=font, loc="upper left", frameon=False)
    left.set_title(title or _("活動者数とニーズの推移（開設から）"), fontproperties=title_font)
    left.grid(axis="y", color="#dddddd", linewidth=0.6)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
