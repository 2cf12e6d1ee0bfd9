"""How intake reads what people type: phone numbers, names and addresses in their many Japanese spellings.

One helper per kind, so the form, the public page, the import and the duplicate check agree.
"""
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Hyphens, long-vowel marks and dashes people type between digits (after NFKC some remain distinct).
_DASHES = "-‐‑‒–—―−ーｰ─━"
_PHONE_NOISE = re.compile(rf"[\s{re.escape(_DASHES)}().]")
_ADDRESS_DASHES = re.compile(rf"[{re.escape(_DASHES)}]|(?<=\d)[のノ](?=\d)")
_PREFECTURE = re.compile(r"^(東京都|北海道|(?:京都|大阪)府|[^\d\s]{2,3}県)")


def _nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def normalise_phone(value: str) -> str:
    """Digits only, domestic form: '＋８１ ９０-１２３４-５６７８' -> '09012345678'. '' for blank input.

    Does not validate; see validate_phone.
    """
    digits = _PHONE_NOISE.sub("", _nfkc(value))
    if digits.startswith("+81"):
        digits = "0" + digits[3:].lstrip("0")
    elif digits.startswith("0081"):
        digits = "0" + digits[4:].lstrip("0")
    return digits


def validate_phone(value: str) -> str:
    """The normalised number, or ValidationError with a message in the user's language.

    Japanese numbers: mobile/IP/M2M (050, 070, 080, 090, 020) and 0800 have 11 digits; landlines and 0120
    have 10 digits; all start with a single 0.
    """
    digits = normalise_phone(value)
    if not digits:
        return ""
    if not digits.isdigit():
        raise ValidationError(_("電話番号は数字で入力してください（例: 090-1234-5678）。"), code="phone")
    if not digits.startswith("0") or digits.startswith("00"):
        raise ValidationError(_("電話番号は0から始まる番号を入力してください（例: 026-123-4567）。"),
                              code="phone")
    expected = 11 if digits[:3] in {"020", "050", "070", "080", "090"} or digits.startswith("0800") else 10
    if len(digits) != expected:
        raise ValidationError(
            _("電話番号の桁数が正しくありません（%(expected)s桁の番号です）。") % {"expected": expected},
            code="phone",
        )
    return digits


def display_phone(value: str) -> str:
    """Half-width form of what the person typed, so staff read it back as given: '０９０ー１２３４' -> '090-1234'."""
    text = _nfkc(value)
    return re.sub(rf"[{re.escape(_DASHES)}]", "-", text)


def _kata_to_hira(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def name_key(value: str) -> str:
    """Name or kana for comparison: width folded, spaces and dots dropped, katakana as hiragana."""
    text = _nfkc(value).lower()
    text = re.sub(r"[\s・.,、。]", "", text)
    return _kata_to_hira(text)[:80]


_ADDRESS_UNITS = re.compile(r"(丁目|番地|番|号)")
_KANJI_DIGITS = str.maketrans("〇一二三四五六七八九", "0123456789")


def address_key(value: str) -> str:
    """Address for comparison: '中央１丁目２番地の３' and '中央1-2-3' give the same key."""
    text = _nfkc(value)
    text = re.sub(r"\s", "", text)
    text = _PREFECTURE.sub("", text)  # one centre serves one area: the prefecture adds nothing
    text = re.sub(r"[一二三四五六七八九〇]+(?=丁目|番|号)", lambda m: m.group(0).translate(_KANJI_DIGITS), text)
    text = _ADDRESS_UNITS.sub("-", text)
    text = _ADDRESS_DASHES.sub("-", text)
    text = re.sub(r"-[のノ](?=\d)", "-", text)
    text = re.sub(r"-+", "-", text).strip("-")
    return text[:200]
