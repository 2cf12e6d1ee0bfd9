"""How the system reads what people type: phone numbers, kana, names and addresses in their many Japanese
spellings. The one home of these rules: needs intake and its duplicate check, the needs search, volunteers'
registration (a returning volunteer is recognised by phone and kana) and the reception search all call it,
and the keys stored on Need and Volunteer are made here (migrations recompute them when a rule changes).

"０９０ー１２３４ー５６７８", "+81 (0)90 1234 5678" and "0081-90-1234-5678" are one phone, 09012345678;
"やまだ はなこ", "ﾔﾏﾀﾞ ﾊﾅｺ" and "ヤマダ・ハナコ" one reading, ヤマダハナコ (katakana, as a フリガナ box asks).
"""
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Hyphens, long-vowel marks, dashes and rules people type between digits. NFKC folds the full-width
# hyphen-minus and the small hyphen to "-" and half-width ｰ to ー; the others stay distinct and are listed.
DASHES = "-‐‑‒–—―−⁃ー─━"
_PHONE_SEPARATORS = re.compile(rf"[\s{re.escape(DASHES)}().]")
_INTERNATIONAL = re.compile(r"^(?:\+|00)81")  # +81 or 0081, Japan's country code
_PHONEISH = re.compile(rf"\+?[\d\s{re.escape(DASHES)}().]+")
_NOT_DIGIT = re.compile(r"\D")
# What a name or reading may have between its parts: spaces, middle dots, full stops and commas.
_NAME_SEPARATORS = re.compile(r"[\s・.,、。]")
_PREFECTURE = re.compile(r"^(東京都|北海道|(?:京都|大阪)府|[^\d\s]{2,3}県)")
_ADDRESS_UNITS = re.compile(r"(丁目|番地|番|号)")
_ADDRESS_DASHES = re.compile(rf"[{re.escape(DASHES)}]|(?<=\d)[のノ](?=\d)")
_KANJI_DIGITS = str.maketrans("〇一二三四五六七八九", "0123456789")
# Hiragana ぁ..ゖ and the iteration marks ゝゞ sit 0x60 below their katakana.
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in [*range(0x3041, 0x3097), 0x309D, 0x309E]}


def _nfkc(value) -> str:
    """Width folded (full-width digits and letters, half-width kana) and trimmed."""
    return unicodedata.normalize("NFKC", str(value or "")).strip()


def _phone_text(value) -> str:
    """What was typed without separators, the country code read as the domestic trunk 0:
    '+81 (0)90-1234-5678' -> '09012345678'. Letters stay, so validation can refuse them."""
    text = _PHONE_SEPARATORS.sub("", _nfkc(value))
    international = _INTERNATIONAL.match(text)
    if international:
        text = "0" + text[international.end():].lstrip("0")
    return text


def phone_key(value) -> str:
    """A phone number as the key every part compares and stores (Need and Volunteer.phone_normalised):
    digits only, domestic form. '' for blank input. Does not validate; see validate_phone."""
    return _NOT_DIGIT.sub("", _phone_text(value))[:20]


def looks_like_phone(text) -> bool:
    """A search box's text is (part of) a phone number rather than a name: digits and separators only."""
    return bool(_PHONEISH.fullmatch(_nfkc(text)))


def validate_phone(value) -> str:
    """The phone's key, or ValidationError with a message in the user's language. '' for blank input.

    Japanese numbers: mobile/IP/M2M (050, 070, 080, 090, 020) and 0800 have 11 digits; landlines and 0120
    have 10 digits; all start with a single 0.
    """
    text = _phone_text(value)
    if not text:
        return ""
    if not text.isdigit():
        raise ValidationError(_("電話番号は数字で入力してください（例: 090-1234-5678）。"), code="phone")
    if not text.startswith("0") or text.startswith("00"):
        raise ValidationError(_("電話番号は0から始まる番号を入力してください（例: 026-123-4567）。"),
                              code="phone")
    expected = 11 if text[:3] in {"020", "050", "070", "080", "090"} or text.startswith("0800") else 10
    if len(text) != expected:
        raise ValidationError(
            _("電話番号の桁数が正しくありません（%(expected)s桁の番号です）。") % {"expected": expected},
            code="phone",
        )
    return text


def display_phone(value) -> str:
    """Half-width form of what the person typed, so staff read it back as given: '０９０ー１２３４' -> '090-1234'."""
    return re.sub(rf"[{re.escape(DASHES)}]", "-", _nfkc(value))


def kana_key(value) -> str:
    """A reading (フリガナ) as the key every part compares and stores (Need and Volunteer.kana_key):
    width folded, no spaces or dots, hiragana as katakana, Latin letters case-folded."""
    text = _NAME_SEPARATORS.sub("", _nfkc(value)).casefold()
    return text.translate(_HIRAGANA_TO_KATAKANA)[:80]


def name_key(value) -> str:
    """A name for comparison (Need.name_key, a returning volunteer): folded as kana_key, so a name written in
    kana, or a reading typed in the name box, still meets its other spelling."""
    return kana_key(value)


def address_key(value) -> str:
    """Address for comparison: '中央１丁目２番地の３' and '中央1-2-3' give the same key."""
    text = re.sub(r"\s", "", _nfkc(value))
    text = _PREFECTURE.sub("", text)  # one centre serves one area: the prefecture adds nothing
    text = re.sub(r"[一二三四五六七八九〇]+(?=丁目|番|号)", lambda m: m.group(0).translate(_KANJI_DIGITS), text)
    text = _ADDRESS_UNITS.sub("-", text)
    text = _ADDRESS_DASHES.sub("-", text)
    text = re.sub(r"-[のノ](?=\d)", "-", text)
    text = re.sub(r"-+", "-", text).strip("-")
    return text[:200]
