"""三者連携 in the season: the centre, the partner organisations and the volunteers share the work, through
ops.partners.services only (as the staff desk and the organisation's own pages would call them).

- The first morning the administrator registers the organisations (cast.ORGANISATIONS); the centre's 協力団体
  logins are the first organisation's (Organisation.users).
- The survey marks roof work technical (ops.season.day); after the surveys the coordinator offers each
  technical need no organisation is working on to one that can do it: the whole need when volunteers may do
  none of it (it waits on hold), else each specialist work type.
- At dispatch, specialist work not marked technical (a fallen tree) goes to a team with a member who
  declared the skill; with none in today's teams the coordinator routes it to an organisation (`route`).
- The next morning an organisation accepts what it was offered the day before (the first heavy job is
  declined: the coordinator offers it to another organisation that day), and schedules for today what it
  accepted on an earlier day; that evening it reports the work done with a photo (the second report is
  partly done: the rest is offered to it again the next morning).
- A team that finished the volunteers' part of a need an organisation still works on reports it continuing
  and the coordinator puts the need on hold; when the organisation reports its work done the coordinator
  completes the need (a whole-need job completes it itself).

An organisation with a login answers as that login; the others answer by phone and the coordinator enters
what they said. Deterministic: every choice follows from the rows, in the order they were made.
"""
from __future__ import annotations

import io
from datetime import date

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from ops.centres.models import Role
from ops.needs.models import NeedStatus
from ops.needs.services.errors import NeedError
from ops.needs.transitions import IllegalTransition
from ops.partners import figures, services
from ops.partners.models import Organisation, PartnerJob
from ops.partners.services import PartnerRefused
from ops.season import cast

S = PartnerJob.Status
REFUSED = (NeedError, IllegalTransition)


def register(script) -> None:
    """The season's first morning (or the first it plays with none): the administrator registers them."""
    register_organisations(script.centre, by=script.season.staff[Role.ADMIN])


def register_organisations(centre, *, by) -> None:
    """The organisations the centre works with, once; the centre's 協力団体 logins join the first one."""
    if not Organisation.objects.filter(centre=centre).exists():
        for name, kind, capabilities, contact, phone, email, notes, _logins in cast.ORGANISATIONS:
            services.save_organisation(centre, by=by, name=name, kind=kind, capabilities=capabilities,
                                       contact_name=contact, phone=phone, email=email, notes=notes)
    link_logins(centre)


def link_logins(centre) -> None:
    """Each 協力団体 login of the centre that belongs to no organisation becomes a login of the organisation that
    takes them (cast.ORGANISATIONS), as accepting an invitation for it would."""
    takes = [row[0] for row in cast.ORGANISATIONS if row[7]]
    organisation = Organisation.objects.filter(centre=centre, name__in=takes).order_by("pk").first()
    if organisation is None:
        return
    logins = (get_user_model().objects.filter(memberships__centre=centre, memberships__role=Role.PARTNER)
              .exclude(partner_organisations__centre=centre).order_by("pk"))
    for user in logins:
        organisation.users.add(user)


def login_of(organisation, script):
    """Who enters an organisation's answer: its own login, or the coordinator taking its call."""
    user = organisation.users.filter(is_active=True, memberships__centre=organisation.centre,
                                     memberships__role=Role.PARTNER).order_by("pk").first()
    return user or script.season.staff[Role.COORDINATOR]


def _capabilities(need, work_type) -> set[str]:
    if work_type is not None:
        return {work_type.capability} if work_type.capability else set()
    return {wt.capability for wt in need.work_types.all() if wt.capability}


def choose(centre, need, work_type=None):
    """The organisation to ask: one that can do all the work and has not declined it; the one that did part
    of it before first; otherwise the one with the fewest open jobs (then fewest jobs, then the first)."""
    needed = _capabilities(need, work_type)
    jobs = PartnerJob.objects.filter(need=need)
    if work_type is not None:
        jobs = jobs.filter(work_type=work_type)
    declined = set(jobs.filter(status=S.DECLINED).values_list("organisation_id", flat=True))
    able = [org for org in Organisation.objects.filter(centre=centre, active=True).order_by("pk")
            if org.pk not in declined and all(org.can(code) for code in needed)]
    if not able:
        return None
    partly = set(jobs.filter(outcome=PartnerJob.Outcome.PARTLY).values_list("organisation_id", flat=True))
    for org in able:
        if org.pk in partly:
            return org
    load = {org.pk: (org.jobs.open().count(), org.jobs.count()) for org in able}
    return min(able, key=lambda org: (*load[org.pk], org.pk))


def _note(need, work_type) -> str:
    caps = sorted(_capabilities(need, work_type))
    note = cast.PARTNER_WORK[caps[0]][0] if caps and caps[0] in cast.PARTNER_WORK else ""
    if need.partner_jobs.filter(outcome=PartnerJob.Outcome.PARTLY).exists():
        note = f"{cast.CONTINUED}{note}"
    return note


def _offer(script, need, work_type=None, note: str = "") -> PartnerJob | None:
    s = script.season
    organisation = choose(script.centre, need, work_type)
    if organisation is None:
        return None
    try:
        return services.offer(need, organisation, by=s.staff[Role.COORDINATOR], work_type=work_type,
                              note=note or _note(need, work_type))
    except PartnerRefused as refusal:
        s.refusals.append(refusal.message)
        return None


