"""Which database failures mean "the database is away" (a 503 with Retry-After) and which are a query's own."""
import json

import psycopg
import pytest
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from django.test import RequestFactory
from psycopg_pool import PoolTimeout

from dvc.unavailable import database_unavailable, unavailable_response


def _wrapped(django_class, cause):
    exc = django_class(str(cause))
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize("exc", [
    _wrapped(OperationalError, PoolTimeout("couldn't get a connection after 3.00 sec")),
    _wrapped(OperationalError, psycopg.OperationalError("connection failed: Connection refused")),
    _wrapped(OperationalError, psycopg.errors.AdminShutdown("terminating connection due to administrator command")),
    _wrapped(OperationalError, psycopg.errors.CannotConnectNow("the database system is starting up")),
    InterfaceError("connection already closed"),
], ids=["pool timeout", "refused", "shutdown", "starting up", "closed"])
def test_the_database_is_away(exc):
    assert database_unavailable(exc)


@pytest.mark.parametrize("exc", [
    _wrapped(OperationalError, psycopg.errors.DeadlockDetected("deadlock detected")),
    _wrapped(OperationalError, psycopg.errors.QueryCanceled("canceling statement due to statement timeout")),
    _wrapped(IntegrityError, psycopg.errors.UniqueViolation("duplicate key")),
    DatabaseError("something else"),
    ValueError("not the database"),
], ids=["deadlock", "statement timeout", "unique", "other", "not db"])
def test_a_query_s_own_failure_stays_what_it_was(exc):
    assert not database_unavailable(exc)


def test_the_answer_is_a_503_with_retry_after_json_under_the_api():
    api = unavailable_response(RequestFactory().get("/api/v1/centres/"))
    assert api.status_code == 503 and int(api["Retry-After"]) > 0
    assert api["Content-Type"] == "application/json"
    body = json.loads(api.content)
    assert body["code"] == "database_unavailable" and body["wait"] == int(api["Retry-After"])
    page = unavailable_response(RequestFactory().get("/c/x/needs/"))
    assert page.status_code == 503 and "no-store" in page["Cache-Control"]
    assert "データベースに接続できません" in page.content.decode()
