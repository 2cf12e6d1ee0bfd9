"""/healthz: database, Redis and a Celery worker, as JSON. 200 when all are up, 503 naming what is down."""
import time

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from dvc.celery import app as celery_app


def _timed(check):
    started = time.perf_counter()
    try:
        detail = check()
        ok = True
    except Exception as exc:  # any failure is "down"; the message names the cause without secrets
        detail, ok = type(exc).__name__, False
    result = {"ok": ok, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if detail:
        result["detail"] = detail
    return result


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_redis():
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return None


def check_celery():
    replies = celery_app.control.ping(timeout=1.0, limit=1)
    if not replies:
        raise RuntimeError("no worker answered")
    return f"{len(replies)} worker(s)"


@never_cache
def healthz(request):
    """?skip=celery lets a web container's own healthcheck ignore the workers (it cannot fix them)."""
    skip = set(request.GET.get("skip", "").split(","))
    results = {"database": _timed(check_database), "redis": _timed(check_redis)}
    if "celery" not in skip:
        # The worker is only reachable through Redis; asking Celery with Redis down would hang on retries.
        results["celery"] = _timed(check_celery) if results["redis"]["ok"] else {"ok": False, "ms": 0,
                                                                                 "detail": "redis down"}
    down = [name for name, r in results.items() if not r["ok"]]
    body = {"status": "down" if down else "ok", "down": down, "checks": results}
    return JsonResponse(body, status=503 if down else 200)
