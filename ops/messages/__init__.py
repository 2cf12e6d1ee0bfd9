"""Mail to people, as rows with a state: services ask for a message (queue_mail), a Celery task sends it after
the transaction commits, with retries, and a failure is kept as a code that reads as words in the reader's
language. No web request talks to an SMTP server."""
