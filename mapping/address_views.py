"""Address search for staff (POST, so a typed address never lands in a URL or an access log) and the
administrators' page that imports 国土交通省 位置参照情報 files (mapping.addresses)."""
import json

from django import forms
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from mapping.addresses import geocode
from mapping.addresses.importer import AddressFileError, import_file
from mapping.models import AddressImport
from ops.permissions import Cap, centre_view

MAX_QUERY = 200


class AddressFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("位置参照情報のファイル（CSVまたはzip）"))


def _query(request) -> str:
    """The typed address from a JSON body {"q": ...} or a form body q=...; ValueError with words otherwise."""
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError) as err:
            raise ValueError(_("JSONとして読めません。")) from err
        q = body.get("q") if isinstance(body, dict) else None
    else:
        q = request.POST.get("q")
    if not isinstance(q, str) or not q.strip():
        raise ValueError(_("住所を入力してください。"))
    if len(q) > MAX_QUERY:
        raise ValueError(_("住所が長すぎます（%(n)s文字まで）。") % {"n": MAX_QUERY})
    return q


@require_POST
@centre_view(Cap.EDIT_NEEDS, Cap.DISPATCH)
def address_search(request, centre):
    try:
        q = _query(request)
    except ValueError as err:
        return JsonResponse({"error": str(err)}, status=400, json_dumps_params={"ensure_ascii": False})
    response = JsonResponse(geocode(q, home_city=centre.municipality), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@centre_view(Cap.MANAGE_CENTRE)
def address_data(request, centre):
    form = AddressFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            done = import_file(upload, upload.name, by=request.user)
        except AddressFileError as err:
            form.add_error("file", str(err))
        else:
            for source in done:
                messages.success(request, _("%(place)s（%(level)s）を%(rows)s件取り込みました。") % {
                    "place": source.prefecture + source.city, "level": source.get_level_display(),
                    "rows": f"{source.rows:,}"})
            return redirect("mapping:addresses", centre=centre.slug)
    return render(request, "mapping/addresses.html", {
        "form": form, "imports": AddressImport.objects.select_related("imported_by"),
    })
