"""Days typed into a URL or a form: the one place that reads them. A day outside 2000–2099 is a typing mistake
(or a probe); refusing it here keeps every page's date arithmetic (the day before, the day after, a day's
bounds in the centre's zone) inside what Python's date can hold."""
from __future__ import annotations

from datetime import date, timedelta

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


def in_range(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def parse_day(value) -> date | None:
    """The day written YYYY-MM-DD, or None when it is empty, not a day, or outside the years above."""
    try:
        day = date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    return day if day is not None and in_range(day) else None


def add(day: date, n: int) -> date | None:
    """`day` moved by `n` days, or None past either end of the range (a page shows no link there)."""
    try:
        moved = day + timedelta(days=n)
    except OverflowError:
        return None
    return moved if in_range(moved) else None
