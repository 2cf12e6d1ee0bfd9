"""The due-sweep on two real Celery workers at once (the same broker, real PostgreSQL): each assignee's mail
reaches the real SMTP server (aiosmtpd) once."""
import time as clock
from datetime import timedelta

import pytest
from django.utils import timezone

from ops.centres.models import Role
from ops.messages.models import OutboundMail
from ops.welfare.models import DueNotice
from ops.welfare.services import open_case, update_case
from tests import factories
from tests.smtp import smtp_server, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def two_workers(stack, mail_worker):
    """A second worker beside the mail worker, on its broker, its mail to the same SMTP port."""
    name = "duesweep2"
    env = stack.env(EMAIL_URL=f"smtp://127.0.0.1:{mail_worker['port']}", REDIS_URL=mail_worker["broker"],
                    MAIL_RETRY_BACKOFF="1")
    mail_worker["stack"].start_worker(env=env, name=name)
    try:
        deadline = clock.monotonic() + 60
        while len(mail_worker["producer"].control.ping(timeout=1) or []) < 2 and clock.monotonic() < deadline:
            clock.sleep(0.5)
        yield {**mail_worker, "second": name}
    finally:
        mail_worker["stack"].stop_process(name)


def _zone_at_noon() -> str:
    """A time zone where it is now about noon: the centre's clock is past 08:00 and far from midnight."""
    offset = (12 - timezone.now().hour + 12) % 24 - 12  # -12 … +11
    if offset == 0:
        return "Etc/GMT"
    return f"Etc/GMT-{offset}" if offset > 0 else f"Etc/GMT+{-offset}"  # POSIX signs are inverted


def test_two_workers_sweeping_at_once_mail_each_assignee_once(two_workers):
    centre = factories.make_centre(timezone=_zone_at_noon())
    today = centre.today()
    staff = [factories.make_user(Role.WELFARE, centre, email=f"due{i}@example.jp") for i in range(3)]
    for i, user in enumerate(staff):
        case, _opened = open_case(need=factories.make_need(centre, phone=f"090-1234-{i:04d}",
                                                           requester_name=f"世帯{i}"), source="staff")
        update_case(case, by=user, assignee=user, next_check_on=today - timedelta(days=i))
    controller, inbox = smtp_server(two_workers["port"])
    try:
        producer = two_workers["producer"]
        results = [producer.send_task("ops.welfare.tasks.due_sweep") for _ in range(4)]
        queued = [r.get(timeout=60) for r in results]
        assert sum(queued) == 3, queued
        envelopes = inbox.wait(3)
        clock.sleep(2)  # a second mail, if any, would arrive now
        assert len(inbox.envelopes) == 3, two_workers["stack"].log_tail("mailworker")
    finally:
        controller.stop()
    assert sorted(e.rcpt_tos[0] for e in envelopes) == sorted(u.email for u in staff)
    assert DueNotice.objects.filter(centre=centre, day=today).count() == 3
    assert wait_until(lambda: OutboundMail.objects.filter(kind="case_checks", state="sent").count() == 3,
                      timeout=10)
    # Both workers took a sweep: the race was between two processes.
    for name in ("mailworker", two_workers["second"]):
        assert "ops.welfare.tasks.due_sweep" in two_workers["stack"].log_tail(name, lines=400), name
