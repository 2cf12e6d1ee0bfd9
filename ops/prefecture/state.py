"""What the staff boards are told of the prefecture's objects (no names: counts and times only)."""


def offering_state(offering, *, allocated: int | None = None, waiting: int | None = None) -> dict:
    return {"id": offering.pk, "date": offering.date.isoformat(), "places": offering.places,
            "status": offering.status, "method": offering.allocated_by_method or offering.method,
            "allocated": allocated, "waiting": waiting}


def bus_state(bus) -> dict:
    return {"id": bus.pk, "date": bus.date.isoformat(), "hub": bus.hub, "departs_at": bus.departs_at.strftime("%H:%M"),
            "seats": bus.seats, "status": bus.status, "delay_minutes": bus.delay_minutes}
