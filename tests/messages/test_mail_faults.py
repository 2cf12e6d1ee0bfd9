"""Mail faults with a real worker, a real web server and real SMTP servers (tests/mail_fault_scenarios.py,
also run by bench/mail_faults.py): a server refusing, one hanging, a worker killed after the server accepted
the 日報, a relay answering after the client's timeout. The crisis alert and the 日報 go through the one outbox;
a mail the server may have accepted is never sent twice."""
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from harness import Stack
from tests import mail_fault_scenarios as faults
from tests.conftest import _database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def rig(stack, django_db_blocker):
    """A worker and a web server on Redis db 13 (no other worker takes their tasks), short mail settings."""
    with django_db_blocker.unblock():
        database_url = _database_url()
    broker = settings.REDIS_URL.rsplit("/", 1)[0] + "/13"
    own = Stack(postgres=False, redis=False)
    rig = faults.Rig(own, database_url=database_url, broker_url=broker)
    try:
        yield rig.start()
    finally:
        rig.close()
        own.stop()


def _page(user, url) -> str:
    client = Client()
    client.force_login(user)
    return client.get(url).content.decode()


def test_smtp_refusing_fails_the_alert_in_words_staff_read(rig):
    result = faults.smtp_refusing(rig)
    print("\n", {k: v for k, v in result.items() if k not in ("mail", "case")})
    centre, need, welfare = result["case"]
    assert result["web_s"] < 5
    assert (result["state"], result["error"]) == ("failed", "connection_refused")
    assert result["attempts"] == int(faults.SETTINGS["MAIL_MAX_RETRIES"]) + 1  # retried, then given up
    page = _page(welfare, reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk}))
    assert "送信できませんでした" in page and "メールサーバーに接続できませんでした" in page


def test_smtp_hanging_does_not_hold_the_web_request_and_the_alert_is_retried(rig):
    result = faults.smtp_hanging(rig)
    print("\n", {k: v for k, v in result.items() if k not in ("mail", "case")})
    assert result["web_s"] < 5, f"the flag took {result['web_s']:.1f} s"
    assert result["deliveries"] == 1 and result["state"] == "sent" and result["attempts"] >= 3


def test_worker_killed_after_the_server_accepted_the_report_delivers_it_once(rig):
    result = faults.worker_killed_after_accept(rig, f"faultworker{rig.workers}")
    print("\n", {k: v for k, v in result.items() if k not in ("mail", "case")})
    assert result["deliveries"] == 1, rig.log()
    assert (result["state"], result["error"], result["attempts"]) == ("unknown", "worker_lost", 1)
    centre = result["case"]
    report = centre.daily_reports.get()
    assert report.sent_at is None  # not known to have arrived: staff see it and decide
    from ops.centres.models import Role
    from tests import factories

    page = _page(factories.make_user(Role.COORDINATOR, centre), reverse("reports:today",
                                                                        kwargs={"centre": centre.slug}))
    assert "送達不明" in page and "届いたかどうか分かりません" in page


def test_relay_answering_after_the_timeout_delivers_once_and_reads_unknown(rig):
    result = faults.relay_answers_late(rig)
    print("\n", {k: v for k, v in result.items() if k not in ("mail", "case")})
    assert result["deliveries"] == 1, rig.log()
    assert (result["state"], result["error"], result["attempts"]) == ("unknown", "answer_lost", 1)
    assert result["case"].daily_reports.get().sent_at is None
