"""How a returning volunteer is recognised: phone numbers and names written the way people type them.

"090-1234-5678", "０９０（１２３４）５６７８" and "+81 90 1234 5678" are one phone; "やまだ はなこ" and
"ヤマダハナコ" one kana.
"""
import re
import unicodedata

_NOT_DIGIT = re.compile(r"\D+")
_SPACES = re.compile(r"[\s\u3000・･]+")


def phone_key(phone: str) -> str:
    digits = _NOT_DIGIT.sub("", unicodedata.normalize("NFKC", phone or ""))
    if digits.startswith("81") and len(digits) in (11, 12):  # +81 90..., +81 3...: back to the domestic form
        digits = "0" + digits[2:]
    return digits


def kana_key(kana: str) -> str:
    """Katakana, no spaces, half-width folded: what two spellings of one reading have in common."""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", kana or ""))
    # Hiragana U+3041..U+3096 sit 0x60 below their katakana.
    return "".join(chr(ord(ch) + 0x60) if "\u3041" <= ch <= "\u3096" else ch for ch in text).upper()


def name_key(name: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", name or "")).casefold()
