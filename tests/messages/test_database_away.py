"""A mail or a report tried while the database is away (a restart) is retried, never given up for it."""
import pytest
from django.db import OperationalError

from ops.messages import sending
from ops.messages.models import OutboundMail
from ops.messages.tasks import deliver_mail
from ops.reports import building
from ops.reports.tasks import build_daily_report
from tests import factories

pytestmark = pytest.mark.django_db


def _away_once(result):
    calls = []

    def flaky(*args, **kwargs):
        calls.append(args or kwargs)
        if len(calls) == 1:
            raise OperationalError("the database system is shutting down")
        return result

    return flaky, calls


def test_a_mail_tried_while_the_database_is_away_is_retried_not_failed(monkeypatch):
    centre = factories.make_centre()
    mail = OutboundMail.objects.create(kind=OutboundMail.Kind.DAILY_REPORT, centre=centre, to=["a@example.jp"],
                                       subject="s", body="b")
    flaky, calls = _away_once(True)
    monkeypatch.setattr(sending, "deliver", flaky)
    assert deliver_mail.apply(args=[mail.pk]).get() is True
    assert len(calls) == 2
    mail.refresh_from_db()
    assert mail.state == OutboundMail.State.QUEUED and mail.error == ""  # not failed for the database's absence


def test_a_report_built_while_the_database_is_away_is_retried(monkeypatch):
    centre = factories.make_centre()
    flaky, calls = _away_once(factories.make_centre())
    monkeypatch.setattr(building, "build_daily_report", flaky)
    monkeypatch.setattr(building, "send_daily_report", lambda **kwargs: True)
    assert build_daily_report.apply(args=[centre.pk, "2026-07-06"]).get()["mail_queued"] is True
    assert len(calls) == 2
