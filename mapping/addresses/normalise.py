"""How an address is read for the reference data: one key for every spelling of the same place.

"中央一丁目12番5号", "中央１－１２－５", "中央1丁目12-5" and "大字中央1ー12の5" give one key, 中央1-12-5:
widths folded with jaconv (full-width digits to half, half-width kana to full), kanji numerals before a unit
(丁目・番地・番・号) read with kanjize, units and every dash turned into "-", 大字/字 dropped, and ヶ/ケ/が,
の/ノ/之 spelled one way. Kanji numerals inside a name (三ノ輪, 八幡) stay as they are. The reference data's
towns get the same key (中央一丁目 -> 中央1), so a typed address meets the file's row by prefix.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jaconv
from kanjize import kanji2number

from ops.normalise import DASHES

PREFECTURE = re.compile(r"^(東京都|北海道|(?:京都|大阪)府|[^\d\s-]{2,3}県)")
# After the units are dashes: a kanji numeral before a dash, a 号 or the end is a number (一-十二-の五).
_KANJI_NUMBER = re.compile(r"[〇一二三四五六七八九十百千]+(?=-|号|$)")
_SPACES = re.compile(r"[\s\u3000]+")
# ー is a long-vowel mark in a name (センター) and a dash between numbers (1ー2): a dash only next to a digit.
_DASHES = re.compile("[" + re.escape(DASHES.replace("ー", "")) + "]|(?<=\\d)ー|ー(?=\\d)")
_BETWEEN_NUMBERS_NO = re.compile(r"(?<=[\d-])[のノ之](?=\d)")
_UNITS = re.compile(r"丁目|番地|番|地割")
_GO = re.compile(r"(?<=\d)号")
_KE = str.maketrans({"ヶ": "ケ", "ヵ": "ケ", "が": "ケ", "の": "ノ", "之": "ノ"})


def fold(text) -> str:
    """Width and spacing folded: digits and Latin letters half-width, kana full-width, no spaces."""
    text = unicodedata.normalize("NFC", str(text or ""))
    text = jaconv.z2h(text, kana=False, ascii=True, digit=True)
    text = jaconv.h2z(text, kana=True, ascii=False, digit=False)
    return _SPACES.sub("", text)


def _numbers_and_units(text: str) -> str:
    text = _DASHES.sub("-", text)
    text = _UNITS.sub("-", text)
    text = _KANJI_NUMBER.sub(lambda m: str(kanji2number(m.group(0))), text)
    text = _BETWEEN_NUMBERS_NO.sub("-", text)
    text = _GO.sub("", text)
    text = text.translate(_KE)
    return re.sub(r"-+", "-", text)


def split_prefecture(text: str) -> tuple[str, str]:
    """(prefecture or "", the rest), the text already folded."""
    m = PREFECTURE.match(text)
    return (m.group(1), text[m.end():]) if m else ("", text)


@lru_cache(maxsize=65536)
def town_key(town: str) -> str:
    """A town (大字・町丁目) as stored and compared: 大字中央一丁目 -> 中央1, 桜ヶ丘 -> 桜ケ丘."""
    text = _numbers_and_units(fold(town))
    text = re.sub(r"^大?字", "", text)
    return text.strip("-")


def city_key(city: str) -> str:
    return fold(city).translate(_KE)


def city_aliases(city: str) -> tuple[str, ...]:
    """The keys a typed address may name a municipality by: 北安曇郡白馬村 is also written 白馬村."""
    key = city_key(city)
    gun = key.find("郡")
    return (key, key[gun + 1:]) if 0 < gun < len(key) - 1 else (key,)


def block_key(block: str) -> str:
    """A 街区符号・地番 as compared: '１２' and '12番地' -> '12'."""
    return _numbers_and_units(fold(block)).strip("-")


def query_key(text: str) -> tuple[str, str]:
    """(prefecture or "", the rest of a typed address as a key), e.g. '長野県デモ市大字中央一丁目12番5号' ->
    ('長野県', 'デモ市中央1-12-5'). 大字 is dropped wherever it is; a leading 字 is the matcher's to drop."""
    prefecture, rest = split_prefecture(fold(text))
    rest = _numbers_and_units(rest).replace("大字", "")
    return prefecture, rest.strip("-")
