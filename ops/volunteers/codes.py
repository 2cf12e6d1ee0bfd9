"""The day's check-in code on the poster: HMAC(centre secret, date), so it changes every day, differs per
centre, and needs no table. Rotating Centre.checkin_secret voids every printed poster."""
import base64
import hashlib
import hmac
from datetime import date, timedelta

from ops.centres.models import Centre

CODE_LENGTH = 16  # 96 bits, url-safe


def daily_code(centre: Centre, day: date) -> str:
    mac = hmac.new(centre.checkin_secret.encode(), f"{centre.pk}:{day.isoformat()}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode()[:CODE_LENGTH]


def is_valid(centre: Centre, code: str, day: date) -> bool:
    # As bytes: compare_digest refuses str with non-ASCII characters, and a URL can carry any.
    return hmac.compare_digest(daily_code(centre, day).encode(), (code or "").encode())


def day_of_code(centre: Centre, code: str, around: date, *, days: int = 14) -> date | None:
    """Which nearby day a code was made for (to tell "yesterday's poster" from a wrong one), or None."""
    for offset in range(-days, days + 1):
        day = around + timedelta(days=offset)
        if is_valid(centre, code, day):
            return day
    return None
