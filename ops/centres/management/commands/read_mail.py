"""Read the mail `make run` caught: its SMTP catcher (aiosmtpd, Procfile's `mail`) keeps every message the demo
sends (the daily report, alerts, volunteers' links) in a maildir under var/mail/ instead of delivering it.

    python manage.py read_mail          # one line per message, newest last
    python manage.py read_mail 3        # message 3: its headers and text (attachments by name and size)
"""
import mailbox
from email import policy
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def caught_mail_dir() -> Path:
    return Path(settings.VAR_DIR) / "mail"


class Command(BaseCommand):
    help = "List the mail caught by `make run`'s SMTP catcher (var/mail/), or show one message."

    def add_arguments(self, parser):
        parser.add_argument("number", nargs="?", type=int, help="show this message (from the list)")
        parser.add_argument("--dir", default=None, help="the maildir (default: var/mail)")

    def handle(self, *args, number=None, dir=None, **options):
        path = Path(dir) if dir else caught_mail_dir()
        messages = list(self._read(path)) if (path / "cur").is_dir() else []
        if not messages:
            self.stdout.write(f"no mail caught yet ({path})")
            return
        if number is None:
            for n, message in enumerate(messages, 1):
                self.stdout.write(f"{n:3d}  {message['Date']}  {message['To']}  {message['Subject']}")
            self.stdout.write(f"{len(messages)} message(s) in {path}; `read_mail N` shows one")
            return
        if not 1 <= number <= len(messages):
            raise CommandError(f"no message {number}: there are {len(messages)}")
        self._show(messages[number - 1])

    def _read(self, path: Path):
        """The messages in the order they arrived (the maildir's delivery times)."""
        box = mailbox.Maildir(path, create=False)
        arrived = sorted((box.get_message(key).get_date(), key) for key in box.iterkeys())
        return [BytesParser(policy=policy.default).parsebytes(box.get_bytes(key)) for _, key in arrived]

    def _show(self, message):
        for header in ("Date", "From", "To", "Cc", "Subject"):
            if message[header]:
                self.stdout.write(f"{header}: {str(message[header]).strip()}")
        self.stdout.write("")
        body = message.get_body(preferencelist=("plain", "html"))
        self.stdout.write(body.get_content() if body is not None else "")
        for part in message.iter_attachments():
            size = len(part.get_payload(decode=True) or b"")
            self.stdout.write(f"[attachment] {part.get_filename()} ({part.get_content_type()}, {size} bytes)")
