"""What every API view shares: JSON in and out, token or session auth, our error bodies, rates, paging."""
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer

from api.auth import VolunteerPrincipal, VolunteerTokenAuthentication
from api.errors import api_exception_handler
from api.pagination import Pagination
from api.permissions import CentreScoped, HasCentreCapability
from api.schema import ApiAutoSchema
from api.throttling import CheckInRateThrottle, StaffRateThrottle
from api.tokens import ApiTokenAuthentication
from ops.audit import reset_actor, set_actor


class ApiView(GenericAPIView):
    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    throttle_classes = [StaffRateThrottle]
    pagination_class = Pagination
    schema = ApiAutoSchema()

    def get_exception_handler(self):
        return api_exception_handler

    def initial(self, request, *args, **kwargs):
        # The audit trail's actor is set by AuditMiddleware before DRF has read the token; name the
        # token's user (or the volunteer) here, for every audited save this request makes.
        self._audit_token = None
        super().initial(request, *args, **kwargs)
        user = request.user
        if isinstance(user, VolunteerPrincipal):
            self._audit_token = set_actor(None, f"volunteer:{user.volunteer.pk}")
        elif user is not None and user.is_authenticated:
            self._audit_token = set_actor(user)

    def finalize_response(self, request, response, *args, **kwargs):
        if getattr(self, "_audit_token", None) is not None:
            reset_actor(self._audit_token)
            self._audit_token = None
        return super().finalize_response(request, response, *args, **kwargs)

    @property
    def fake(self) -> bool:
        """True while drf-spectacular builds the schema (no real request, no URL arguments)."""
        return getattr(self, "swagger_fake_view", False)


class CentreView(CentreScoped, ApiView):
    """A view under /api/v1/centres/<slug>/...: `required_caps` maps HTTP methods to capabilities."""

    permission_classes = [HasCentreCapability]

    def paged(self, queryset, serializer_class, **context):
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context={"request": self.request, **context}).data
        return self.get_paginated_response(data)


class VolunteerView(ApiView):
    """A volunteer's own request from their phone: their personal token says who (request.auth is the
    Volunteer), counted per volunteer (not per address: the 8:30 queue shares one Wi-Fi)."""

    schema_tag = "volunteers"
    authentication_classes = [VolunteerTokenAuthentication]
    throttle_classes = [CheckInRateThrottle]
    permission_classes = [IsAuthenticated]
    pagination_class = None
