"""The mail fault scenarios, against a real worker (harness.Stack), a real web server and real SMTP servers
(tests.smtp): shared by tests/messages/test_mail_faults.py and bench/mail_faults.py. Each returns
{"scenario", "deliveries" (counted at the server), "state" (the outbox row), "web_s" (the flag request, or
None), "attempts", "mail" (the row)}.

The worker's settings are short (EMAIL_TIMEOUT, retries, backoff, the stale delay of a mail left `sending`,
the broker's visibility timeout) so that a scenario takes seconds, not the production minutes.
"""
from __future__ import annotations

import os
import signal
import string
import time as clock
import urllib.parse
import urllib.request
from datetime import time, timedelta

from celery import Celery
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from harness import free_port
from ops.centres.models import Role
from ops.messages.models import OutboundMail
from ops.reports.models import DailyReport, ReportRecipient
from tests import factories
from tests.smtp import HoldAfterData, Inbox, SlowAnswer, black_hole, serve, wait_until

EMAIL_TIMEOUT = 2
VISIBILITY = 10
STALE = 6  # MAIL_SENDING_STALE: > EMAIL_TIMEOUT + margin, as in production (3 × timeout + 60 s)
SETTINGS = {"EMAIL_TIMEOUT": str(EMAIL_TIMEOUT), "MAIL_RETRY_BACKOFF": "1", "MAIL_MAX_RETRIES": "4",
            "MAIL_SENDING_STALE": str(STALE), "BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY),
            "REPORT_RETRY_BACKOFF": "1"}


class Rig:
    """A worker and a web server on their own broker, their mail going to 127.0.0.1:<port>."""

    def __init__(self, stack, *, database_url: str, broker_url: str):
        self.stack, self.port, self.broker = stack, free_port(), broker_url
        self.env = stack.env(DATABASE_URL=database_url, REDIS_URL=broker_url,
                             EMAIL_URL=f"smtp://127.0.0.1:{self.port}", **SETTINGS)
        self.producer = Celery(broker=broker_url, set_as_current=False)
        self.web = None
        self.workers = 0

    def start(self):
        self.start_worker()
        self.web = self.stack.start_server(env=self.env, name="faultweb")
        return self

    def start_worker(self) -> str:
        self.workers += 1
        name = f"faultworker{self.workers}"
        self.stack.start_worker(env=self.env, name=name)
        return name

    def kill_worker(self, name: str) -> None:
        """SIGKILL to the worker's whole process group (main process and pool child at once)."""
        os.killpg(self.stack.procs[name].pid, signal.SIGKILL)
        self.stack.stop_process(name)

    def log(self) -> str:
        return "\n".join(self.stack.log_tail(f"faultworker{i}", lines=60) for i in range(1, self.workers + 1))

    def close(self):
        self.producer.close()
        self.stack.stop_process("faultweb")
        for i in range(1, self.workers + 1):
            self.stack.stop_process(f"faultworker{i}")


# --- cases ------------------------------------------------------------------------------------------------------
def crisis_case():
    centre = factories.make_centre()
    factories.make_user(Role.ADMIN, centre, email="head@example.jp")
    return centre, factories.make_need(centre), factories.make_user(Role.WELFARE, centre)


def flag_crisis(base_url, centre, need, user) -> float:
    """POST the 危機介入 flag through the live server; the seconds the request took."""
    client = Client()
    client.force_login(user)
    csrf = get_random_string(32, string.ascii_letters + string.digits)
    data = urllib.parse.urlencode({"kind": "crisis", "note": "連絡が取れない", "csrfmiddlewaretoken": csrf}).encode()
    request = urllib.request.Request(
        base_url + reverse("needs:welfare_flag", kwargs={"centre": centre.slug, "pk": need.pk}), data=data,
        headers={"Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}"})
    started = clock.monotonic()
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
    return clock.monotonic() - started


def report_case():
    centre = factories.make_centre(report_time=time(0, 0))
    centre.opened_on = centre.today() - timedelta(days=2)
    centre.save()
    factories.make_attendance(centre, date=centre.today())
    ReportRecipient.objects.create(centre=centre, name="市 防災課", email="bousai@example.jp")
    return centre


