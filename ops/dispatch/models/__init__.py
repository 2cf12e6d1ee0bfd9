"""マッチング・送り出し: teams (班), dispatches of a team to a need, return reports (活動報告), tools (資機材)."""
from ops.dispatch.models.teams import (
    LATE_RECEIPT,
    Dispatch,
    DispatchQuerySet,
    ReturnReport,
    Team,
    TeamQuerySet,
)
from ops.dispatch.models.tools import (
    INCOMING,
    Consumable,
    ConsumableMovement,
    EquipmentItem,
    EquipmentKind,
    EquipmentLoan,
    EquipmentMovement,
    label_code,
)

__all__ = [
    "INCOMING", "LATE_RECEIPT", "Consumable", "ConsumableMovement", "Dispatch", "DispatchQuerySet", "EquipmentItem",
    "EquipmentKind", "EquipmentLoan", "EquipmentMovement", "ReturnReport", "Team", "TeamQuerySet", "label_code",
]
