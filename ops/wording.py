"""Punctuation that differs between the two languages. Japanese lists with 「、」 or 「・」 ("泥出し、清掃"),
English with a comma ("Mud removal, Cleaning"). The separators go through the catalogue, so each page
follows its own language; mapping/static/mapping/board.js makes the same choice in the browser."""
from django.utils.translation import pgettext


def separator(mark: str = "、") -> str:
    """The list separator of the active language for the Japanese mark 「、」 or 「・」."""
    if mark == "・":
        return pgettext("list separator", "・")
    return pgettext("list separator", "、")


def listing(items, mark: str = "、") -> str:
    """'泥出し、清掃' in Japanese, 'Mud removal, Cleaning' in English."""
    return separator(mark).join(str(item) for item in items)
