"""Rendering a PDF (the daily report, the demo's seed) writes nothing to the log below a warning: WeasyPrint's
progress steps and fontTools' subsetting notes broke up `make run`'s banner and fill the worker's log."""
import logging

from ops.reports.render import render_pdf


def test_building_a_pdf_writes_no_progress_lines_to_the_log(caplog):
    pdf = render_pdf("<html><body><h1>日報</h1><p>ボランティア 12人</p></body></html>")
    assert pdf.startswith(b"%PDF")
    noisy = [f"{r.name} {r.levelname} {r.getMessage()}" for r in caplog.records if r.levelno < logging.WARNING
             and r.name.split(".")[0] in {"weasyprint", "fontTools"}]
    assert noisy == []
