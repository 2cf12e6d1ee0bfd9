"""三者連携の依頼: offering a need (or one work type of it) to a partner organisation, and the organisation's
answers. Every change of a job's status goes through here, under the job's row lock, with a history line
(what the 情報共有会議 reads as changed), an audit row and a `partner.changed` event for the staff boards.

Who may call what is ops.permissions' (EDIT_NEEDS offers and withdraws; `may_work_job` answers as the
organisation); these functions check the facts: the organisation can do the work, the job is in a status
that allows the step, the form was not answered by someone else first (`version`).
"""
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit
from ops.events import emit
from ops.needs.models import Need, NeedStatus, WorkType
from ops.needs.services.photos import clean_jpeg
from ops.needs.services.status import public_delta
from ops.needs.state import need_state
from ops.needs.transitions import OPEN as NEED_OPEN
from ops.needs.transitions import allowed, change_status
from ops.partners.models import Capability, JobPhoto, Meeting, Organisation, PartnerJob, PartnerJobChange
from ops.partners.state import job_state

S = PartnerJob.Status
MAX_PHOTOS = 6
# The steps and the statuses each may start from.
STEPS = {
    "accept": frozenset({S.OFFERED}),
    "decline": frozenset({S.OFFERED, S.ACCEPTED, S.SCHEDULED}),
    "schedule": frozenset({S.ACCEPTED, S.SCHEDULED}),
    "complete": frozenset({S.ACCEPTED, S.SCHEDULED}),
    "withdraw": frozenset({S.OFFERED, S.ACCEPTED, S.SCHEDULED}),
}


class PartnerRefused(Exception):
    """A refused step, with a message in the user's language and the form field it is about (if one)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


# --- organisations -----------------------------------------------------------------------------------------

ORGANISATION_FIELDS = ("name", "kind", "capabilities", "contact_name", "phone", "email", "notes", "active")


def save_organisation(centre, *, by, organisation: Organisation | None = None, **fields) -> Organisation:
    """Create (organisation=None) or change an organisation of `centre`. Unknown capability codes and a name
    another organisation of the centre has are refused; nothing is written then."""
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    name = (fields.get("name", organisation.name if organisation else "") or "").strip()
    if not name:
        raise PartnerRefused(_("団体名を入力してください。"), "name")
    capabilities = fields.get("capabilities", organisation.capabilities if organisation else [])
    if any(code not in Capability.values for code in capabilities or []):
        raise PartnerRefused(_("対応できる作業は選択肢から選んでください。"), "capabilities")
    if "kind" in fields and fields["kind"] not in Organisation.Kind.values:
        raise PartnerRefused(_("選択肢から選んでください。"), "kind")
    taken = Organisation.objects.filter(centre=centre, name=name)
    if organisation is not None:
        taken = taken.exclude(pk=organisation.pk)
    if taken.exists():
        raise PartnerRefused(_("同じ名前の団体がすでに登録されています。"), "name")
    with transaction.atomic(), audit.operation("partner.organisation", by=by, centre=centre):
        org = organisation or Organisation(centre=centre)
        for key, value in fields.items():
            setattr(org, key, value.strip() if isinstance(value, str) else value)
        org.name = name
        org.capabilities = sorted(set(capabilities or []), key=Capability.values.index)
        org.save()
    return org


def organisations_for(centre, work_type: WorkType | None = None):
    """The centre's active organisations, those that can do `work_type` first (all when it names none)."""
    orgs = list(Organisation.objects.filter(centre=centre, active=True))
    if work_type is None or not work_type.capability:
        return orgs
    return sorted(orgs, key=lambda o: not o.can(work_type.capability))


# --- the job's steps -----------------------------------------------------------------------------------------

