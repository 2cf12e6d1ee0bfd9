"""The Japanese font for PDFs and charts: a Debian package's file found at run time, never committed."""
import os
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# fonts-ipaexfont-gothic (scripts/bootstrap.sh installs it). Others are accepted if an operator prefers them.
CANDIDATES = (
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
)
FAMILY = "DVC Report Gothic"


class FontMissing(ImproperlyConfigured):
    """No Japanese font: PDFs and charts would show empty boxes instead of text, so we refuse to build."""


def _configured() -> list[str]:
    value = os.environ.get("REPORT_FONT_PATH") or getattr(settings, "REPORT_FONT_PATH", "")
    return [value] if value else []


@cache
def japanese_font_path() -> Path:
    for candidate in (*_configured(), *CANDIDATES):
        path = Path(candidate)
        if path.is_file():
            return path
    raise FontMissing(
        "日報に使う日本語フォントが見つかりません / no Japanese font for the daily report: install the Debian "
        "package fonts-ipaexfont-gothic (apt-get install fonts-ipaexfont-gothic, done by scripts/bootstrap.sh) "
        f"or set REPORT_FONT_PATH to a .ttf/.otf file. Looked in: {', '.join((*_configured(), *CANDIDATES))}"
    )


def font_face_css() -> str:
    """@font-face for WeasyPrint, pointing at the font file by a file:// URL."""
    return (f'@font-face {{ font-family: "{FAMILY}"; src: url("{japanese_font_path().as_uri()}"); }}\n'
            f'html, body {{ font-family: "{FAMILY}", sans-serif; }}\n')
