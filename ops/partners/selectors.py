"""What a partner organisation sees: its jobs at a centre (`jobs_for`) and, of each routed need, the sheet it
works from (`job_sheet`). This is the one place that decides what a 協力団体's login reads of the centre:
its job page (views_partner) shows a JobSheet and never the need itself; its list shows of each job only the
status, the work, the dates and the need's label and district.

An organisation sees, of a need routed to it:
- the need's label, district, address and position (it must find the site), its work types, the people and
  days the centre estimated, the hazards and every site warning (危険箇所, teams' near misses);
- the job: the work asked (job.work_label()), the centre's note with it, its status, dates and its own answers
  (decline reason, schedule note, outcome, outcome note and photos);
- the latest survey's damage type and work class;
- the resident's name and phone only while the job is accepted or scheduled: the organisation calls to arrange
  its visit, as a dispatched team's leader does from the slip. Not before it takes the job, not after it is
  done or declined.

Never: the household (世帯の状況), the welfare flag, the need's notes, description, kana and photos, the survey's
free text, the need's history, another organisation's jobs, or any volunteer's data.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from mapping.geo import geo_uri, web_map_url
from ops.needs.models import SiteWarning
from ops.partners.models import PartnerJob
from ops.permissions import partner_organisations

S = PartnerJob.Status
RECENT = timedelta(days=14)  # how long a done or declined job stays on the organisation's list
CONTACT_STATUSES = frozenset({S.ACCEPTED, S.SCHEDULED})  # while the organisation arranges its visit


def jobs_for(user, centre):
    """The jobs of the user's organisations at `centre`: open ones first (oldest offer first, so nothing waits
    at the bottom), then those done or declined in the last RECENT days, latest first."""
    since = timezone.now() - RECENT
    recent = Q(status=S.DONE, done_at__gte=since) | Q(status=S.DECLINED, responded_at__gte=since)
    return (PartnerJob.objects.filter(centre_id=centre.pk, organisation__in=partner_organisations(user, centre))
            .filter(Q(status__in=PartnerJob.OPEN) | recent)
            .select_related("need", "work_type", "organisation")
            .annotate(closed=Case(When(status__in=PartnerJob.OPEN, then=Value(0)), default=Value(1),
                                  output_field=IntegerField()))
            .order_by("closed", Case(When(closed=0, then="offered_at")), "-updated_at", "-id"))


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str


@dataclass(frozen=True)
class JobSheet:
    """A routed need as its organisation sees it (see the module's docstring for what is in it and what never)."""

    pk: int
    version: int
    status: str
    status_label: str
    organisation: str
    work: str
    note: str
    offered_at: datetime
    responded_at: datetime | None
    decline_reason: str
    scheduled_for: date | None
    schedule_note: str
    done_at: datetime | None
    outcome: str
    outcome_label: str
    outcome_note: str
    photo_ids: tuple[int, ...]
    need_label: str
    district: str
    address: str
    lat: float | None
    lng: float | None
    map_links: dict | None
    work_types: tuple[str, ...]
    people_needed: int
    days_needed: int
    warnings: tuple[SiteWarning, ...]
    damage_type: str
    work_class: str
    contact: Contact | None

    @property
    def is_open(self) -> bool:
        return self.status in PartnerJob.OPEN


def job_sheet(job: PartnerJob, *, accepted_view: bool) -> JobSheet:
    """The sheet of `job`. `accepted_view`: the organisation's view of a job it has taken, with the resident's
    name and phone to call; given only while the job is accepted or scheduled, whatever the caller asks."""
    need = job.need
    survey = need.surveys.order_by("-surveyed_at", "-id").first()
    located = need.lat is not None and need.lng is not None
    contact = None
    if accepted_view and job.status in CONTACT_STATUSES:
        contact = Contact(name=need.requester_name, phone=need.phone)
    return JobSheet(
        pk=job.pk, version=job.version, status=job.status, status_label=str(job.get_status_display()),
        organisation=job.organisation.name, work=job.work_label(), note=job.note, offered_at=job.offered_at,
        responded_at=job.responded_at,
        decline_reason=job.decline_reason if job.status == S.DECLINED else "",  # a withdrawal's reason is staff's
        scheduled_for=job.scheduled_for, schedule_note=job.schedule_note, done_at=job.done_at,
        outcome=job.outcome, outcome_label=str(job.get_outcome_display()) if job.outcome else "",
        outcome_note=job.outcome_note, photo_ids=tuple(job.photos.order_by("pk").values_list("pk", flat=True)),
        need_label=need.label, district=need.district, address=need.address, lat=need.lat, lng=need.lng,
        map_links={"geo": geo_uri(need.lat, need.lng, need.label), "web": web_map_url(need.lat, need.lng)}
        if located else None,
        work_types=tuple(str(wt) for wt in need.work_types.all()),
        people_needed=need.people_needed, days_needed=need.days_needed, warnings=tuple(need.site_warnings()),
        damage_type=str(survey.get_damage_type_display()) if survey else "",
        work_class=survey.work_class if survey else "",
        contact=contact,
    )
