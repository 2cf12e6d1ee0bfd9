"""Domain errors of intake: each carries a message for the user, in their language."""


class NeedError(Exception):
    """A refused action; str(err) is the message to show."""
