"""How often a personal link may be asked for: per phone number and per client address, counted in Redis (the
`rates` cache) so every web process counts the same tries. Sign-in by phone and kana, and a registration that
matches someone already registered, each count as one try.

Without it, sign-in was a guessing machine (60 kana guesses in half a second). Per phone stops guesses at one
person; per address stops one client walking through many. Generous per address: after a disaster a shelter's
Wi-Fi (or a carrier's free 00000JAPAN) puts many people behind one address. The address is REMOTE_ADDR,
which the proxy settings make the client's own.
"""
import hashlib
import hmac
import logging
import time
from dataclasses import dataclass

import redis
from django.conf import settings
from django.core.cache import caches

from ops import normalise

log = logging.getLogger(__name__)

_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """"5/h" -> (5, 3600)."""
    count, _slash, unit = rate.partition("/")
    return int(count), _UNITS.get(unit.strip() or "h", 3600)


@dataclass
class Refusal:
    retry_after: int  # seconds until the window that refused ends


def _key(kind: str, value: str, window: int) -> str:
    # Keyed hash: the counters in Redis hold no phone number or address.
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"vlink:{kind}:{digest}:{window}"


def _count(kind: str, value: str, rate: str, now: float) -> Refusal | None:
    limit, seconds = parse_rate(rate)
    window = int(now // seconds)
    key = _key(kind, value, window)
    cache = caches["rates"]
    cache.add(key, 0, timeout=seconds + 5)
    if cache.incr(key) > limit:
        return Refusal(retry_after=max(1, int(seconds - now % seconds)))
    return None


def try_link(*, phone: str, address: str) -> Refusal | None:
    """Count one try at a personal link for this phone number from this address; a Refusal when either has
    had its share. When Redis does not answer the try goes through (and the log says so), as the API's
    throttles do: the link only ever goes to the registered address anyway."""
    now = time.time()
    tries = [("address", address or "unknown", settings.VOLUNTEER_LINK_ADDRESS_RATE)]
    phone_key = normalise.phone_key(phone)
    if phone_key:
        tries.append(("phone", phone_key, settings.VOLUNTEER_LINK_PHONE_RATE))
    refusals = []
    try:
        for kind, value, rate in tries:
            refusal = _count(kind, value, rate, now)
            if refusal is not None:
                refusals.append(refusal)
    except (redis.RedisError, OSError, ValueError) as exc:  # ValueError: the count expired between add and incr
        log.warning("link rates unavailable (%s); sign-in not limited", type(exc).__name__)
        return None
    return max(refusals, key=lambda r: r.retry_after) if refusals else None


def count_try(kind: str, value: str, rate: str) -> Refusal | None:
    """Count one try of something else public (e.g. the postal code lookup, kind "postal") for `value` (a client
    address) at `rate`; a Refusal past it. Not limited when Redis does not answer, as above."""
    try:
        return _count(kind, value or "unknown", rate, time.time())
    except (redis.RedisError, OSError, ValueError) as exc:
        log.warning("%s rates unavailable (%s); not limited", kind, type(exc).__name__)
        return None
