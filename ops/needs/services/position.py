"""A need's position set on the map board (a click, or a place the address search found): one transaction,
on the audit trail, told to every board like any other change of the need."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ops import audit
from ops.events import emit
from ops.needs.models import Need
from ops.needs.services.errors import NeedError
from ops.needs.services.fields import LAT_RANGE, LNG_RANGE, _coordinate
from ops.needs.state import need_state


def place_need(need: Need, *, lat, lng, by=None, actor: str = "") -> Need:
    """Put the need at (lat, lng). Refuses (NeedError, in the user's words) a missing coordinate, a value that
    is no number, or a point outside Japan. Bumps the version, so a board acting on an older copy is refused."""
    if lat in (None, "") or lng in (None, ""):
        raise NeedError(_("緯度と経度は両方とも指定してください。"))
    try:
        lat, lng = _coordinate(lat, LAT_RANGE), _coordinate(lng, LNG_RANGE)
    except ValidationError as err:
        raise NeedError(" ".join(err.messages)) from err
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    with transaction.atomic(), audit.operation("need.placed", by=user, actor=actor):
        locked = Need.objects.select_for_update().get(pk=need.pk)
        if (locked.lat, locked.lng) == (lat, lng):
            return locked
        locked.lat, locked.lng = lat, lng
        locked.version = F("version") + 1
        locked.save(update_fields=["lat", "lng", "version", "updated_at"])  # the save signal writes the trail
        locked.refresh_from_db()
        emit(locked.centre_id, "need.changed", {"need": need_state(locked), "fields": ["lat", "lng"]})
    need.lat, need.lng, need.version = locked.lat, locked.lng, locked.version
    return locked
