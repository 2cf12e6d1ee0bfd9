"""Reads of the needs area: the filtered list, the welfare cases, the districts in use."""
import re

from django.db.models import Q, QuerySet

from ops import normalise
from ops.needs.models import Need, NeedStatus
from ops.needs.transitions import OPEN

_LABEL = re.compile(r"^\s*[nN][-‐－]?\s*0*(\d{1,7})\s*$")


def needs_list(centre, *, status: str = "", district: str = "", work_type: str = "", priority: str = "",
               welfare: str = "", q: str = "", personal: bool = False) -> QuerySet:
    """The needs list's rows. The text search looks into names, phones and addresses only for staff who may
    see them (`personal`): otherwise a search would reveal who has asked for help."""
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
    if welfare == "any":
        qs = qs.exclude(welfare=Need.Welfare.NONE)
    elif welfare in Need.Welfare.values:
        qs = qs.filter(welfare=welfare)
    q = (q or "").strip()[:100]
    if q:
        label = _LABEL.match(q)
        text = Q(description__icontains=q) | Q(district__icontains=q) | Q(notes__icontains=q)
        if label:
            text |= Q(number=int(label.group(1)))
        if personal:
            text |= (Q(name_key__contains=normalise.name_key(q)) | Q(kana_key__contains=normalise.kana_key(q))
                     | Q(address__icontains=q))
            digits = normalise.phone_key(q)
            if len(digits) >= 4 and normalise.looks_like_phone(q):
                text |= Q(phone_normalised__contains=digits)
        qs = qs.filter(text)
    return qs.distinct().order_by("priority", "-received_at", "-id") if status == "open" else qs.distinct()


def districts(centre) -> list[str]:
    return list(Need.objects.filter(centre=centre).exclude(district="").values_list("district", flat=True)
                .distinct().order_by("district"))


def welfare_cases(centre, *, open_only: bool = False) -> QuerySet:
    """Needs flagged 危機介入 or 見守り, or ever referred: they stay on this list after the mud work ends."""
    qs = Need.objects.filter(centre=centre).filter(~Q(welfare=Need.Welfare.NONE) | Q(referrals__isnull=False))
    if open_only:
        qs = qs.filter(referrals__closed_at__isnull=True)
    return qs.distinct().prefetch_related("referrals").order_by("welfare", "-received_at")