def offer_waiting(script) -> None:
    """After the surveys: each technical need waiting for an organisation is offered to one; the whole need
    when volunteers may do none of it (it waits on hold), else each of its specialist work types."""
    waiting = figures.waiting_needs(script.centre).filter(technical=True).order_by("priority", "received_at", "pk")
    for need in waiting:
        work = list(need.work_types.all())
        if all(w.specialist_only for w in work):
            _offer(script, need)
            continue
        for work_type in need.specialist_work():
            _offer(script, need, work_type)


def route(script, need, work) -> bool:
    """Specialist work no team of the day can do (nobody with the skill) goes to an organisation."""
    offered = False
    for work_type in work:
        offered = _offer(script, need, work_type, note=f"{cast.ROUTED}{_note(need, work_type)}") is not None or offered
    return offered


def _day_of(script, moment) -> date:
    return script.centre.day_of(moment)


def answer(script) -> None:
    """The morning: organisations answer yesterday's offers (accept, or decline the first heavy job) and
    schedule for today what they accepted on an earlier day."""
    s, centre, day = script.season, script.centre, script.day
    for job in (PartnerJob.objects.filter(centre=centre, status__in=(S.OFFERED, S.ACCEPTED))
                .select_related("organisation", "work_type").order_by("pk")):
        by = login_of(job.organisation, script)
        try:
            if job.status == S.OFFERED and _day_of(script, job.offered_at) < day:
                first_heavy = (job.work_type is not None and job.work_type.code == "heavy"
                               and not PartnerJob.objects.filter(centre=centre, status=S.DECLINED).exists())
                if first_heavy:
                    services.decline(job, by=by, reason=cast.DECLINED, version=job.version)
                else:
                    services.accept(job, by=by, version=job.version)
            elif job.status == S.ACCEPTED and _day_of(script, job.responded_at) < day:
                services.schedule(job, by=by, on=day, note=cast.SCHEDULE_NOTE, version=job.version)
        except PartnerRefused as refusal:
            s.refusals.append(refusal.message)


def report(script) -> None:
    """The evening: each job scheduled for today is reported; the second report of the season is partly done
    (its rest is offered again), the others done, each with a photo of the work."""
    s, centre, day = script.season, script.centre, script.day
    for job in (PartnerJob.objects.filter(centre=centre, status=S.SCHEDULED, scheduled_for__lte=day)
                .select_related("organisation", "work_type", "need").order_by("pk")):
        reported = PartnerJob.objects.filter(centre=centre, status=S.DONE)
        partly = reported.exists() and not reported.filter(outcome=PartnerJob.Outcome.PARTLY).exists()
        caps = sorted(_capabilities(job.need, job.work_type))
        done_text, partly_text = cast.PARTNER_WORK.get(caps[0] if caps else "", ("", "作業の一部を行った。"))[1:]
        try:
            services.complete(job, by=login_of(job.organisation, script),
                              outcome=PartnerJob.Outcome.PARTLY if partly else PartnerJob.Outcome.DONE,
                              note=partly_text if partly else done_text, photos=[_photo(job.pk)],
                              version=job.version)
        except PartnerRefused as refusal:
            s.refusals.append(refusal.message)
            continue
        if not partly:
            _finished(script, job)


def wait_for_partner(script, need) -> None:
    """A team did the volunteers' part of a need an organisation still has work on: the coordinator puts the
    need on hold for the organisation (not completed: the resident's work is not finished)."""
    from ops.needs.services import set_status_by_hand

    need.refresh_from_db()
    if need.status != NeedStatus.CONTINUING:
        return
    try:
        set_status_by_hand(need, NeedStatus.ON_HOLD, by=script.season.staff[Role.COORDINATOR],
                           reason=cast.WAITING_FOR_PARTNER)
    except REFUSED as refusal:  # another team still out on it: its report moves the need
        script.season.refusals.append(str(refusal))


def _finished(script, job) -> None:
    """An organisation finished the last of a need the volunteers had finished their part of (waiting on
    hold): the coordinator completes the need. A whole-need job completes it itself (services.complete)."""
    from ops.needs.services import set_status_by_hand

    need = job.need
    need.refresh_from_db()
    if (job.work_type_id is None or need.status != NeedStatus.ON_HOLD or need.partner_jobs.open().exists()
            or need.specialist_work()):
        return
    try:
        set_status_by_hand(need, NeedStatus.COMPLETED, by=script.season.staff[Role.COORDINATOR],
                           reason=cast.PARTNER_FINISHED % {"org": job.organisation.name})
    except REFUSED as refusal:
        script.season.refusals.append(str(refusal))


def _photo(seed: int) -> SimpleUploadedFile:
    """A small made-up site photo (a blue sheet on a roof, or a cleared yard): the organisation's report has one."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 360), (140, 150, 160))
    draw = ImageDraw.Draw(image)
    draw.polygon([(40, 200), (240, 60 + seed % 40), (440, 200)], fill=(40, 90, 190))
    draw.rectangle([(70, 200), (410, 340)], fill=(190, 180, 160))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile("site.jpg", out.getvalue(), content_type="image/jpeg")
