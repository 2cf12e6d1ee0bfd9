"""OpenAPI details drf-spectacular cannot guess: the error answers every operation can give (all with the
one ErrorSerializer body) and the volunteers' token scheme."""
from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

from api.errors import ErrorSerializer

ERRORS = {
    "400": "Invalid input: malformed JSON, wrong types, unknown filter values (code=invalid, errors per field).",
    "401": "No or wrong credentials (code=not_authenticated or authentication_failed).",
    "403": "Authenticated, but the user's roles at this centre do not allow it (code=permission_denied).",
    "404": "No such centre or object at this centre (code=not_found).",
    "409": "The centre's rules refuse the action now (code names the rule, e.g. illegal_transition, "
           "dispatch_refused); the message says why.",
    "415": "The request body is not application/json.",
    "429": "Too many requests (code=throttled, wait=seconds).",
}


class ApiAutoSchema(AutoSchema):
    def get_tags(self):
        tag = getattr(self.view, "schema_tag", None)
        return [tag] if tag else super().get_tags()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            responses.setdefault(code, self._get_response_for_code(
                OpenApiResponse(ErrorSerializer, description=ERRORS[code]), code, direction=direction))
        return responses

    def _error_codes(self) -> list[str]:
        view = self.view
        codes = ["400"]
        if not all(isinstance(p, AllowAny) for p in view.get_permissions()):
            codes += ["401", "403"]
        elif getattr(view, "authentication_classes", None):
            codes += ["401"]
        if "{" in self.path:
            codes.append("404")
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["409", "415"] if getattr(view, "refusals", True) else ["415"]
        codes.append("429")
        return codes


class VolunteerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.VolunteerTokenAuthentication"
    name = "volunteerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "A volunteer's personal token: `Volunteer <token>`."}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "An API token: `Token <key>`. It expires (API_TOKEN_DAYS) and can be revoked."}


# Applied by the schema view itself (SpectacularAPIView custom_settings), so the project's settings stay small.
SCHEMA_SETTINGS = {
    "TITLE": "DVC API",
    "DESCRIPTION": (
        "The disaster volunteer centre's data for integrations (cities, prefectural councils, national "
        "coordination bodies) and the pages' scripts.\n\n"
        "Authentication: `Authorization: Token <key>` (issued by a centre's administrator at "
        "/c/<centre>/api-tokens/, or with `manage.py issue_api_token <username>`) or the browser session. A "
        "token acts as its user, with that user's roles (a token issued at a centre's page: at that centre "
        "only): the same permission rules as the pages. Tokens expire and can be revoked; an expired or "
        "revoked one is a 401. Residents' names, phones and addresses only for roles that may see them.\n\n"
        "Volunteers check themselves in with their personal token (`Authorization: Volunteer <token>`).\n\n"
        "Every error has a JSON body `{status, code, detail, errors?}`; messages are in Japanese unless the "
        "request says `Accept-Language: en`."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"],
}
