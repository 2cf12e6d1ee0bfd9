"""Request rates (429 with a JSON body when exceeded). Rates are settings so an installation can tune them."""
from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


class StaffRateThrottle(UserRateThrottle):
    """Per user (token or session): generous, it only stops a runaway integration."""

    scope = "api_user"

    def get_rate(self):
        return getattr(settings, "API_USER_RATE", "1200/min")


class CheckInRateThrottle(SimpleRateThrottle):
    """Per client address on the volunteers' check-in: a phone checks in once a day, not every second."""

    scope = "api_checkin"

    def get_rate(self):
        return getattr(settings, "API_CHECKIN_RATE", "30/min")

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PublicRateThrottle(AnonRateThrottle):
    """Per client address on the public status: other sites poll it; a minute's worth is plenty."""

    scope = "api_public"

    def get_rate(self):
        return getattr(settings, "API_PUBLIC_RATE", "120/min")
