"""Bulk import of paper cards: upload, dry run with per-row errors, then import all or nothing."""
import io
import secrets
from datetime import timedelta

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import spreadsheets
from ops.needs.forms import ImportForm
from ops.needs.services import importing
from ops.permissions import Cap, centre_view

SESSION_KEY = "needs_import"


def _forget_abandoned(centre) -> None:
    """Checked files never imported hold residents' data: none is kept past a day."""
    folder = f"needs-imports/{centre.pk}"
    if not default_storage.exists(folder):
        return
    cutoff = timezone.now() - timedelta(days=1)
    for name in default_storage.listdir(folder)[1]:
        path = f"{folder}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)


def _stash(request, centre, name: str, data: bytes) -> None:
    """Keep the checked file between the dry run and the import (same user, same session)."""
    _forget_abandoned(centre)
    old = request.session.get(SESSION_KEY)
    if old:
        default_storage.delete(old["path"])
    ext = ".xlsx" if name.lower().endswith(".xlsx") else ".csv"
    path = default_storage.save(f"needs-imports/{centre.pk}/{secrets.token_hex(16)}{ext}", ContentFile(data))
    request.session[SESSION_KEY] = {"path": path, "name": name[:100], "centre": centre.pk}


def _stashed(request, centre):
    info = request.session.get(SESSION_KEY)
    if not info or info.get("centre") != centre.pk or not default_storage.exists(info["path"]):
        return None, None
    with default_storage.open(info["path"], "rb") as fh:
        return info, fh.read()


def _drop(request) -> None:
    info = request.session.pop(SESSION_KEY, None)
    if info:
        default_storage.delete(info["path"])


@centre_view(Cap.EDIT_NEEDS)
def import_needs(request, centre):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and "confirm" in request.POST:
        info, data = _stashed(request, centre)
        if data is None:
            messages.error(request, _("確認済みのファイルが見つかりません。もう一度アップロードしてください。"))
            return redirect("needs:import", centre=centre.slug)
        report = importing.import_rows(centre, by=request.user, name=info["name"], data=data)
        if report.created:
            _drop(request)
            messages.success(request, _("%(n)s件のニーズを取り込みました（%(first)s〜%(last)s）。") % {
                "n": len(report.created), "first": report.created[0].label, "last": report.created[-1].label})
            return redirect("needs:list", centre=centre.slug)
        messages.error(request, _("エラーがあったため、1件も取り込んでいません。"))
        form = ImportForm()
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(importing.MAX_BYTES + 1)
        report = importing.read_rows(upload.name, data)
        if report.ok:
            importing.note_existing_duplicates(centre, report)
            _stash(request, centre, upload.name, data)
    return render(request, "needs/import.html", {"form": form, "report": report, "help": importing.TEMPLATE_HELP})


@centre_view(Cap.EDIT_NEEDS)
def import_template(request, centre):
    out = io.StringIO()
    spreadsheets.csv_writer(out).writerows(importing.template_rows())
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="needs-template.csv"'
    return response
