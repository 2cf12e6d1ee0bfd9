"""/c/<centre>/exports/: what this role may download, and the downloads themselves (XLSX or CSV for a range of
days). Each download is on the audit trail: who, which dataset, which days, how many rows, which format."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ops import audit
from ops.days import parse_day
from ops.drills import marking
from ops.exports import files
from ops.exports.datasets import DATASETS, datasets_for
from ops.permissions import Cap, caps_of, centre_view
from ops.privacy import sight_of

# Any one of these opens some dataset (ops.exports.datasets); the page lists those the role's caps open.
OPENS = (Cap.VIEW_NEEDS, Cap.WELFARE, Cap.RECEPTION, Cap.VIEW_REPORTS, Cap.DISPATCH)


class BadRequest(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def days_asked(params) -> tuple:
    """(first, last) from ?from=&to= (YYYY-MM-DD, either may be empty); BadRequest with words otherwise."""
    days = []
    for key in ("from", "to"):
        raw = (params.get(key) or "").strip()
        day = parse_day(raw) if raw else None
        if raw and day is None:
            raise BadRequest(_("日付は 2026-07-01 のように、2000年から2099年の日付で入力してください。"))
        days.append(day)
    first, last = days
    if first and last and first > last:
        raise BadRequest(_("開始日が終了日より後になっています。"))
    return first, last


@require_GET
@centre_view(*OPENS)
def exports(request, centre):
    return _page(request, centre)


def _page(request, centre, *, error: str = "", status: int = 200):
    datasets = datasets_for(caps_of(request.user, centre))
    return render(request, "exports/index.html", {
        "datasets": datasets, "error": error, "today": centre.today(),
        "asked": {"from": request.GET.get("from", ""), "to": request.GET.get("to", "")},
    }, status=status)


@never_cache
@require_GET
@centre_view(*OPENS)
def download(request, centre, dataset):
    found = DATASETS.get(dataset)
    if found is None:
        raise Http404
    if not found.allowed(caps_of(request.user, centre)):
        raise PermissionDenied
    fmt = request.GET.get("format", "xlsx")
    try:
        if fmt not in files.FORMATS:
            raise BadRequest(_("形式は xlsx か csv を選んでください。"))
        first, last = days_asked(request.GET) if found.ranged else (None, None)
    except BadRequest as err:
        return _page(request, centre, error=err.message, status=400)
    handle, count = files.write(found, found.rows(centre, first, last), fmt=fmt, sight=sight_of(request.user, centre),
                                centre=centre)
    days = f"{first or ''}..{last or ''}" if found.ranged else "open"
    audit.happened(f"export.{found.slug}", centre, centre=centre, by=request.user,
                   note=f"{days} rows={count} {fmt}")
    name = marking.file_name("-".join(str(part) for part in (centre.slug, found.slug, first, last) if part), centre)
    return files.response(handle, fmt=fmt, filename=f"{name}.{fmt}")
