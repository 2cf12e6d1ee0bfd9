"""The centre (災害ボランティアセンター), its bases, who works there in which role, and its event log.
Split by subject (centre, places, suspension, records); everything is imported from here as before.
"""
from ops.centres.models.centre import (  # noqa: F401
    DEFAULT_TIMEZONE,
    Centre,
    Council,
    Disaster,
    default_activity_end,
    default_activity_start,
    default_latest_return_time,
    default_report_time,
)
from ops.centres.models.places import Base, BaseQuerySet, CapacityDay  # noqa: F401
from ops.centres.models.records import AuditEntry, Event, Membership, Role  # noqa: F401
from ops.centres.models.suspension import SUSPENSION_LOCKED_SQL, Suspension, SuspensionQuerySet  # noqa: F401
