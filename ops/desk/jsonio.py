"""The desks' JSON in and out: a body read once, whatever was sent, and every refusal in one shape — "error" as
the pages' own answers word it, status, code and detail as the API's errors do (api/errors.py), so a desk
script and anything else reading it find the same fields. Never a 500 for a body."""
import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _


class BadBody(ValueError):
    def __init__(self, message: str, *, status: int = 400, code: str = "parse_error"):
        super().__init__(message)
        self.message, self.status, self.code = message, status, code


def body(request) -> dict:
    """The JSON object sent ({} for an empty body); BadBody with words when it is not one."""
    try:
        raw = request.body
    except RawPostDataException:  # a form body the CSRF check has read already: not JSON
        raise BadBody(_("JSONとして読めません。")) from None
    except RequestDataTooBig:
        raise BadBody(_("リクエストが大きすぎます（%(mb)s MBまで）。") % {
            "mb": round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024, 1)}, status=413, code="too_big") from None
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:  # UnicodeDecodeError too
        raise BadBody(_("JSONとして読めません。")) from None
    if not isinstance(data, dict):
        raise BadBody(_("JSONとして読めません。"))
    return data


def error(message, *, status: int, code: str, **extra) -> JsonResponse:
    return JsonResponse({"error": str(message), "status": status, "code": code, "detail": str(message), **extra},
                        status=status, json_dumps_params={"ensure_ascii": False})
