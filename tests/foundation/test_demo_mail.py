"""`make run` catches the demo's mail on loopback (aiosmtpd with a maildir under var/mail/, Procfile's `mail`)
and `manage.py read_mail` lists and shows it: the mail the demo sends can be read, not lost on a missing server."""
import io
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def catcher(tmp_path, settings):
    """The catcher as Procfile runs it, and Django's SMTP backend pointed at it as run.sh's EMAIL_URL does."""
    port = _free_port()
    controller = Controller(Mailbox(tmp_path / "mail"), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.VAR_DIR = tmp_path
    yield tmp_path / "mail"
    controller.stop()


def _read_mail(*args) -> str:
    out = io.StringIO()
    call_command("read_mail", *args, stdout=out)
    return out.getvalue()


def test_mail_sent_to_the_demo_catcher_is_listed_and_read_back(catcher):
    message = mail.EmailMessage("【日報】デモ市災害VC 12月5日", "本日のボランティア 52人", to=["head@example.jp"])
    message.attach("nippo.pdf", b"%PDF-1.7 ...", "application/pdf")
    message.send()
    mail.send_mail("ボランティアの個人リンク", "リンク: http://127.0.0.1:8000/v/xyz/", None, ["taro@example.jp"])

    listing = _read_mail()
    assert "【日報】デモ市災害VC 12月5日" in listing and "head@example.jp" in listing
    assert "ボランティアの個人リンク" in listing and "2 message(s)" in listing
    first = _read_mail("1")
    assert "Subject: 【日報】デモ市災害VC 12月5日" in first
    assert "本日のボランティア 52人" in first
    assert "nippo.pdf (application/pdf" in first


def test_read_mail_says_when_nothing_was_caught_and_refuses_a_wrong_number(catcher):
    assert "no mail caught yet" in _read_mail()
    mail.send_mail("テスト", "本文", None, ["a@example.jp"])
    with pytest.raises(CommandError):
        _read_mail("2")
