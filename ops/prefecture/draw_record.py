"""The allocation's record, for anyone to check (抽選の記録): every application that took part, in order of
arrival, with its place in the order the allocation used and what it got then. For a draw the order is
re-computed here from the stored input and the seed (`draw_order`), and each row says whether it matches the
rank the allocation wrote, so a printed CSV is the proof. Ids only: no name or contact of anyone."""
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

from ops import spreadsheets
from ops.prefecture.models import Application, Offering
from ops.prefecture.services.allocation import draw_order


def rows(offering: Offering) -> list[dict]:
    arrival = list(offering.arrival_ids)
    order = draw_order(arrival, offering.seed) if offering.allocated_by_method == Offering.Method.DRAW else arrival
    position = {pk: n for n, pk in enumerate(order, start=1)}
    ranks = dict(Application.objects.filter(pk__in=arrival).values_list("pk", "rank"))
    return [{"arrival": n, "id": pk, "order": position[pk], "rank": ranks.get(pk),
             "matches": ranks.get(pk) == position[pk] or ranks.get(pk) is None}
            for n, pk in enumerate(arrival, start=1)]


def csv_response(offering: Offering) -> HttpResponse:
    out = io.StringIO()
    writer = spreadsheets.csv_writer(out, lineterminator="\r\n")
    writer.writerow([_("受付順"), _("応募ID"), _("割当の順番"), _("記録された順位"), _("一致")])
    for row in rows(offering):
        writer.writerow([row["arrival"], row["id"], row["order"], row["rank"] or "", "○" if row["matches"] else "×"])
    writer.writerow([])
    writer.writerow([_("決め方"), Offering.Method(offering.allocated_by_method).label, _("シード"), offering.seed])
    response = HttpResponse(("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{offering.centre.slug}-{offering.date:%Y%m%d}.csv"'
    return response
