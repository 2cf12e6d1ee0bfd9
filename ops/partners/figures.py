"""The technical work's figures, in one place: the 日報, the staff board, the technical desk and the 情報共有会議
sheet all count from here, so the same number reads the same on every surface.

A technical need is an open need marked technical (the survey or a job offered), or with specialist-only work
no team has been sent to (the skill rule lets a team go only with a member who has the skill: a skilled team
doing it takes it off the desk). It is *waiting* while no open job covers it (no organisation asked yet, or
every one declined) and no organisation has done its work.
"""
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from ops.dispatch.models import Dispatch
from ops.needs.models import Need
from ops.needs.transitions import OPEN as NEED_OPEN
from ops.partners.models import PartnerJob

S = PartnerJob.Status


def technical_needs(centre):
    """Open needs that call for a partner organisation."""
    sent = Dispatch.objects.counted().filter(need=OuterRef("pk"))
    return (Need.objects.filter(centre=centre, status__in=NEED_OPEN)
            .filter(Q(technical=True) | (Q(work_types__specialist_only=True) & ~Exists(sent))).distinct())


def waiting_needs(centre):
    """Technical needs no organisation is working on or has been asked about (open jobs), nor has done (a job
    done with the work finished: what is left of the need is the volunteers')."""
    taken = PartnerJob.objects.filter(need=OuterRef("pk")).filter(
        Q(status__in=PartnerJob.OPEN) | Q(status=S.DONE, outcome=PartnerJob.Outcome.DONE))
    return technical_needs(centre).exclude(Exists(taken))


def summary(centre, day: date | None = None) -> dict:
    """The counts every surface shows: needs waiting for an organisation, jobs by open status, jobs done
    (in total, and on `day` by the centre's calendar when given)."""
    counts = dict(PartnerJob.objects.filter(centre=centre).values_list("status").annotate(n=Count("id")))
    figures = {
        "waiting": waiting_needs(centre).count(),
        "offered": counts.get(S.OFFERED, 0),
        "accepted": counts.get(S.ACCEPTED, 0),
        "scheduled": counts.get(S.SCHEDULED, 0),
        "done_total": counts.get(S.DONE, 0),
        "declined_total": counts.get(S.DECLINED, 0),
    }
    figures["open"] = figures["offered"] + figures["accepted"] + figures["scheduled"]
    if day is not None:
        start, end = centre.day_bounds(day)
        figures["done_today"] = PartnerJob.objects.filter(centre=centre, status=S.DONE, done_at__gte=start,
                                                          done_at__lt=end).count()
    return figures


def by_organisation(centre) -> list[dict]:
    """Per organisation that has any job, by name: its jobs in each status, and `open` (offered+accepted+scheduled)."""
    rows = {}
    for org_id, name, status, n in (PartnerJob.objects.filter(centre=centre)
                                    .values_list("organisation_id", "organisation__name", "status")
                                    .annotate(n=Count("id")).order_by("organisation__name")):
        row = rows.setdefault(org_id, {"organisation_id": org_id, "organisation": name, **dict.fromkeys(S.values, 0)})
        row[status] = n
    for row in rows.values():
        row["open"] = sum(row[s] for s in PartnerJob.OPEN)
    return list(rows.values())


def by_district(centre) -> list[dict]:
    """Per district (by name; "" for needs without one, last): its technical needs and how many of them wait
    for an organisation."""
    waiting = set(waiting_needs(centre).values_list("pk", flat=True))
    rows: dict[str, dict] = {}
    for pk, district in technical_needs(centre).values_list("pk", "district"):
        row = rows.setdefault(district or "", {"district": district or "", "technical": 0, "waiting": 0})
        row["technical"] += 1
        row["waiting"] += pk in waiting
    return sorted(rows.values(), key=lambda r: (r["district"] == "", r["district"]))
