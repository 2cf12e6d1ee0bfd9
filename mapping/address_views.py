"""Address search for staff (POST, so a typed address never lands in a URL or an access log) and the
administrators' page that imports 国土交通省 位置参照情報 files (mapping.addresses)."""
import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.http.request import UnreadablePostError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dvc.client_address import client_address
from mapping.addresses import geocode, postal
from mapping.addresses.importer import AddressFileError, import_file
from mapping.models import AddressImport
from ops.permissions import Cap, centre_view, centres_for
from ops.volunteers import linkrate

MAX_QUERY = 200


class AddressFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("位置参照情報のファイル（CSVまたはzip）"))


class BadQuery(ValueError):
    def __init__(self, message: str, *, status: int = 400, code: str = "invalid"):
        super().__init__(message)
        self.status, self.code = status, code


def _query(request) -> str:
    """The typed address from a JSON body {"q": ...} or a form body q=...; BadQuery with words otherwise."""
    try:
        if request.content_type == "application/json":
            try:
                body = json.loads(request.body or b"{}")
            except ValueError as err:  # UnicodeDecodeError too
                raise BadQuery(_("JSONとして読めません。"), code="parse_error") from err
            q = body.get("q") if isinstance(body, dict) else None
        else:
            q = request.POST.get("q")
    except RequestDataTooBig as err:
        raise BadQuery(_("リクエストが大きすぎます（%(mb)s MBまで）。") % {
            "mb": round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024, 1)}, status=413, code="too_big") from err
    except (MultiPartParserError, UnreadablePostError) as err:
        raise BadQuery(_("住所を入力してください。"), code="parse_error") from err
    if not isinstance(q, str) or not q.strip():
        raise BadQuery(_("住所を入力してください。"), code="required")
    if len(q) > MAX_QUERY:
        raise BadQuery(_("住所が長すぎます（%(n)s文字まで）。") % {"n": MAX_QUERY}, code="too_long")
    if "\x00" in q:
        raise BadQuery(_("住所に使えない文字があります。"))
    return q


@require_POST
@centre_view(Cap.EDIT_NEEDS, Cap.DISPATCH)
def address_search(request, centre):
    try:
        q = _query(request)
    except BadQuery as err:
        # "error" as the pages' own JSON answers word it; status, code and detail as the API's errors do.
        return JsonResponse({"error": str(err), "status": err.status, "code": err.code, "detail": str(err)},
                            status=err.status, json_dumps_params={"ensure_ascii": False})
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


@require_http_methods(["GET", "HEAD"])
def postal_lookup(request, postcode):
    """郵便番号 -> {"prefecture", "city", "town", "towns", "address"} for the intake card and the public request
    form (mapping.addresses.postal, offline). Public data: anyone may ask; callers who are not a centre's staff
    are counted per client address (settings.POSTAL_LOOKUP_RATE). A postal code names a town, coarser than
    anything the site keeps private, so it may sit in the URL (and be cached by the browser)."""
    if not request.user.is_authenticated or not centres_for(request.user).exists():
        refusal = linkrate.count_try("postal", client_address(request), settings.POSTAL_LOOKUP_RATE)
        if refusal is not None:
            response = _error(_("しばらくしてからもう一度お試しください。"), 429)
            response["Retry-After"] = str(refusal.retry_after)
            return response
    if postal.digits_of(postcode) is None:
        return _error(_("郵便番号は7桁の数字で入力してください。"), 400)
    area = postal.lookup(postcode)
    if area is None:
        return _error(_("この郵便番号は見つかりませんでした。住所を入力してください。"), 404)
    response = JsonResponse(area.as_json(), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, max-age=86400"
    return response


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})
