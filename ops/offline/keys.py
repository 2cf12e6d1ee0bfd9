"""The server's half of the phone's outbox: a submission carries a key the phone made (X-Submit-Key), is
filed at most once per key (`once`), and is answered in JSON the outbox understands (`Answer`). Plain form
posts without the outbox keep their HTML answers: `from_outbox` tells the two apart."""
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone

from ops.offline.models import Submission

KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
KEEP_SUBMISSIONS = timedelta(days=14)  # long enough for any phone's resend; purged by the retention task
# How long a phone may keep each page it may keep (X-Offline-Keep); the slip: until its day ends (slip.py).
KEEP_OWN_PAGE = timedelta(days=7)  # the volunteer's own page, from when it was last opened
KEEP_REQUEST_FORM = timedelta(days=2)  # the resident's empty request form


def submit_key(request) -> str | None:
    """The phone's key for this submission (header, else the form's `submit_key`), or None: a malformed key
    counts as no key."""
    value = request.headers.get("X-Submit-Key")
    if not value and request.method == "POST":
        value = request.POST.get("submit_key")
    if isinstance(value, str) and KEY.fullmatch(value):
        return value
    return None


def from_outbox(request) -> bool:
    """Sent by the outbox (a key and Accept: application/json): answered in JSON, exactly once."""
    return (request.method == "POST" and submit_key(request) is not None
            and "application/json" in request.headers.get("Accept", ""))


def typed_at(request, *, not_before: datetime | None, now: datetime | None = None) -> datetime | None:
    """When the person pressed send, on the phone's clock (`typed_at`, ISO 8601 with an offset), kept within
    [not_before, now]: a phone whose clock runs wrong cannot file in the future or before the work began."""
    raw = request.POST.get("typed_at", "")
    if not isinstance(raw, str) or not raw or len(raw) > 40:
        return None
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    now = now or timezone.now()
    if not_before is not None and moment < not_before:
        moment = not_before
    return min(moment, now)


@dataclass
class Answer:
    """What the phone is told: `state` says what it should do next (received: done; refused: stop trying;
    invalid: show the errors; later: retry), `message` is for the person, in their language."""
    status: int
    state: str
    message: str
    extra: dict = field(default_factory=dict)

    def body(self) -> dict:
        return {"state": self.state, "message": str(self.message), **self.extra}

    def response(self) -> JsonResponse:
        return respond(self.status, self.body())


def respond(status: int, body: dict) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def received(message, *, location: str | None = None, status: int = 200, **extra) -> Answer:
    body = {"at": timezone.now().isoformat(), **extra}
    if location:
        body["location"] = location
    return Answer(status, "received", message, body)


def refused(code: str, message) -> Answer:
    """The server will never take this submission: the phone stops retrying and says why."""
    return Answer(409, "refused", message, {"code": code})


def invalid(message, errors: dict | None = None, **extra) -> Answer:
    return Answer(400, "invalid", message, {"errors": errors or {}, **extra})


def later(message, *, retry_after: int) -> Answer:
    return Answer(429, "later", message, {"retry_after": int(retry_after)})


def form_errors(form) -> dict:
    """A form's errors as {"field": [message, ...], "__all__": [...]}, in the user's language."""
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


class _Undo(Exception):
    def __init__(self, answer: Answer):
        self.answer = answer


def once(request, action) -> JsonResponse:
    """File an outbox post at most once per (path, key). The key's row and everything `action` writes commit
    together; a refusal or invalid answer takes the key back with it, so a later resend is judged afresh.
    A resend of a key already answered gets that answer again with "again": true. Two resends at once: the
    second waits on the key's unique index until the first commits, then reads its answer."""
    key = submit_key(request)
    if key is None:  # callers check from_outbox first; a post without a key is never stored
        return action().response()
    try:
        with transaction.atomic():
            row, created = Submission.objects.get_or_create(scope=request.path[:200], key=key)
            if not created:
                return respond(row.status, {**row.answer, "again": True})
            answer = action()
            if answer.status >= 400:
                raise _Undo(answer)
            row.status, row.answer = answer.status, answer.body()
            row.save(update_fields=["status", "answer"])
    except _Undo as undo:
        return undo.answer.response()
    return answer.response()


def keep_offline(response, until: datetime):
    """Let the phone keep this page (its service worker caches only responses with this header) until
    `until`. Only the three pages a person keeps for themself call it, on their own GET (see the README)."""
    response["X-Offline-Keep"] = str(int(until.timestamp()))
    return response


def clear_phone(response):
    """Logging out (staff) or 「この端末から記録を消す」 (a volunteer): the browser drops this site's caches,
    storage and service workers (the outbox's copies included); forget.js does the same where the header is
    not honoured."""
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


def purge_submissions(*, now: datetime | None = None) -> int:
    """Forget the keys older than KEEP_SUBMISSIONS (the daily retention task)."""
    cutoff = (now or timezone.now()) - KEEP_SUBMISSIONS
    deleted, _ = Submission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