def _alert(need):
    return OutboundMail.objects.filter(about=f"needs.need:{need.pk}", kind="crisis_alert").first()


def _report_mail(centre):
    report = DailyReport.objects.filter(centre=centre).first()
    return report and OutboundMail.objects.filter(about=f"reports.dailyreport:{report.pk}").first()


def _result(name, deliveries, mail, web_s=None):
    mail.refresh_from_db()
    return {"scenario": name, "deliveries": deliveries, "state": mail.state, "error": mail.error,
            "web_s": web_s, "attempts": mail.attempts, "mail": mail}


# --- scenarios ------------------------------------------------------------------------------------------------------
def smtp_refusing(rig: Rig) -> dict:
    """Nothing listens on the mail port: the alert is retried, then failed with words staff read."""
    centre, need, welfare = crisis_case()
    took = flag_crisis(rig.web, centre, need, welfare)
    alert = wait_until(lambda: (m := _alert(need)) and m.state == "failed" and m, timeout=120)
    assert alert, rig.log()
    return {**_result("smtp refusing (crisis alert)", 0, alert, took), "case": (centre, need, welfare)}


def smtp_hanging(rig: Rig) -> dict:
    """The mail server takes the connection and never says a word: the web request does not wait; the worker
    times out and retries; once a real server is back the alert goes, once."""
    centre, need, welfare = crisis_case()
    hole = black_hole(rig.port)
    try:
        took = flag_crisis(rig.web, centre, need, welfare)
        waited = wait_until(lambda: (m := _alert(need)) and m.attempts >= 2 and m.error == "timeout" and m,
                            timeout=120)
        assert waited, rig.log()
    finally:
        hole.close()
    inbox = Inbox()
    controller = serve(inbox, rig.port)
    try:
        inbox.wait(1, timeout=60)
        clock.sleep(3)
        alert = wait_until(lambda: (m := _alert(need)) and m.state == "sent" and m, timeout=10) or _alert(need)
        return {**_result("smtp hanging, then back (crisis alert)", len(inbox.envelopes), alert, took),
                "case": (centre, need, welfare)}
    finally:
        controller.stop()


def worker_killed_after_accept(rig: Rig, worker: str) -> dict:
    """The server has the 日報's content; the worker is killed before it reads the 250. The task comes back
    from the broker (visibility timeout) to a new worker: the mail is `sending`, never sent again; the sweep
    makes it `unknown` after the stale delay."""
    centre = report_case()
    handler = HoldAfterData()
    controller = serve(handler, rig.port)
    try:
        rig.producer.send_task("ops.reports.tasks.build_daily_report", args=[centre.pk, centre.today().isoformat()])
        assert handler.accepted.wait(120), rig.log()
        rig.kill_worker(worker)
        handler.release.set()
        rig.start_worker()
        clock.sleep(VISIBILITY + 5)  # the task's redelivery has come and gone
        rig.producer.send_task("ops.messages.tasks.send_waiting_mail")
        mail = wait_until(lambda: (m := _report_mail(centre)) and m.state == "unknown" and m, timeout=30)
        assert mail, rig.log()
        clock.sleep(2)
        return {**_result("worker killed after the server accepted (日報)", len(handler.envelopes), mail),
                "case": centre}
    finally:
        controller.stop()


def relay_answers_late(rig: Rig) -> dict:
    """The relay takes the 日報 and answers 250 only after the client's timeout: one delivery, `unknown`."""
    centre = report_case()
    relay = SlowAnswer(delay=EMAIL_TIMEOUT + 3)
    controller = serve(relay, rig.port)
    try:
        rig.producer.send_task("ops.reports.tasks.build_daily_report", args=[centre.pk, centre.today().isoformat()])
        mail = wait_until(lambda: (m := _report_mail(centre)) and m.state == "unknown" and m, timeout=120)
        assert mail, rig.log()
        clock.sleep(EMAIL_TIMEOUT + 6)  # any retry would have reached the relay by now
        rig.producer.send_task("ops.reports.tasks.report_tick")  # and the next tick asks for no second mail
        clock.sleep(3)
        return {**_result("relay answers after the timeout (日報)", len(relay.envelopes), mail), "case": centre}
    finally:
        controller.stop()
