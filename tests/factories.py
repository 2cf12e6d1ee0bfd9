"""Test data builders: plain functions with sensible defaults; pass what the test is about."""
import itertools
from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone

from ops.centres.models import Base, Centre, Disaster, Membership
from ops.needs.models import Need, WorkType
from ops.volunteers.models import Attendance, Volunteer

_seq = itertools.count(1)


def make_disaster(**kw):
    kw.setdefault("name", "令和8年7月豪雨")
    kw.setdefault("prefecture", "長野県")
    kw.setdefault("started_on", date(2026, 7, 1))
    return Disaster.objects.create(**kw)


def ensure_work_types():
    """The work types the needs migration seeds: a transactional test's flush removes them for the tests after."""
    from importlib import import_module

    seeded = import_module("ops.needs.migrations.0006_technical_work").WORK_TYPES
    if WorkType.objects.count() < len(seeded):
        for order, (code, name, specialist, skill, capability) in enumerate(seeded):
            WorkType.objects.get_or_create(code=code, defaults={"name": name, "order": order,
                                                                "specialist_only": specialist,
                                                                "required_skill": skill, "capability": capability})


def make_centre(**kw):
    ensure_work_types()
    n = next(_seq)
    kw.setdefault("disaster", kw.pop("disaster", None) or make_disaster())
    kw.setdefault("name", f"テスト市災害ボランティアセンター{n}")
    kw.setdefault("slug", f"centre-{n}")
    kw.setdefault("municipality", "テスト市")
    kw.setdefault("prefecture", "長野県")
    kw.setdefault("lat", 36.65)
    kw.setdefault("lng", 138.18)
    kw.setdefault("status", Centre.Status.OPEN)
    centre = Centre.objects.create(**kw)
    Base.objects.create(centre=centre, name="本部", kind=Base.Kind.HQ, lat=centre.lat, lng=centre.lng)
    return centre


def make_user(role=None, centre=None, *, username=None, password="correct-horse-battery", **kw):
    username = username or f"user{next(_seq)}"
    user = get_user_model().objects.create_user(username=username, password=password, **kw)
    if role and centre:
        Membership.objects.create(user=user, centre=centre, role=role)
    return user


def make_need(centre, **kw):
    work_types = kw.pop("work_types", ["mud"])
    kw.setdefault("number", (centre.needs.order_by("-number").values_list("number", flat=True).first() or 0) + 1)
    kw.setdefault("received_at", timezone.now())
    kw.setdefault("requester_name", "山田 花子")
    kw.setdefault("requester_kana", "ヤマダ ハナコ")
    kw.setdefault("phone", "090-1234-5678")
    kw.setdefault("address", "テスト市中央1-2-3")
    kw.setdefault("district", "中央")
    kw.setdefault("lat", centre.lat + 0.001)
    kw.setdefault("lng", centre.lng + 0.001)
    need = Need.objects.create(centre=centre, **kw)
    need.work_types.set(WorkType.objects.filter(code__in=work_types))
    return need


def make_volunteer(**kw):
    n = next(_seq)
    kw.setdefault("name", f"ボランティア {n}")
    kw.setdefault("kana", f"ボランティア {n}")
    kw.setdefault("phone", f"080-0000-{n:04d}")
    kw.setdefault("age_band", Volunteer.AgeBand.THIRTIES)
    kw.setdefault("prefecture", "長野県")
    kw.setdefault("city", "テスト市")
    kw.setdefault("insurance", Volunteer.Insurance.ENROLLED)
    return Volunteer.objects.create(**kw)


def make_attendance(centre, volunteer=None, **kw):
    kw.setdefault("date", timezone.localdate())
    kw.setdefault("checked_in_at", timezone.now())
    kw.setdefault("insurance_confirmed", True)
    kw.setdefault("health", {"ok": True})
    return Attendance.objects.create(centre=centre, volunteer=volunteer or make_volunteer(), **kw)
