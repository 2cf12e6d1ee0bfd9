"""Residents' (and volunteers') personal data: one registry that every surface asks.

`registry` says, per model field, which class of personal data it is, which capability sees that class, what
other roles get (nothing, or a position to about 100 m) and what retention overwrites it with. `sight_of(user,
centre)` answers for one role: pages show `sight.mask(need)`, the API and the map feed ask `sight.shows` /
`sight.value`, and ops.events gives each staff board audience the events as its Sight gets them.
"""
from ops.privacy.registry import (
    ERASED,
    FIELDS,
    HIDDEN,
    NOT_PERSONAL,
    PERSONAL_HINTS,
    SEEN_WITH,
    Kind,
    Rule,
    erasable,
    fields_of,
    rule,
)
from ops.privacy.retention import anonymise
from ops.privacy.sight import AUDIENCES, FULL, LIMITED, Masked, Position, Sight

sight_of = Sight.of

__all__ = [
    "AUDIENCES", "ERASED", "FIELDS", "FULL", "HIDDEN", "LIMITED", "NOT_PERSONAL", "PERSONAL_HINTS", "SEEN_WITH",
    "Kind", "Masked", "Position", "Rule", "Sight", "anonymise", "erasable", "fields_of", "rule", "sight_of",
]
