"""Refusals of the dispatch domain. Each carries a translated message meant for the person who acted."""


class DispatchError(Exception):
    """Base: `str(err)` is the user-facing message (already translated); `code` names the rule when a
    caller needs to tell refusals apart (the slip's outbox answers: "already_filed", "cancelled", "expired")."""

    def __init__(self, message, code: str = ""):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code


class TeamError(DispatchError):
    """A team cannot be formed, changed or disbanded as asked."""


class DispatchRefused(DispatchError):
    """The team or the need is no longer free: usually another coordinator was faster."""


class ReportRefused(DispatchError):
    """A return report that cannot be filed (already filed, slip expired, bad figures)."""


class LendingError(DispatchError):
    """Tools that cannot be lent or returned (not enough in stock, more than was lent)."""


class StockError(DispatchError):
    """A ledger line that cannot be written (a name taken, more written off or handed out than is on hand)."""
