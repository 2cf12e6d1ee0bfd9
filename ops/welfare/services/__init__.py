"""Writes of the welfare casework: every change to a case, its contacts, consents and referrals goes through
these functions (each validates, saves in one transaction and names its operation on the audit trail)."""
from ops.welfare.services.cases import (
    WelfareError,
    add_contact,
    add_note,
    close_case,
    household_of,
    open_case,
    raise_concern,
    update_case,
)
from ops.welfare.services.consent import give_consent, record_outcome, refer, withdraw_consent
from ops.welfare.services.directory import add_agency

__all__ = [
    "WelfareError", "add_agency", "add_contact", "add_note", "close_case", "give_consent", "household_of", "open_case", "raise_concern",
    "record_outcome", "refer", "update_case", "withdraw_consent",
]
