"""活動証明書: a PDF with the name, the disaster, the dates and the hours, in a Japanese font."""
import contextlib
import re
import zlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ops.volunteers.certificate import certificate_context, japanese_font
from tests import factories

pytestmark = pytest.mark.django_db


def _served(centre, volunteer):
    today = timezone.localdate()
    for days_ago, hours in ((3, "6.00"), (1, "5.50")):
        start = timezone.now() - timedelta(days=days_ago, hours=7)
        factories.make_attendance(centre, volunteer, date=today - timedelta(days=days_ago), checked_in_at=start,
                                  checked_out_at=start + timedelta(hours=float(hours)), hours=Decimal(hours))


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams opened (WeasyPrint packs objects into them)."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(stream))
    return b"".join(parts)


def test_certificate_counts_days_and_hours(centre, volunteer):
    _served(centre, volunteer)
    context = certificate_context(volunteer, centre)
    assert len(context["days"]) == 2
    assert context["total_hours"] == Decimal("11.50")
    assert context["disaster"].name == centre.disaster.name


def test_volunteer_downloads_the_pdf_from_the_phone(client, centre, volunteer):
    _served(centre, volunteer)
    response = client.get(f"/v/{volunteer.token}/certificate/{centre.slug}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    if japanese_font() is not None:
        assert b"IPAexGothic" in _inflated(pdf)  # the Japanese font is embedded: no empty boxes


def test_no_certificate_without_activity(client, centre, volunteer):
    assert client.get(f"/v/{volunteer.token}/certificate/{centre.slug}.pdf").status_code == 404


def test_staff_print_the_certificate(reception_client, centre, volunteer):
    _served(centre, volunteer)
    response = reception_client.get(f"/c/{centre.slug}/volunteers/{volunteer.pk}/certificate.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_certificate_renders_without_the_font(monkeypatch, centre, volunteer):
    from ops.volunteers import certificate

    monkeypatch.setattr(certificate, "FONT_PATHS", [])
    _served(centre, volunteer)
    assert certificate.render_certificate(volunteer, centre).startswith(b"%PDF")
