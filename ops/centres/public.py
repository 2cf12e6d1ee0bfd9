"""The centre's public information (公開情報): what a volunteer or a resident looks for before coming, as the
public board, the public JSON, the council's widget and the council's page show it. One home for what is
public and for when each part of it last changed.

Each group of public fields has its own last-changed time in `Centre.public_changed`, stamped by `touch` inside
the transaction of the service that changed it (ops.centres.services, .bases, .suspension). "Last updated" is
the latest of them: it moves when public information changes, never on a check-in (the counters are figures,
not information; the feed's Last-Modified covers them, see ops.boards.feed).
"""
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ops.centres.models import Base, Centre
from ops.volunteers.qr import absolute

# group -> the Centre fields it is made of. Groups with no field are stamped by their own service.
GROUPS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "status": ("status",),
    "phone": ("phone",),
    "address": ("address", "lat", "lng"),
    "hours": ("activity_start", "activity_end"),
    "return_deadline": ("latest_return_time",),
    "insurance_signup_url": ("insurance_signup_url",),
    "recruitment": ("recruitment_status", "recruitment_scope", "daily_capacity"),
    "what_to_bring": ("what_to_bring",),
    "notices": ("notice",),
    "work_today": ("work_today",),
    "tomorrow": ("tomorrow_meeting_time", "tomorrow_meeting_place", "tomorrow_plan"),
    "message": ("status_message",),
    "bases": (),  # ops.centres.bases: a base added, moved, renamed or retired
    "suspensions": (),  # ops.centres.suspension: 活動中止 set or lifted
    "days": (),  # ops.centres.bases: a date's capacity or 休止日 (places left are figures, like the counters)
    "links": (),  # derived from the slug, which never changes: stamped when the centre is made
}
_GROUP_OF = {field: group for group, fields in GROUPS.items() for field in fields}


def all_changed_now() -> dict:
    now = timezone.now().isoformat()
    return dict.fromkeys(GROUPS, now)


def groups_of(fields) -> list[str]:
    """The public groups the changed model `fields` belong to (a non-public field belongs to none)."""
    return sorted({_GROUP_OF[f] for f in fields if f in _GROUP_OF})


def stamp(centre: Centre, groups) -> bool:
    """Set `groups`' last-changed time to now on `centre` (not saved); False when there was none to set."""
    groups = [g for g in groups if g in GROUPS]
    if not groups:
        return False
    now = timezone.now().isoformat()
    centre.public_changed = {**(centre.public_changed or {}), **dict.fromkeys(groups, now)}
    return True


def touch(centre: Centre | int, *groups: str) -> None:
    """Stamp `groups` as changed now, under the centre's row lock, in the caller's transaction."""
    pk = centre if isinstance(centre, int) else centre.pk
    with transaction.atomic():
        locked = Centre.objects.select_for_update().only("pk", "public_changed").get(pk=pk)
        if stamp(locked, groups):
            locked.save(update_fields=["public_changed"])
    if not isinstance(centre, int):
        centre.public_changed = locked.public_changed


def changed_times(centre: Centre) -> dict:
    """{group: ISO time} for every group (None: not stamped yet; migration centres/0006 stamped every centre)."""
    stamps = centre.public_changed or {}
    return {group: stamps.get(group) for group in GROUPS}


def last_changed(centre: Centre) -> str | None:
    times = [t for t in changed_times(centre).values() if t]
    return max(times) if times else None


def links(centre: Centre) -> dict:
    """Absolute links (SITE_URL) a council's page or a news article can point to."""
    def url(name, **kwargs):
        return absolute(reverse(name, kwargs={"centre": centre.slug, **kwargs}))

    return {
        "board": url("boards:public"),
        "register": url("volunteers:register"),
        "book": url("volunteers:book"),
        "request": url("needs:public_request"),
        "feed": absolute(reverse("api:public_status", kwargs={"centre": centre.slug})),
        "widget": url("boards:widget"),
    }


def book_link(centre: Centre, day) -> str:
    return absolute(reverse("volunteers:book", kwargs={"centre": centre.slug})) + f"?date={day.isoformat()}"


def _hm(value) -> str | None:
    return value.strftime("%H:%M") if value else None


def public_info(centre: Centre) -> dict:
    """The information groups beyond the recruitment codes and notices (which ops.centres.services.centre_state
    already carries): how to reach the centre, where it and its bases are, its hours and today's and
    tomorrow's work. Never a person's name: every field is one the centre's staff typed for the public."""
    bases = Base.objects.filter(centre=centre).active().order_by("kind", "id")
    return {
        "phone": centre.phone,
        "address": centre.address,
        "position": {"lat": centre.lat, "lng": centre.lng},
        "reception_hours": {"start": _hm(centre.activity_start), "end": _hm(centre.activity_end)},
        "return_deadline": _hm(centre.latest_return_time),
        "insurance_signup_url": centre.insurance_signup_url,
        "links": links(centre),
        "work_today": centre.work_today,
        "tomorrow": {"meeting_time": _hm(centre.tomorrow_meeting_time),
                     "meeting_place": centre.tomorrow_meeting_place, "plan": centre.tomorrow_plan},
        "message": centre.status_message,
        "bases": [{"name": b.name, "kind": b.kind, "address": b.address, "lat": b.lat, "lng": b.lng}
                  for b in bases],
    }
