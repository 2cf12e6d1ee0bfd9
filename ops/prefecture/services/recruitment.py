"""募集状況 across centres: the prefecture sets several centres' recruitment at once, through each centre's own
service (`ops.centres.services.set_recruitment`: audited, the boards told), all or none."""
from django.db import transaction
from django.utils.translation import gettext as _

from ops.centres.models import Centre, Disaster
from ops.centres.services import CentreSettingError, set_recruitment
from ops.prefecture.services import PrefectureRefused

UNCHANGED = ""  # the scope field's choice that keeps each centre's own 募集範囲


def set_recruitment_across(disaster: Disaster, centres, *, status: str, scope: str = UNCHANGED, by=None) -> list:
    """Set `status` (and `scope`, unless UNCHANGED) at every centre given, keeping each one's daily capacity.
    Refused before anything is written when a centre is not the disaster's or has closed; a refusal of the
    centre service part-way rolls every centre back."""
    centres = list(centres)
    if not centres:
        raise PrefectureRefused(_("センターを1つ以上選んでください。"), field="centres")
    if status not in Centre.Recruitment.values:
        raise PrefectureRefused(_("募集状況の値が正しくありません。"), field="status")
    if scope != UNCHANGED and scope not in Centre.Scope.values:
        raise PrefectureRefused(_("募集範囲の値が正しくありません。"), field="scope")
    for centre in centres:
        if centre.disaster_id != disaster.pk:
            raise PrefectureRefused(_("この災害のセンターではありません。"), field="centres")
        if centre.status == Centre.Status.CLOSED:
            raise PrefectureRefused(_("%(name)sは閉所しています。") % {"name": centre.name}, field="centres")
    changed = []
    try:
        with transaction.atomic():
            for centre in centres:
                changed.append(set_recruitment(
                    centre, status=status, scope=centre.recruitment_scope if scope == UNCHANGED else scope,
                    capacity=centre.daily_capacity, by=by))
    except CentreSettingError as exc:
        raise PrefectureRefused(exc.message, field="status") from None
    return changed
