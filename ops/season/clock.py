"""The season's clock: Python's own clock moved through a centre's days, so that every service stamps its rows
(check-in times, history lines, events, reports) as it would have on the day. Never past the real now: the
season ends where the real centre is.

time-machine patches the wall clock only (datetime.now, time.time); the monotonic clock that database and
Redis timeouts use keeps running, so the real PostgreSQL, Redis and channel layer work as usual.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import time_machine
from django.utils import timezone


class SeasonClock:
    """Moves forward through the centre's days; `at(day, clock)` is False for a moment still to come."""

    def __init__(self, centre, *, until: datetime | None = None):
        self.centre = centre
        self.until = until or timezone.now()
        self._traveller = None
        self._travel = None
        self.current: datetime | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self) -> None:
        if self._travel is not None:
            self._travel.stop()
            self._travel = self._traveller = None

    def reached(self, moment: datetime) -> bool:
        return moment <= self.until

    def move_to(self, moment: datetime) -> bool:
        """Set the clock to `moment` if it has already happened (and is not before the clock: time only goes
        forward, as the outbox's order and the history lines expect). False when it is still to come."""
        if not self.reached(moment):
            return False
        if self.current is not None and moment < self.current:
            moment = self.current
        if self._travel is None:
            self._travel = time_machine.travel(moment, tick=False)
            self._traveller = self._travel.start()
        else:
            self._traveller.move_to(moment)
        self.current = moment
        return True

    def at(self, day: date, clock: time | timedelta) -> bool:
        """Move to `day` at a wall-clock time of the centre (or at an offset from the day's start)."""
        if isinstance(clock, timedelta):
            moment = self.centre.at(day, time.min) + clock
        else:
            moment = self.centre.at(day, clock)
        return self.move_to(moment)
