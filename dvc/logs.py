"""What a log line may hold. Every handler in the process (ours from settings.LOGGING, uvicorn's access and
error log, Django's defaults, Celery's) passes its records through `Redact`: the private part of a path (a
personal link's token, the day's check-in code) becomes ***, a query string becomes ?***, and an email's
local part and a phone-shaped number become ***. Paths, methods, statuses, times and client addresses stay.

No Django here: Celery's logging signals and uvicorn's processes use it before or without Django's setup.
"""
from __future__ import annotations

import logging
import logging.config
import re
from collections.abc import Mapping

HIDDEN = "***"

# The private routes (the URLconfs; tests/security/test_log_redaction.py walks them so a new one cannot be
# missed): /v/<token>/, /g/<token>/, /r/<token>/, /s/<token>/, a staff invitation's /invite/<token>/,
# /api/v1/volunteers/<token>/, and the poster's /p/<centre>/checkin/<code>/. Whatever follows the prefix up to
# the next / is the secret.
_PRIVATE = re.compile(r"""(/(?:v|g|r|s|invite)/|/api/v1/volunteers/|/p/[^/\s?#"'<>]+/checkin/)[^/\s?#"'<>]+""")
# And, for a private route added without a line above, any path segment shaped like secrets.token_urlsafe():
# 20 or more URL-safe characters with a capital and a digit (slugs are lower case, ids are short).
_TOKEN_SHAPED = re.compile(r"(?<=/)(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{20,}(?=[/?#\s\"']|$)")
# A query after a path: searches, filters and the lookups that once went by GET can carry anything.
_QUERY = re.compile(r"""(/[^\s?#"'<>]*)\?[^\s#"'<>]+""")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@(?=[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
# Japanese phone numbers as people type them (090-1234-5678, 09012345678, 03-1234-5678); not inside ids,
# addresses, ids or dates (an ASCII letter, digit, dot, % or - beside it rules those out; Japanese may touch it).
_PHONE = re.compile(r"(?<![A-Za-z0-9_.%-])(?:0\d{9,10}|0\d{1,4}-\d{1,4}-\d{3,4})(?![A-Za-z0-9_.%-])")


def redact(text: str) -> str:
    text = _PRIVATE.sub(rf"\1{HIDDEN}", text)
    text = _TOKEN_SHAPED.sub(HIDDEN, text)
    text = _QUERY.sub(rf"\1?{HIDDEN}", text)
    text = _EMAIL.sub(f"{HIDDEN}@", text)
    return _PHONE.sub(HIDDEN, text)


def _redacted(value):
    return redact(value) if isinstance(value, str) else value


class Redact(logging.Filter):
    """Redacts a record in place and lets it through. The arguments are redacted one by one first, so a
    formatter that reads them (uvicorn's access formatter unpacks the request line's five) still can; only
    when the finished message still changes (a token split between the format and an argument) is the
    record flattened to its redacted message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, Mapping):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redacted(value) for value in record.args)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: the handler reports it as logging always has  # noqa: BLE001
            return True
        if (clean := redact(message)) != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def guard_every_handler() -> None:
    """Put `Redact` on every handler of every logger that exists now, whoever installed it."""
    loggers = [logging.getLogger(), *(logger for logger in logging.Logger.manager.loggerDict.values()
                                      if isinstance(logger, logging.Logger))]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, Redact) for f in handler.filters):
                handler.addFilter(Redact())


def configure(config: dict) -> None:
    """settings.LOGGING_CONFIG: apply LOGGING, then guard the handlers it does not name (uvicorn configured its
    own before it imported the app; Django's defaults were applied just before)."""
    logging.config.dictConfig(config)
    guard_every_handler()