def offer(need: Need, organisation: Organisation, *, by, work_type: WorkType | None = None,
          note: str = "") -> PartnerJob:
    """Offer the need (or its `work_type`) to `organisation`. Refused when the organisation is not the
    centre's or not active, cannot do the work, the need is closed, or the same work is already with an
    organisation (open, or done)."""
    if organisation.centre_id != need.centre_id:
        raise PartnerRefused(_("このセンターの協力団体ではありません。"), "organisation")
    if not organisation.active:
        raise PartnerRefused(_("%(org)sは現在活動していません。") % {"org": organisation.name}, "organisation")
    if work_type is not None:
        if not need.work_types.filter(pk=work_type.pk).exists():
            raise PartnerRefused(_("このニーズの作業内容ではありません。"), "work_type")
        if work_type.capability and not organisation.can(work_type.capability):
            raise PartnerRefused(_("%(org)sは「%(cap)s」に対応していません。") % {
                "org": organisation.name, "cap": Capability(work_type.capability).label}, "organisation")
    with transaction.atomic(), audit.operation("partner.offered", by=by, centre=need.centre_id):
        locked = Need.objects.select_for_update().get(pk=need.pk)
        if locked.status not in NEED_OPEN:
            raise PartnerRefused(_("%(need)sは終了しています（%(status)s）。") % {
                "need": locked.label, "status": NeedStatus(locked.status).label})
        jobs = PartnerJob.objects.filter(need=locked)
        same = jobs.covering(work_type.pk) if work_type is not None else jobs.open()
        taken = same.select_related("organisation").first()
        if taken is not None:
            raise PartnerRefused(_("この作業はすでに%(org)sに依頼しています（%(status)s）。") % {
                "org": taken.organisation.name, "status": taken.get_status_display()}, "work_type")
        job = PartnerJob.objects.create(
            centre_id=locked.centre_id, need=locked, work_type=work_type, organisation=organisation,
            note=note.strip()[:2000], offered_at=timezone.now(), offered_by=_user(by))
        if not locked.technical:
            Need.objects.filter(pk=locked.pk).update(technical=True, version=F("version") + 1)
            locked.technical = True
        _history(job, "", S.OFFERED, by=by)
        audit.changed(job, created=True)
        _emit(job, locked)
    return job


def accept(job: PartnerJob, *, by, version: int | None = None) -> PartnerJob:
    return _step(job, "accept", S.ACCEPTED, by=by, version=version, action="partner.answered",
                 fields={"responded_at": timezone.now()})


def decline(job: PartnerJob, *, by, reason: str, version: int | None = None) -> PartnerJob:
    reason = (reason or "").strip()
    if not reason:
        raise PartnerRefused(_("辞退の理由を入力してください。"), "reason")
    return _step(job, "decline", S.DECLINED, by=by, version=version, action="partner.answered", note=reason,
                 fields={"responded_at": timezone.now(), "decline_reason": reason[:300]})


def schedule(job: PartnerJob, *, by, on: date | None, note: str = "", version: int | None = None) -> PartnerJob:
    if on is None:
        raise PartnerRefused(_("対応予定日を入力してください。"), "on")
    today = job.centre.day_of(timezone.now())
    if on < today:
        raise PartnerRefused(_("対応予定日は今日以降の日付にしてください。"), "on")
    return _step(job, "schedule", S.SCHEDULED, by=by, version=version, action="partner.scheduled",
                 note=on.isoformat(), fields={"scheduled_for": on, "schedule_note": note.strip()[:200]})


def complete(job: PartnerJob, *, by, outcome: str, note: str = "", photos=(), version: int | None = None
             ) -> PartnerJob:
    """The organisation reports the work: done, partly done (the work stays to be done) or could not. Done,
    it completes the need when the organisation did all of it (_finish_need) and no team is on it."""
    if outcome not in PartnerJob.Outcome.values:
        raise PartnerRefused(_("結果を選んでください。"), "outcome")
    if outcome != PartnerJob.Outcome.DONE and not (note or "").strip():
        raise PartnerRefused(_("残っている作業や対応できなかった理由を入力してください。"), "note")
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        raise PartnerRefused(_("写真は%(n)d枚までです。") % {"n": MAX_PHOTOS}, "photos")
    try:
        images = [clean_jpeg(upload) for upload in photos]  # read and checked before anything is written
    except ValidationError as err:
        raise PartnerRefused(" ".join(err.message_dict.get("image", err.messages)), "photos") from err
    with transaction.atomic():
        job = _step(job, "complete", S.DONE, by=by, version=version, action="partner.done",
                    note=PartnerJob.Outcome(outcome).label,
                    fields={"done_at": timezone.now(), "outcome": outcome, "outcome_note": note.strip()[:4000]},
                    after=_finish_need if outcome == PartnerJob.Outcome.DONE else None)
        for data in images:
            photo = JobPhoto(job=job, uploaded_by=_user(by))
            photo.image.save("photo.jpg", ContentFile(data), save=False)
            photo.save()
    return job


