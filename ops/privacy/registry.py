"""The registry: every field that holds personal data, its class, who may see it, what everyone else gets, and
what retention overwrites it with. Nothing else in the project lists fields as personal.

A class names the capability that sees it (ops.permissions.Cap). A field's `others` is what a role without
that capability gets: HIDDEN (nothing) or a coarser value. Fields a model has but this table does not name are
operational: whoever the page admits sees them (status, district, work types, people and days needed, ...).
"""
from dataclasses import dataclass
from enum import StrEnum

from ops.permissions import Cap

ERASED = "（消去済）"


class Kind(StrEnum):
    IDENTITY = "identity"  # who asked and how to reach them: name, kana, phone, address, exact position
    FREE_TEXT = "free_text"  # what residents, staff and teams wrote about the household
    HOUSEHOLD = "household"  # household situation, the 危機介入 / 見守り flag, referrals, consent to share
    PHOTOS = "photos"  # site photos and their captions
    VOLUNTEER = "volunteer"  # volunteers' names and contacts (reception's; retention only, for now)
    CASEWORK = "casework"  # a household's welfare case: its contact, notes, contacts, consents, referrals


# Which capability sees each class. Residents' classes go together: a role either works with households
# (intake, welfare, coordination) or sees the day's operations (the city, leaders).
SEEN_WITH: dict[Kind, Cap] = {
    Kind.IDENTITY: Cap.NEEDS_PERSONAL,
    Kind.FREE_TEXT: Cap.NEEDS_PERSONAL,
    Kind.HOUSEHOLD: Cap.NEEDS_PERSONAL,
    Kind.PHOTOS: Cap.NEEDS_PERSONAL,
    Kind.VOLUNTEER: Cap.RECEPTION,
    Kind.CASEWORK: Cap.WELFARE,  # welfare staff and administrators only: never intake or the coordinator
}
RESIDENTS = frozenset(k for k in Kind if k not in (Kind.VOLUNTEER, Kind.CASEWORK))


class _Hidden:
    """What a role that may not see a field gets: nothing (None to templates and serialisers)."""

    def __call__(self, value):
        return None

    def __repr__(self):
        return "HIDDEN"


HIDDEN = _Hidden()


@dataclass(frozen=True)
class Rounded:
    """A position to `decimals` places: 3 is about 100 m (a block, not a house)."""

    decimals: int

    def __call__(self, value):
        return round(value, self.decimals) if value is not None else None


NEAR_100M = Rounded(3)
KEEP = object()  # retention leaves the field alone


def _district_or_erased(need):
    return need.district or ERASED


def _rounded(field):
    return lambda obj: NEAR_100M(getattr(obj, field))


def _erased_if_written(field):
    # A near miss stays counted in the reports (non-empty text is the count), its words go.
    return lambda obj: ERASED if getattr(obj, field) else ""


@dataclass(frozen=True)
class Rule:
    kind: Kind
    others: object = HIDDEN  # what a role without SEEN_WITH[kind] gets: HIDDEN or a function of the value
    erase: object = KEEP  # what retention writes: KEEP, a value, list (an empty list), or a function of the object

    @property
    def cap(self) -> Cap:
        return SEEN_WITH[self.kind]


IDENTITY, FREE_TEXT, HOUSEHOLD, PHOTOS, VOLUNTEER, CASEWORK = (Kind.IDENTITY, Kind.FREE_TEXT, Kind.HOUSEHOLD,
                                                             Kind.PHOTOS, Kind.VOLUNTEER, Kind.CASEWORK)

