"""QR codes as inline SVG (no image files, no script): personal codes and the day's poster."""
import segno
from django.conf import settings
from django.utils.safestring import mark_safe


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def qr_svg(data: str, *, css_class: str = "qr") -> str:
    svg = segno.make(data, error="m").svg_inline(scale=4, omitsize=True, svgclass=css_class, lineclass=None)
    return mark_safe(svg)  # noqa: S308 (segno's own markup: the data is encoded as paths, never as text)
