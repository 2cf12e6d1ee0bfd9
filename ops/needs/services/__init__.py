"""Writes of the needs area. Views, the import, the API and other apps call these, nothing else."""
from ops.needs.services.errors import NeedError
from ops.needs.services.intake import record_need, update_need
from ops.needs.services.photos import add_photo, delete_photo
from ops.needs.services.position import place_need
from ops.needs.services.resident import need_for_token, undo_withdrawal, withdraw, withdrawal_undo_day
from ops.needs.services.status import manual_targets, set_status, set_status_by_hand
from ops.needs.services.survey import record_survey
from ops.needs.services.welfare import flag_welfare

__all__ = [
    "NeedError", "add_photo", "delete_photo", "flag_welfare", "manual_targets", "need_for_token",
    "place_need",
    "record_need", "record_survey", "set_status", "set_status_by_hand", "undo_withdrawal", "update_need", "withdraw",
    "withdrawal_undo_day",
]
