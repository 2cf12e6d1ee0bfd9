"""Reads of the needs area: the filtered list and the districts in use."""
import operator
import re
from functools import reduce

from django.db.models import Q, QuerySet

from ops import normalise
from ops.needs.models import Need, NeedStatus
from ops.needs.transitions import OPEN

NEED = Need._meta.label
_LABEL = re.compile(r"^\s*[nN][-‐－]?\s*0*(\d{1,7})\s*$")


def needs_list(centre, *, sight, status: str = "", district: str = "", work_type: str = "", priority: str = "",
               welfare: str = "", q: str = "") -> QuerySet:
    """The needs list's rows as `sight` (ops.privacy) may find them: the welfare filter and the text search
    look only into fields the role sees, or a search would reveal what the page hides (who asked, a phone
    number in the notes) one character at a time."""
    qs = Need.objects.filter(centre=centre).prefetch_related("work_types")
    if status == "open":
        qs = qs.filter(status__in=OPEN)
    elif status in NeedStatus.values:
        qs = qs.filter(status=status)
    if district:
        qs = qs.filter(district=district)
    if work_type:
        qs = qs.filter(work_types__code=work_type)
    if priority.isdigit():
        qs = qs.filter(priority=int(priority))
    if sight.shows(NEED, "welfare"):
        if welfare == "any":
            qs = qs.exclude(welfare=Need.Welfare.NONE)
        elif welfare in Need.Welfare.values:
            qs = qs.filter(welfare=welfare)
    q = (q or "").strip()[:100]
    if q:
        matches = [match for field, match in _SEARCH.items() if sight.shows(NEED, field)]
        qs = qs.filter(reduce(operator.or_, (m for match in matches if (m := match(q)) is not None), Q(pk__in=[])))
    return qs.distinct().order_by("priority", "-received_at", "-id") if status == "open" else qs.distinct()


def _label(q):
    label = _LABEL.match(q)
    return Q(number=int(label.group(1))) if label else None


def _phone(q):
    digits = normalise.phone_key(q)
    return Q(phone_normalised__contains=digits) if len(digits) >= 4 and normalise.looks_like_phone(q) else None


# What the text search looks into, per field; each is searched only for roles that see the field.
_SEARCH = {
    "number": _label,
    "district": lambda q: Q(district__icontains=q),
    "description": lambda q: Q(description__icontains=q),
    "notes": lambda q: Q(notes__icontains=q),
    "hazards": lambda q: Q(hazards__icontains=q),
    "name_key": lambda q: Q(name_key__contains=normalise.name_key(q)),
    "kana_key": lambda q: Q(kana_key__contains=normalise.kana_key(q)),
    "address": lambda q: Q(address__icontains=q),
    "phone_normalised": _phone,
}


def districts(centre) -> list[str]:
    return list(Need.objects.filter(centre=centre).exclude(district="").values_list("district", flat=True)
                .distinct().order_by("district"))

