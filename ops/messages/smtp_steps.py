"""The SMTP conversation of one mail in two phases, driven step by step on the connection Django's SMTP backend
opens (its settings: host, port, TLS/SSL, login, EMAIL_TIMEOUT).

`open_envelope` runs everything before the content: connect, EHLO, MAIL FROM, RCPT TO. Nothing is accepted
yet, so a failure here may be retried. `send_content` sends DATA and the content and reads the server's answer:
from its first byte the server may accept the mail, so only a definite reply code counts as an answer.
The envelope is built as Django's backend builds it (sanitize_address, SMTPUTF8 for non-ASCII addresses).
"""
from __future__ import annotations

import contextlib
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import sanitize_address

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def speaks_smtp(backend) -> bool:
    """True for Django's SMTP backend (or a subclass): the one whose conversation we drive ourselves."""
    from django.core.mail.backends.smtp import EmailBackend

    return isinstance(backend, EmailBackend)


@dataclass
class Envelope:
    backend: object
    sender: str
    recipients: list[str]
    content: bytes

    @property
    def connection(self) -> smtplib.SMTP:
        return self.backend.connection

    def close(self, *, polite: bool = True) -> None:
        """QUIT and close; after a lost answer only close (QUIT would wait on the same silent server)."""
        connection, self.backend.connection = self.backend.connection, None
        if connection is None:
            return
        try:
            if polite:
                with contextlib.suppress(smtplib.SMTPException, OSError):  # gone already: no goodbye
                    connection.quit()
        finally:
            connection.close()


def _utf8_options(connection: smtplib.SMTP, sender: str, recipients: list[str]) -> list[str]:
    if sender.isascii() and all(r.isascii() for r in recipients):
        return []
    if not connection.has_extn("smtputf8"):
        raise smtplib.SMTPNotSupportedError("SMTPUTF8 not supported by server")
    return ["SMTPUTF8", "BODY=8BITMIME"]


def open_envelope(message: EmailMessage, backend=None) -> Envelope:
    """Connect and have the server take the envelope (MAIL FROM, RCPT TO). Raises what smtplib raises; nothing
    was accepted then. Some recipients refused (not all) goes on, as Django's backend does."""
    backend = backend or get_connection(SMTP_BACKEND, fail_silently=False)
    encoding = message.encoding or settings.DEFAULT_CHARSET
    sender = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    content = message.message().as_bytes(linesep="\r\n")
    backend.open()
    envelope = Envelope(backend, sender, recipients, content)
    try:
        connection = envelope.connection
        connection.ehlo_or_helo_if_needed()
        options = _utf8_options(connection, sender, recipients)
        if connection.does_esmtp and connection.has_extn("size"):
            options.append(f"size={len(content)}")
        code, reply = connection.mail(sender, options)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused = {}
        for recipient in recipients:
            code, reply = connection.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, reply)
            if code == 421:
                raise smtplib.SMTPRecipientsRefused(refused)
        if len(refused) == len(recipients):
            raise smtplib.SMTPRecipientsRefused(refused)
    except BaseException as exc:
        envelope.close(polite=isinstance(exc, smtplib.SMTPResponseException))
        raise
    return envelope


def send_content(envelope: Envelope) -> None:
    """DATA, the content, and the server's answer. Returns on 250 (the connection still open); raises smtplib.SMTPDataError on a definite
    refusal (its smtp_code: 4xx for now, 5xx for good); anything else (a timeout, a dropped connection) means
    the answer was lost and the mail may have been delivered."""
    try:
        code, reply = envelope.connection.data(envelope.content)
    except smtplib.SMTPResponseException:  # a reply to DATA itself: a definite answer
        envelope.close()
        raise
    except BaseException:
        envelope.close(polite=False)
        raise
    if code != 250:
        envelope.close()
        raise smtplib.SMTPDataError(code, reply)
    # Accepted: the caller records it, then closes the envelope (QUIT may be slow; the mail is delivered).
