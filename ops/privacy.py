"""Which fields hold personal data, and how each is anonymised when retention ends.

One registry used by the retention command (`manage.py erase_personal_data`) and checked by a test that
fails when a model gains a personal-looking field that is not listed here.
"""
ERASED = "（消去済）"

# model label -> {field: replacement}. Callables receive the object (e.g. keep the district of an address).
PERSONAL_FIELDS = {
    "needs.Need": {
        "requester_name": ERASED,
        "requester_kana": "",
        "phone": "",
        "phone_normalised": "",
        "name_key": "",
        "kana_key": "",
        "address_key": "",
        "address": lambda need: need.district or ERASED,
        "description": "",
        "notes": "",
        "hazards": "",
        "household": list,
        "lat": lambda need: round(need.lat, 3) if need.lat is not None else None,  # ~100 m: maps stay useful
        "lng": lambda need: round(need.lng, 3) if need.lng is not None else None,
    },
    "needs.Referral": {"note": ""},
    "volunteers.Volunteer": {
        "name": ERASED,
        "kana": "",
        "phone": "",
        "phone_normalised": "",
        "email": "",
        "emergency_name": "",
        "emergency_phone": "",
        "guardian_name": "",
        "kana_key": "",
    },
    "volunteers.Group": {"leader_name": ERASED, "phone": "", "email": ""},
}

# Fields whose names look personal but are not (checked by tests/security/test_retention.py).
NOT_PERSONAL = {
    "needs.WorkType.name", "volunteers.Group.name", "dispatch.EquipmentKind.name",
    # organisations and officials' work contacts, not residents' or volunteers' data
    "centres.Disaster.name", "centres.Centre.name", "centres.Centre.address", "centres.Centre.phone",
    "centres.Base.name", "centres.Base.address", "reports.ReportRecipient.name", "reports.ReportRecipient.email",
}
PERSONAL_HINTS = ("name", "kana", "phone", "address", "email", "emergency", "birth", "contact")


def anonymise(obj) -> list[str]:
    """Overwrite the object's personal fields in memory; returns the field names (caller saves)."""
    fields = PERSONAL_FIELDS[obj._meta.label]
    for name, replacement in fields.items():
        if not hasattr(obj, name):
            continue
        value = replacement(obj) if callable(replacement) and replacement is not list else replacement
        setattr(obj, name, [] if replacement is list else value)
    return [name for name in fields if hasattr(obj, name)]
