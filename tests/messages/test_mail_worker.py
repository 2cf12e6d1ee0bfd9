"""Mail leaves the web request: a real uvicorn whose own SMTP server never answers, a real Celery worker
sending to a real SMTP server (aiosmtpd), or to none (connection refused) while it retries."""
import string
import time as clock
import urllib.parse
import urllib.request

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from harness import free_port
from ops.centres.models import Role
from ops.messages.models import OutboundMail
from tests import factories
from tests.smtp import black_hole, smtp_server, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def mail_web(stack, mail_worker):
    """A web server whose mail settings point at a stalled SMTP server, on the mail worker's broker: if a
    request sent mail itself it would wait the whole EMAIL_TIMEOUT (20 s)."""
    hole_port = free_port()
    hole = black_hole(hole_port)
    try:
        yield stack.start_server(env=stack.env(EMAIL_URL=f"smtp://127.0.0.1:{hole_port}",
                                               REDIS_URL=mail_worker["broker"]), name="mailweb")
    finally:
        stack.stop_process("mailweb")
        hole.close()


def _flag_crisis(base_url, centre, need, user) -> float:
    """POST the 危機介入 flag as `user` through the live server; returns the seconds the request took."""
    client = Client()
    client.force_login(user)
    csrf = get_random_string(32, string.ascii_letters + string.digits)
    data = urllib.parse.urlencode({"kind": "crisis", "note": "連絡が取れない", "csrfmiddlewaretoken": csrf}).encode()
    request = urllib.request.Request(
        base_url + reverse("needs:welfare_flag", kwargs={"centre": centre.slug, "pk": need.pk}), data=data,
        headers={"Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}"})
    started = clock.monotonic()
    with urllib.request.urlopen(request, timeout=60) as response:  # follows the redirect to the need page
        assert response.status == 200
    return clock.monotonic() - started


def _crisis_case():
    centre = factories.make_centre()
    factories.make_user(Role.ADMIN, centre, email="head@example.jp")
    return centre, factories.make_need(centre), factories.make_user(Role.WELFARE, centre)


def test_the_web_request_does_not_wait_on_smtp(mail_web, mail_worker):
    centre, need, welfare = _crisis_case()
    controller, inbox = smtp_server(mail_worker["port"])
    try:
        took = _flag_crisis(mail_web, centre, need, welfare)
        assert took < 5, f"the request took {took:.1f} s: it waited on the stalled mail server"
        assert len(inbox.wait(1)) == 1, mail_worker["stack"].log_tail("mailworker")
    finally:
        controller.stop()
    assert inbox.envelopes[0].rcpt_tos == ["head@example.jp"]
    assert wait_until(lambda: OutboundMail.objects.filter(state="sent").count() == 1, timeout=10)


def test_a_refused_connection_is_retried_shown_in_words_and_sent_once(mail_web, mail_worker):
    centre, need, welfare = _crisis_case()
    _flag_crisis(mail_web, centre, need, welfare)  # nothing listens on the worker's SMTP port yet
    alert = wait_until(lambda: OutboundMail.objects.filter(about=f"needs.need:{need.pk}",
                                                           error="connection_refused").first())
    assert alert is not None and alert.state == "queued", mail_worker["stack"].log_tail("mailworker")
    staff = Client()
    staff.force_login(welfare)
    for url in (reverse("needs:detail", kwargs={"centre": centre.slug, "pk": need.pk}),
                reverse("welfare:cases", kwargs={"centre": centre.slug})):
        page = staff.get(url).content.decode()
        assert "メールサーバーに接続できませんでした" in page and "自動で再送します" in page, url

    controller, inbox = smtp_server(mail_worker["port"])
    try:
        assert len(inbox.wait(1)) == 1, mail_worker["stack"].log_tail("mailworker", lines=200)
        clock.sleep(3)
        assert len(inbox.envelopes) == 1  # sent once, whatever retries were still on their way
    finally:
        controller.stop()
    alert.refresh_from_db()
    assert alert.state == "sent" and alert.error == "" and alert.attempts >= 2
    assert "送信できませんでした" not in staff.get(reverse("welfare:cases", kwargs={"centre": centre.slug})).content.decode()


def test_the_mail_worker_takes_only_the_tasks_sent_to_it(mail_worker):
    """Its producer is not the current app: were it, every mail a later test queued would go to this worker,
    which (its SMTP refused) counted a failed attempt on a mail another test was racing to send."""
    from celery import current_app

    from dvc.celery import app
    from ops.messages.tasks import deliver_mail

    assert current_app._get_current_object() is app
    assert deliver_mail.app is app and app.conf.broker_url != mail_worker["broker"]
