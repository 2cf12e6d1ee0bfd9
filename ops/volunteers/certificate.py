"""活動証明書: the volunteer's days and hours at a centre, as a PDF from WeasyPrint with a Japanese font."""
import logging
from decimal import Decimal
from pathlib import Path

from django.template.loader import render_to_string

from ops.centres.models import Centre
from ops.volunteers.models import Volunteer
from ops.volunteers.selectors import service_record

log = logging.getLogger(__name__)

FONT_PATHS = [
    Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf"),
]


def japanese_font() -> Path | None:
    return next((p for p in FONT_PATHS if p.exists()), None)


def certificate_context(volunteer: Volunteer, centre: Centre) -> dict:
    days = service_record(volunteer, centre)
    hours = sum((a.hours or Decimal(0) for a in days), Decimal(0))
    font = japanese_font()
    if font is None:
        log.warning("no Japanese font found; the certificate falls back to the system's fonts")
    return {
        "volunteer": volunteer, "centre": centre, "disaster": centre.disaster, "days": days,
        "total_hours": hours, "first": days[0].date if days else None, "last": days[-1].date if days else None,
        "issued_on": centre.today(), "font_url": font.as_uri() if font else "",
    }


def render_certificate(volunteer: Volunteer, centre: Centre) -> bytes:
    from weasyprint import HTML  # heavy import: only when a certificate is asked for

    html = render_to_string("volunteers/certificate.html", certificate_context(volunteer, centre))
    return HTML(string=html, base_url=str(Path(__file__).parent)).write_pdf()