def withdraw(job: PartnerJob, *, by, reason: str, version: int | None = None) -> PartnerJob:
    reason = (reason or "").strip()
    if not reason:
        raise PartnerRefused(_("取下げの理由を入力してください。"), "reason")
    return _step(job, "withdraw", S.WITHDRAWN, by=by, version=version, action="partner.withdrawn", note=reason,
                 fields={"decline_reason": reason[:300]})


def record_meeting(centre, *, by, notes: str = "", at=None) -> Meeting:
    """The 情報共有会議 was held now (or `at`): the next sheet's "changed since" starts here."""
    with transaction.atomic(), audit.operation("partner.meeting", by=by, centre=centre):
        meeting = Meeting.objects.create(centre=centre, held_at=at or timezone.now(), by=_user(by),
                                         notes=(notes or "").strip()[:4000])
        audit.changed(meeting, created=True)
    return meeting


# --- internals -----------------------------------------------------------------------------------------------

def _user(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def _step(job, step, to, *, by, version, action, fields, note="", after=None) -> PartnerJob:
    with transaction.atomic(), audit.operation(action, by=by, centre=job.centre_id):
        locked = (PartnerJob.objects.select_for_update(of=("self",)).select_related("organisation", "centre")
                  .get(pk=job.pk))
        if version is not None and locked.version != version:
            raise PartnerRefused(_("この依頼は先に更新されています（現在：%(status)s）。画面を読み込み直してください。")
                                 % {"status": locked.get_status_display()})
        if locked.status not in STEPS[step]:
            raise PartnerRefused(_("この依頼は現在「%(status)s」のため、この操作はできません。")
                                 % {"status": locked.get_status_display()})
        before = locked.status
        for key, value in fields.items():
            setattr(locked, key, value)
        locked.status = to
        locked.version += 1
        locked.save(update_fields=[*fields, "status", "version", "updated_at"])
        _history(locked, before, to, by=by, note=note)
        audit.changed(locked, fields=sorted({*fields, "status"}))
        need = Need.objects.select_for_update().get(pk=locked.need_id)
        if after is not None:
            after(locked, need, by=by)
        _emit(locked, need)
    return locked


def _finish_need(job, need, *, by) -> None:
    """The need is done when the organisation did all of it: a whole-need job, or the last open job of a need
    the survey left to organisations alone, with its specialist work all done. Never while a team is out."""
    if need.dispatches.active().exists():
        return
    whole = job.work_type_id is None
    if not whole and not (need.partners_only() and not need.partner_jobs.open().exists()
                          and not need.specialist_work()):
        return
    if allowed(need.status, NeedStatus.COMPLETED):
        change = change_status(need, NeedStatus.COMPLETED, by=by,
                               reason=_("%(org)sが対応を完了") % {"org": job.organisation.name})
        emit(need.centre_id, "need.changed", {"need": need_state(need), "from": change.from_status,
                                              "to": change.to_status},
             public=public_delta(change.from_status, change.to_status))


def _history(job, from_status, to_status, *, by, note=""):
    PartnerJobChange.objects.create(job=job, from_status=from_status, to_status=to_status, by=_user(by),
                                    note=str(note)[:300])


def _emit(job, need) -> None:
    emit(job.centre_id, "partner.changed", {"job": job_state(job), "need": need_state(need)})
