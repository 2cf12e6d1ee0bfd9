"""Every refusal of the API as one JSON shape, in the caller's language (Japanese unless Accept-Language
asks for English):

    {"status": 409, "code": "illegal_transition", "detail": "「新規受付」から「完了」には変更できません。"}
    {"status": 400, "code": "invalid", "detail": "入力内容を確認してください。", "errors": {"lat": ["..."]}}

The services raise their own domain errors (a status change outside the transition table, a dispatch
refused because another coordinator was faster ...); this handler turns each into a 409 with its message,
so views only call services and never translate errors themselves.
"""
import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dvc.unavailable import database_unavailable, unavailable_response
from ops.dispatch.errors import DispatchRefused, LendingError, ReportRefused, TeamError
from ops.needs.services.errors import NeedError
from ops.needs.transitions import IllegalTransition
from ops.prefecture.services import PrefectureRefused
from ops.volunteers.rules import VolunteerError

log = logging.getLogger(__name__)

# Domain refusal -> the code integrations can branch on. Order matters: subclasses first.
DOMAIN_ERRORS = [
    (IllegalTransition, "illegal_transition"),
    (NeedError, "need_refused"),
    (DispatchRefused, "dispatch_refused"),
    (ReportRefused, "report_refused"),
    (TeamError, "team_refused"),
    (LendingError, "lending_refused"),
    (VolunteerError, "checkin_refused"),
    (PrefectureRefused, "application_refused"),
]


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx (and the rare 5xx) answer."""

    status = serializers.IntegerField(help_text="HTTP status code, repeated in the body.")
    code = serializers.CharField(help_text="Machine-readable reason, e.g. invalid, not_authenticated, "
                                           "permission_denied, not_found, illegal_transition, dispatch_refused, "
                                           "throttled.")
    detail = serializers.CharField(help_text="Message for a person, in the request's language.")
    errors = serializers.JSONField(required=False, help_text="For code=invalid: messages per input field.")
    wait = serializers.IntegerField(required=False,
                                    help_text="For code=throttled or database_unavailable: seconds to wait.")
    link = serializers.URLField(required=False, help_text="Where to put it right (e.g. the insurance sign-up).")


def error_body(status_code: int, code: str, detail, **extra) -> dict:
    return {"status": status_code, "code": code, "detail": str(detail), **extra}


def _domain_code(exc) -> str | None:
    for kind, code in DOMAIN_ERRORS:
        if isinstance(exc, kind):
            if isinstance(exc, VolunteerError) and exc.code:
                return f"checkin_refused.{exc.code}"
            if isinstance(exc, PrefectureRefused) and exc.code != "refused":
                return f"application_refused.{exc.code}"
            return code
    return None


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return detail
    return {"non_field_errors": detail if isinstance(detail, list) else [detail]}


def api_exception_handler(exc, context):
    """DRF's exception handler, with our body, domain refusals and a JSON answer even for a bug."""
    code = _domain_code(exc)
    if code is not None:
        extra = {"link": exc.link} if isinstance(exc, VolunteerError) and exc.link else {}
        return Response(error_body(409, code, str(exc), **extra), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        # A service's field check (ops.needs.services.fields): messages per field, already translated.
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(errors)
    if isinstance(exc, DataError):
        log.warning("API request refused by the database: %s", type(exc).__name__)
        return Response(error_body(400, "invalid", _("値が大きすぎるか、形式が正しくありません。")),
                        status=status.HTTP_400_BAD_REQUEST)

    if isinstance(exc, RequestDataTooBig):  # past DATA_UPLOAD_MAX_MEMORY_SIZE, found when the body is parsed
        return Response(error_body(413, "too_large", _("リクエストが大きすぎます。")),
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if database_unavailable(exc):
        return unavailable_response(context["request"])
    response = drf_exception_handler(exc, context)
    if response is None:
        log.exception("API error", exc_info=exc)
        return Response(error_body(500, "server_error", _("サーバーでエラーが発生しました。")),
                        status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(400, "invalid", _("入力内容を確認してください。"),
                                   errors=_field_errors(exc.detail))
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        if isinstance(detail, list | dict):  # a raised ParseError etc. never carries these, but be safe
            detail = _("リクエストを処理できませんでした。")
        extra = {"wait": int(exc.wait or 0) + 1} if isinstance(exc, exceptions.Throttled) else {}
        response.data = error_body(response.status_code, _code(exc), detail, **extra)
    return response


def _code(exc) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


@csrf_exempt  # nothing happens here; a POST to an unknown path is a 404, not a CSRF page
def not_found(request, *args, **kwargs):
    """Unknown paths under /api/: a JSON 404, not the site's HTML page."""
    return JsonResponse(error_body(404, "not_found", _("APIのURLが見つかりません。")), status=404,
                        json_dumps_params={"ensure_ascii": False})
