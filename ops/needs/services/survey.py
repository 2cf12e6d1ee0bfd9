"""現地調査: a surveyor's findings set the need's demand, and decide whether volunteers may do it at all."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit
from ops.events import emit
from ops.needs.models import Closure, Need, NeedStatus, Survey
from ops.needs.services.status import public_delta
from ops.needs.services.welfare import apply_welfare_flag
from ops.needs.state import need_state
from ops.needs.transitions import TRANSITIONS, change_status
from ops.welfare.models import Case

# From these statuses a survey that finds the work fit for volunteers moves the need to 調査済.
SURVEY_MOVES = frozenset({NeedStatus.NEW, NeedStatus.ON_HOLD})


def _validate(people_needed, days_needed, volunteer_ok, refusal_reason, damage_type):
    errors = {}
    if damage_type not in Survey.Damage.values:
        errors["damage_type"] = [_("選択肢から選んでください。")]
    for name, value, high in (("people_needed", people_needed, 200), ("days_needed", days_needed, 60)):
        if not isinstance(value, int) or not 1 <= value <= high:
            errors[name] = [_("%(low)sから%(high)sまでの数を入力してください。") % {"low": 1, "high": high}]
    if not volunteer_ok and not (refusal_reason or "").strip():
        errors["refusal_reason"] = [_("ボランティアで対応できない理由を入力してください。")]
    if errors:
        raise ValidationError(errors)


def record_survey(need: Need, *, by, damage_type: str, people_needed: int, days_needed: int,
                  volunteer_ok: bool = True, work_class: str = "", estimate_reason: str = "", tools: str = "",
                  refusal_reason: str = "", referred_to: str = "", hazards: str | None = None,
                  surveyed_at=None, welfare: str | None = None, welfare_note: str = "",
                  technical: bool = False) -> Survey:
    """Record the survey; the need takes its people, days and tools. Work volunteers must not do (roofs,
    upper floors, structure) is either technical (`technical`: the need waits on hold for a partner
    organisation, ops.partners) or closes the need as referred elsewhere. Technical work beside work
    volunteers may do marks the need technical and leaves it on the volunteers' way."""
    _validate(people_needed, days_needed, volunteer_ok, refusal_reason, damage_type)
    with transaction.atomic(), audit.operation("need.survey", by=by):
        locked = Need.objects.select_for_update().get(pk=need.pk)
        survey = Survey.objects.create(
            need=locked, surveyor=by, surveyed_at=surveyed_at or timezone.now(), damage_type=damage_type,
            work_class=work_class[:80], people_needed=people_needed, days_needed=days_needed,
            estimate_reason=estimate_reason[:300], tools=tools[:200], volunteer_ok=volunteer_ok,
            refusal_reason=refusal_reason[:300], referred_to=referred_to[:200], technical=technical,
        )
        updates = {"people_needed": people_needed, "days_needed": days_needed, "version": F("version") + 1}
        if technical:
            updates["technical"] = True
        if tools:
            updates["tools_needed"] = tools[:200]
        if hazards is not None:
            updates["hazards"] = hazards[:2000]
        Need.objects.filter(pk=locked.pk).update(**updates)
        locked.refresh_from_db()
        audit.changed(locked, fields=sorted(set(updates) - {"version"}))
        if welfare is not None and (welfare != locked.welfare or welfare_note.strip()):  # a note is never dropped
            apply_welfare_flag(locked, kind=welfare, by=by, note=welfare_note, source=Case.Source.SURVEY)
        change = None
        if not volunteer_ok and technical:
            if locked.status != NeedStatus.ON_HOLD:
                reason = _("現地調査: 技術系（協力団体の対応待ち）（%(why)s）") % {"why": refusal_reason[:200]}
                change = change_status(locked, NeedStatus.ON_HOLD, by=by, reason=reason)
        elif not volunteer_ok:
            reason = _("現地調査: ボランティア対応不可（%(why)s）") % {"why": refusal_reason[:200]}
            change = change_status(locked, NeedStatus.CANCELLED, by=by, reason=reason)
            Need.objects.filter(pk=locked.pk).update(closure=Closure.REFERRED)
            locked.closure = Closure.REFERRED
            audit.changed(locked, fields=["closure"])
        elif locked.status in SURVEY_MOVES and NeedStatus.SURVEYED in TRANSITIONS[locked.status]:
            change = change_status(locked, NeedStatus.SURVEYED, by=by, reason=_("現地調査"))
        payload = {"need": need_state(locked)}
        if change is not None:
            payload.update({"from": change.from_status, "to": change.to_status})
        emit(locked.centre_id, "need.changed", payload,
             public=public_delta(change.from_status, change.to_status) if change else None)
    need.refresh_from_db()
    return survey
