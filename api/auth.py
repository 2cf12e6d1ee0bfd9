"""A volunteer's own credentials: the personal token of their QR code and sign-in link.

Sent as `Authorization: Volunteer <token>` or in the URL (/api/v1/volunteers/<token>/check-in/, for a
phone that opens a link). The volunteer is not a Django user; request.auth is the Volunteer and
request.user a small principal that answers is_authenticated, so DRF's 401 handling works unchanged.
"""
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from ops.volunteers.models import Volunteer

KEYWORD = "Volunteer"
MAX_TOKEN = 64


class VolunteerPrincipal:
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = id = None

    def __init__(self, volunteer: Volunteer):
        self.volunteer = volunteer

    def __str__(self):
        return f"volunteer:{self.volunteer.pk}"


class VolunteerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        token = self._token(request)
        if token is None:
            return None
        if len(token) > MAX_TOKEN:
            raise exceptions.AuthenticationFailed(_("ボランティアの個人コードが正しくありません。"))
        volunteer = (Volunteer.objects.filter(token=token, personal_data_erased_at__isnull=True)
                     .select_related("group").first())
        if volunteer is None:
            raise exceptions.AuthenticationFailed(_("ボランティアの個人コードが正しくありません。"))
        return VolunteerPrincipal(volunteer), volunteer

    def _token(self, request):
        from_url = (request.parser_context or {}).get("kwargs", {}).get("token")
        if from_url:
            return from_url
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Authorizationヘッダーの形式が正しくありません。"))
        try:
            return header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("ボランティアの個人コードが正しくありません。")) from None

    def authenticate_header(self, request):
        return KEYWORD
