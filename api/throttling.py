"""Request rates (429 with a JSON body when exceeded). Rates are settings so an installation can tune them.

Counted in Redis (the `rates` cache), so every web process counts the same requests: a per-process count let
each client through once per process, and forgot everything at a restart. When Redis does not answer the
request goes through (and the log says so): a limit must never be what stops the 8:30 queue.
"""
import logging

import redis
from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from dvc.client_address import client_address

log = logging.getLogger(__name__)


class SharedCount:
    @property
    def cache(self):
        return caches["rates"]

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except (redis.RedisError, OSError) as exc:
            log.warning("request rates unavailable (%s); %s not limited", type(exc).__name__, self.scope)
            return True

    def get_ident(self, request):
        # The address uvicorn set (from a trusted proxy only), never X-Forwarded-For as the client wrote it.
        return client_address(request)


class StaffRateThrottle(SharedCount, UserRateThrottle):
    """Per user (token or session): generous, it only stops a runaway integration."""

    scope = "api_user"

    def get_rate(self):
        return getattr(settings, "API_USER_RATE", "1200/min")


class CheckInRateThrottle(SharedCount, SimpleRateThrottle):
    """Per volunteer on their own check-in: a phone checks in once a day, not every second. Not per address: at
    8:30 the whole queue shares the centre's Wi-Fi (or a carrier's disaster Wi-Fi) and so one address."""

    scope = "api_checkin"

    def get_rate(self):
        return getattr(settings, "API_CHECKIN_RATE", "30/min")

    def get_cache_key(self, request, view):
        # Throttles run after authentication and the permission check: request.auth is the volunteer here.
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class PublicRateThrottle(SharedCount, AnonRateThrottle):
    """Per client address on the public status: other sites poll it; a minute's worth is plenty."""

    scope = "api_public"

    def get_rate(self):
        return getattr(settings, "API_PUBLIC_RATE", "120/min")
