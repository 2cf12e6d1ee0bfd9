"""What the outbox tells other apps. `mail_sent` (mail=) fires inside the transaction that records a mail as
sent (the server's 250, or staff confirming an unknown one): a receiver's writes commit with it, or not at all.
The daily report listens (ops.reports.building.note_mail_sent) to set its sent_at / sent_to."""
from django.dispatch import Signal

mail_sent = Signal()
