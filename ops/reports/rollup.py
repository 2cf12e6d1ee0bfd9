"""The prefectural council's roll-up (集約): one row per centre of a disaster, today and to date, and the totals,
each row read from that centre's 日報 figures (ops.reports.figures.daily_figures), never from its tables."""
from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from ops.centres.models import Centre, Disaster
from ops.reports.figures import as_date, daily_figures

ROLLUP_KEYS = ("volunteers_today", "volunteers_cumulative", "dispatches_today", "dispatches_cumulative",
               "needs_received_today", "needs_received_cumulative", "needs_completed_today",
               "needs_completed_cumulative", "needs_waiting", "needs_continuing", "households_worked_today",
               "households_worked_cumulative", "injuries_today", "heat_illness_today", "welfare_new_today",
               "welfare_open", "welfare_overdue", "welfare_referred_today", "welfare_closed_today",
               "technical_waiting", "technical_open", "technical_done_today")


def rollup_row(figures: dict) -> dict:
    v, d, n, h, s = (figures["volunteers"], figures["dispatches"], figures["needs"], figures["households"],
                     figures["safety"])
    return {
        "volunteers_today": v["today"]["total"], "volunteers_cumulative": v["cumulative"]["total"],
        "dispatches_today": d["today"]["count"], "dispatches_cumulative": d["cumulative"]["count"],
        "needs_received_today": n["today"]["received"], "needs_received_cumulative": n["cumulative"]["received"],
        "needs_completed_today": n["today"]["completed"],
        "needs_completed_cumulative": n["cumulative"]["completed"],
        "needs_waiting": n["waiting"], "needs_continuing": n["continuing"],
        "households_worked_today": h["worked"]["today"], "households_worked_cumulative": h["worked"]["cumulative"],
        "injuries_today": s["injuries"]["today"], "heat_illness_today": s["heat_illness"]["today"],
        **_welfare_row(figures.get("welfare")),
        **_technical_row(figures.get("technical")),
    }


def _technical_row(technical: dict | None) -> dict:
    """技術系: the centre's ops.partners.figures.summary as its 日報 holds it (none before it was counted: zeros)."""
    s = (technical or {}).get("summary", {})
    return {"technical_waiting": s.get("waiting", 0), "technical_open": s.get("open", 0),
            "technical_done_today": s.get("done_today", 0)}


def _welfare_row(welfare: dict | None) -> dict:
    """The roll-up's welfare counts (figures stored before casework was counted have none: zeros)."""
    w = welfare or {"today": {}, "cumulative": {}}
    return {"welfare_new_today": w["today"].get("new", 0), "welfare_open": w.get("open", 0),
            "welfare_overdue": w.get("overdue", 0), "welfare_referred_today": w["today"].get("referred", 0),
            "welfare_closed_today": w["today"].get("closed", 0)}


def rollup_centres(disaster: Disaster, day):
    """Centres of the disaster that were open on `day` (opened by then and not closed before it)."""
    day = as_date(day)
    return (Centre.objects.filter(disaster=disaster).exclude(status=Centre.Status.PREPARING)
            .filter(Q(opened_on__isnull=True) | Q(opened_on__lte=day))
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=day)).order_by("id"))


def rollup_figures(disaster: Disaster, day) -> dict:
    """The council's view: one row per centre of the disaster, today and cumulative, and the totals."""
    day = as_date(day)
    rows = []
    for centre in rollup_centres(disaster, day):
        figures = daily_figures(centre, day)
        rows.append({"centre_id": centre.pk, "name": centre.name, "municipality": centre.municipality,
                     "status": centre.status, "recruitment": figures["recruitment"]["status_label"],
                     **rollup_row(figures)})
    totals = {key: sum(r[key] for r in rows) for key in ROLLUP_KEYS}
    return {"disaster": {"id": disaster.pk, "name": disaster.name, "prefecture": disaster.prefecture,
                         "drill": disaster.drill},  # 訓練: a drill's roll-up says so (ops.drills.marking)
            "date": day.isoformat(), "computed_at": timezone.now().isoformat(), "centres": rows, "totals": totals}
