"""What boards know of an attendance or a booking: the state carried in events and snapshots.
Never names or phones."""


def attendance_state(attendance) -> dict:
    return {
        "id": attendance.pk,
        "date": attendance.date.isoformat(),
        "base_id": attendance.base_id,
        "team_id": attendance.team_id,
        "in": attendance.checked_out_at is None,
        "head_count": getattr(attendance, "head_count", 1),
    }


def booking_state(booking) -> dict:
    return {
        "id": booking.pk,
        "date": booking.date.isoformat(),
        "base_id": booking.base_id,
        "head_count": booking.head_count,
        "active": booking.cancelled_at is None,
    }
