"""Writes of the volunteers area: each function validates, saves in one transaction, emits its event."""
from ops.volunteers.services.attendance import check_in, check_out, hours_between
from ops.volunteers.services.booking import book, bookable_days, cancel_booking
from ops.volunteers.services.capacity import Places, places
from ops.volunteers.services.links import home_centre, link_of, mail_link_on_record, renew_link
from ops.volunteers.services.registration import (
    AlreadyRegistered,
    find_returning,
    mail_personal_link,
    register_group,
    register_volunteer,
)

__all__ = ["AlreadyRegistered", "Places", "book", "bookable_days", "cancel_booking", "check_in", "check_out", "find_returning",
           "home_centre", "hours_between", "link_of", "mail_link_on_record", "mail_personal_link", "places",
           "register_group", "register_volunteer", "renew_link"]
