"""What staff change about the centre as a whole during operations: recruitment (募集状況), notices and what to
bring, opening status. Each change is validated, saved, audited and announced on both boards (`centre.changed`)
in one transaction, so the public board at the entrance changes the moment staff press save."""
from django.db import transaction
from django.utils.translation import gettext as _

from ops import audit
from ops.centres.models import Centre
from ops.events import emit

MAX_CAPACITY = 100_000


class CentreSettingError(Exception):
    """A rejected change; `message` is shown to the user as is."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def centre_state(centre: Centre) -> dict:
    """What every board may know of the centre: public information only (it is the public event's data)."""
    return {
        "status": centre.status,
        "recruitment_status": centre.recruitment_status,
        "recruitment_scope": centre.recruitment_scope,
        "daily_capacity": centre.daily_capacity,
        "what_to_bring": centre.what_to_bring,
        "notices": notices_of(centre),
    }


def notices_of(centre: Centre) -> list[str]:
    """The notice field holds one notice per line."""
    return [line.strip() for line in centre.notice.splitlines() if line.strip()]


def set_recruitment(centre: Centre, *, status: str, scope: str, capacity: int, by=None) -> Centre:
    """Set who may come from tomorrow on (募集中 / 事前登録のみ / 募集なし), from how far, and how many a day."""
    if status not in Centre.Recruitment.values:
        raise CentreSettingError(_("募集状況の値が正しくありません。"))
    if scope not in Centre.Scope.values:
        raise CentreSettingError(_("募集範囲の値が正しくありません。"))
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        raise CentreSettingError(_("受入上限は数字で入力してください。")) from None
    if not 0 <= capacity <= MAX_CAPACITY:
        raise CentreSettingError(_("受入上限は0から100000の間で入力してください。"))
    return _update(centre, by=by, action="centre.recruitment",
                   recruitment_status=status, recruitment_scope=scope, daily_capacity=capacity)


def set_notices(centre: Centre, *, notice: str, what_to_bring: str, by=None) -> Centre:
    """お知らせ (one per line) and 持ち物, as shown on the public board and the public JSON."""
    notice, what_to_bring = (notice or "").strip(), (what_to_bring or "").strip()
    if len(notice) > 2000 or len(what_to_bring) > 1000:
        raise CentreSettingError(_("お知らせは2000文字、持ち物は1000文字までです。"))
    return _update(centre, by=by, action="centre.notices", notice=notice, what_to_bring=what_to_bring)


def set_status(centre: Centre, *, status: str, by=None) -> Centre:
    """開設中 / 準備中 / 終了, as announced on the public board."""
    if status not in Centre.Status.values:
        raise CentreSettingError(_("開設状況の値が正しくありません。"))
    return _update(centre, by=by, action="centre.status", status=status)


def _update(centre: Centre, *, by, action: str, **values) -> Centre:
    with transaction.atomic():
        locked = Centre.objects.select_for_update().get(pk=centre.pk)
        changed = sorted(k for k, v in values.items() if getattr(locked, k) != v)
        if not changed:
            return locked
        for field in changed:
            setattr(locked, field, values[field])
        locked.save(update_fields=changed)
        audit.record(centre=locked, action=action, obj=locked, by=by, fields=changed)
        state = centre_state(locked)
        emit(locked, "centre.changed", {"centre": state}, public={"centre": state})
    for field in changed:
        setattr(centre, field, values[field])
    return locked
