"""The one check of a need's fields, shared by the staff form, the public form, the import and the API.

`clean_need_fields` returns cleaned values or raises ValidationError({field: [messages]}) in the user's
language, so each caller can show the errors next to the fields (or per row, for an import).
"""
import math
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import normalise
from ops.needs.models import Household, Need, WorkType

# A sane range for a pin in Japan (Okinotorishima to Etorofu, Yonaguni to Minamitorishima), with margin.
LAT_RANGE = (20.0, 46.0)
LNG_RANGE = (122.0, 154.0)

EDITABLE_FIELDS = (
    "channel", "requester_type", "requester_name", "requester_kana", "phone", "address", "district", "lat", "lng",
    "work_types", "description", "people_needed", "days_needed", "tools_needed", "vehicle_needed", "hazards",
    "household", "consent_share", "priority", "notes", "received_at", "base",
)
REQUIRED = ("requester_name", "address")


def _text(value, max_length: int) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > max_length:
        raise ValidationError(_("%(max)s文字以内で入力してください。") % {"max": max_length})
    return text


def _count(value, *, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as err:
        raise ValidationError(_("数字で入力してください。")) from err
    if not low <= number <= high:
        raise ValidationError(_("%(low)sから%(high)sまでの数を入力してください。") % {"low": low, "high": high})
    return number


def _coordinate(value, bounds: tuple[float, float]) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError) as err:
        raise ValidationError(_("数値で入力してください。")) from err
    if not math.isfinite(number) or not bounds[0] <= number <= bounds[1]:
        raise ValidationError(_("日本国内の位置を指定してください。"))
    return round(number, 7)


def _choice(value, choices, default):
    if value in (None, ""):
        return default
    if str(value) not in {str(v) for v in choices.values}:
        raise ValidationError(_("選択肢から選んでください。"))
    return type(default)(value) if isinstance(default, int) else str(value)


def _work_types(value) -> list[WorkType]:
    if value in (None, ""):
        return []
    items = list(value) if not isinstance(value, str) else value.replace("、", ",").split(",")
    found = []
    known = {wt.code: wt for wt in WorkType.objects.all()}
    by_name = {wt.name: wt for wt in known.values()}
    for item in items:
        if isinstance(item, WorkType):
            found.append(item)
            continue
        key = str(item).strip()
        if not key:
            continue
        wt = known.get(key) or by_name.get(key)
        if wt is None:
            raise ValidationError(_("不明な作業内容です: %(value)s") % {"value": key})
        found.append(wt)
    return list(dict.fromkeys(found))


def _household(value) -> list[str]:
    if value in (None, ""):
        return []
    items = value if isinstance(value, list | tuple) else str(value).replace("、", ",").split(",")
    codes = []
    labels = {str(label): code for code, label in Household.choices}
    for item in items:
        key = str(item).strip()
        if not key:
            continue
        code = key if key in Household.values else labels.get(key)
        if code is None:
            raise ValidationError(_("不明な世帯の状況です: %(value)s") % {"value": key})
        codes.append(code)
    return list(dict.fromkeys(codes))


def _received_at(value):
    if value in (None, ""):
        return timezone.now()
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    raise ValidationError(_("日時を正しく入力してください。"))


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on", "有", "あり", "要", "はい", "○", "〇", "済"}


CLEANERS = {
    "channel": lambda v: _choice(v, Need.Channel, Need.Channel.PHONE.value),
    "requester_type": lambda v: _choice(v, Need.RequesterType, Need.RequesterType.RESIDENT.value),
    "requester_name": lambda v: _text(v, 80),
    "requester_kana": lambda v: _text(v, 80),
    "address": lambda v: _text(v, 200),
    "district": lambda v: _text(v, 40),
    "lat": lambda v: _coordinate(v, LAT_RANGE),
    "lng": lambda v: _coordinate(v, LNG_RANGE),
    "work_types": _work_types,
    "description": lambda v: _text(v, 4000),
    "people_needed": lambda v: _count(v, low=1, high=200),
    "days_needed": lambda v: _count(v, low=1, high=60),
    "tools_needed": lambda v: _text(v, 200),
    "vehicle_needed": _bool,
    "hazards": lambda v: _text(v, 2000),
    "household": _household,
    "consent_share": _bool,
    "priority": lambda v: _choice(v, Need.Priority, int(Need.Priority.NORMAL)),
    "notes": lambda v: _text(v, 4000),
    "received_at": _received_at,
    "base": lambda v: v,
}


def clean_need_fields(fields: dict, *, partial: bool = False) -> dict:
    """Cleaned copies of `fields`. With partial=False the required fields must be there."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown need fields: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for name, value in fields.items():
        try:
            if name == "phone":
                text = _text(value, 20)
                cleaned["phone_normalised"] = normalise.validate_phone(text)
                cleaned["phone"] = normalise.display_phone(text)
            else:
                cleaned[name] = CLEANERS[name](value)
        except ValidationError as err:
            errors.setdefault(name, []).extend(err.messages)
    if not partial or any(f in fields for f in REQUIRED):
        for name in REQUIRED:
            if (not partial or name in fields) and name not in errors and not cleaned.get(name):
                errors.setdefault(name, []).append(_("この項目は必須です。"))
    lat_given = cleaned.get("lat") is not None
    lng_given = cleaned.get("lng") is not None
    if ("lat" in fields or "lng" in fields) and lat_given != lng_given and not {"lat", "lng"} & set(errors):
        errors.setdefault("lat", []).append(_("緯度と経度は両方とも指定してください。"))
    if errors:
        raise ValidationError(errors)
    return cleaned
