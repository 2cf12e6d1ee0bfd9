"""Words and punctuation that differ between the two languages. Japanese lists with 「、」 or 「・」
("泥出し、清掃"), English with a comma ("Mud removal, Cleaning"); durations as "3時間30分" / "3 h 30 min".
They go through the catalogue, so each page follows its own language; mapping/static/mapping/board.js makes
the same choice of separator in the browser."""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import pgettext


def separator(mark: str = "、") -> str:
    """The list separator of the active language for the Japanese mark 「、」 or 「・」."""
    if mark == "・":
        return pgettext("list separator", "・")
    return pgettext("list separator", "、")


def listing(items, mark: str = "、") -> str:
    """'泥出し、清掃' in Japanese, 'Mud removal, Cleaning' in English."""
    return separator(mark).join(str(item) for item in items)


def duration(hours) -> str:
    """Hours (Decimal, float or int, as stored and summed) as a person reads them: "3時間30分", "3時間", "7分"
    ("3 h 30 min", "3 h", "7 min" in English), to the nearest minute; "" for no value. Every page that shows
    hours uses this (the `duration` template filter); nobody reads "0.11 時間"."""
    if hours is None or hours == "":
        return ""
    try:
        minutes = int((Decimal(str(hours)) * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError):
        return str(hours)
    whole, rest = divmod(minutes, 60)
    if whole and rest:
        return pgettext("duration", "%(hours)s時間%(minutes)d分") % {"hours": f"{whole:,}", "minutes": rest}
    if whole:
        return pgettext("duration", "%(hours)s時間") % {"hours": f"{whole:,}"}
    return pgettext("duration", "%(minutes)d分") % {"minutes": rest}