# model label -> {field or relation: Rule}. Derived attributes follow their field (get_<field>_display, ALIASES).
FIELDS: dict[str, dict[str, Rule]] = {
    "needs.Need": {
        "requester_name": Rule(IDENTITY, erase=ERASED),
        "requester_kana": Rule(IDENTITY, erase=""),
        "requester_type": Rule(IDENTITY),
        "phone": Rule(IDENTITY, erase=""),
        "phone_normalised": Rule(IDENTITY, erase=""),
        "address": Rule(IDENTITY, erase=_district_or_erased),
        "name_key": Rule(IDENTITY, erase=""),
        "kana_key": Rule(IDENTITY, erase=""),
        "address_key": Rule(IDENTITY, erase=""),
        "reference_token": Rule(IDENTITY),  # the resident's private link
        "lat": Rule(IDENTITY, others=NEAR_100M, erase=_rounded("lat")),  # maps stay useful after retention
        "lng": Rule(IDENTITY, others=NEAR_100M, erase=_rounded("lng")),
        "description": Rule(FREE_TEXT, erase=""),
        "hazards": Rule(FREE_TEXT, erase=""),
        "notes": Rule(FREE_TEXT, erase=""),
        "household": Rule(HOUSEHOLD, erase=list),
        "welfare": Rule(HOUSEHOLD),
        "consent_share": Rule(HOUSEHOLD),
        "photos": Rule(PHOTOS),  # retention deletes them (erase_personal_data)
    },
    # The welfare case (ops.welfare): kept past retention only where the person consented to the handover
    # (erase_personal_data asks Case.handover_consent); otherwise erased with the centre's needs.
    "welfare.Household": {
        "name": Rule(CASEWORK, erase=ERASED),
        "kana": Rule(CASEWORK, erase=""),
        "phone": Rule(CASEWORK, erase=""),
        "address": Rule(CASEWORK, erase=lambda h: h.district or ERASED),
        "phone_key": Rule(CASEWORK, erase=""),
        "name_key": Rule(CASEWORK, erase=""),
        "address_key": Rule(CASEWORK, erase=""),
    },
    "welfare.Case": {
        "summary": Rule(CASEWORK, erase=""),
        "concerns": Rule(CASEWORK, erase=list),
        "close_note": Rule(CASEWORK, erase=""),
        "categories": Rule(CASEWORK),
        "level": Rule(CASEWORK),
        "assignee": Rule(CASEWORK),
        "next_check_on": Rule(CASEWORK),
        "contacts": Rule(CASEWORK),
        "referrals": Rule(CASEWORK),
        "consents": Rule(CASEWORK),
    },
    "welfare.Contact": {"found": Rule(CASEWORK, erase=""), "agreed": Rule(CASEWORK, erase=""),
                        "with_whom": Rule(CASEWORK, erase=list)},
    "welfare.Referral": {"reason": Rule(CASEWORK, erase=""), "urgent_reason": Rule(CASEWORK, erase=""),
                         "outcome_note": Rule(CASEWORK, erase="")},
    "needs.NeedPhoto": {name: Rule(PHOTOS) for name in ("image", "caption", "consent", "taken_at")},
    "needs.Survey": {
        "estimate_reason": Rule(FREE_TEXT, erase=""),
        "refusal_reason": Rule(FREE_TEXT, erase=""),
        "referred_to": Rule(FREE_TEXT, erase=""),
    },
    "needs.NeedStatusChange": {"reason": Rule(FREE_TEXT, erase="")},
    "dispatch.Dispatch": {"cancel_reason": Rule(FREE_TEXT, erase="")},
    # A partner organisation's job (ops.partners): what staff and the organisation wrote about the site, and
    # its photos. The organisation's own user reads them on its job page (ops.partners.selectors.job_sheet).
    "partners.PartnerJob": {
        "note": Rule(FREE_TEXT, erase=""),
        "decline_reason": Rule(FREE_TEXT, erase=""),
        "schedule_note": Rule(FREE_TEXT, erase=""),
        "outcome_note": Rule(FREE_TEXT, erase=""),
    },
    "partners.PartnerJobChange": {"note": Rule(FREE_TEXT, erase="")},
    "partners.JobPhoto": {name: Rule(PHOTOS) for name in ("image", "caption", "taken_at")},
    "dispatch.ReturnReport": {
        "work_done": Rule(FREE_TEXT, erase=""),
        "near_miss": Rule(FREE_TEXT, erase=_erased_if_written("near_miss")),
    },
    "volunteers.Volunteer": {
        "name": Rule(VOLUNTEER, erase=ERASED),
        "kana": Rule(VOLUNTEER, erase=""),
        "phone": Rule(VOLUNTEER, erase=""),
        "phone_normalised": Rule(VOLUNTEER, erase=""),
        "email": Rule(VOLUNTEER, erase=""),
        "emergency_name": Rule(VOLUNTEER, erase=""),
        "emergency_phone": Rule(VOLUNTEER, erase=""),
        "guardian_name": Rule(VOLUNTEER, erase=""),
        "kana_key": Rule(VOLUNTEER, erase=""),
    },
    "volunteers.Group": {
        "leader_name": Rule(VOLUNTEER, erase=ERASED), "phone": Rule(VOLUNTEER, erase=""),
        "email": Rule(VOLUNTEER, erase=""),
    },
}

# Attributes computed from a field: they show exactly when the field does.
ALIASES = {"needs.Need": {"household_display": "household", "site_warnings": "hazards"}}

# How each kind of entity state (ops.<app>.state) in events and snapshots is keyed: its keys are the model's
# field names, so the same rules apply to it.
STATES = {"need": "needs.Need"}

# Fields whose names look personal but are not (tests/security/test_retention.py checks the hints).
NOT_PERSONAL = {
    "needs.WorkType.name", "volunteers.Group.name", "dispatch.EquipmentKind.name", "dispatch.Consumable.name",
    # organisations and officials' work contacts, not residents' or volunteers' data
    "centres.Disaster.name", "centres.Centre.name", "centres.Centre.address", "centres.Centre.phone",
    "centres.Base.name", "centres.Base.address", "reports.ReportRecipient.name", "reports.ReportRecipient.email",
    "centres.Centre.crisis_alert_emails",
    # the social welfare council itself: its public name, phone and address (its public page)
    "centres.Council.name", "centres.Council.phone", "centres.Council.address",
    # the council's directory of bodies a case is referred to: offices, not residents
    "welfare.Agency.name", "welfare.Agency.phone", "welfare.Agency.contact_person", "welfare.Category.name",
    # partner organisations (ops.partners): bodies and their work contacts, and the meeting's minutes
    "partners.Organisation.name", "partners.Organisation.contact_name", "partners.Organisation.phone",
    "partners.Organisation.email",
    # 連絡済み: when staff reached a team past its return time (a moment, not whom they called)
    "dispatch.Dispatch.contacted_at",
}
PERSONAL_HINTS = ("name", "kana", "phone", "address", "email", "emergency", "birth", "contact")


def rule(label: str, name: str) -> Rule | None:
    """The rule for a model's field (or an attribute derived from one); None: operational."""
    fields = FIELDS.get(label)
    if not fields:
        return None
    name = ALIASES.get(label, {}).get(name, name)
    if name.startswith("get_") and name.endswith("_display"):
        name = name[4:-8]
    return fields.get(name)


def fields_of(label: str, *kinds: Kind) -> frozenset[str]:
    """The model's fields of these classes."""
    return frozenset(name for name, r in FIELDS.get(label, {}).items() if r.kind in kinds)


def erasable(label: str) -> dict[str, Rule]:
    """The fields retention overwrites, with their rules."""
    return {name: r for name, r in FIELDS.get(label, {}).items() if r.erase is not KEEP}
