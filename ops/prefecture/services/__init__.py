"""The prefecture's writes: offerings and applications (offerings.py), the allocation and the waiting list
(allocation.py), the outcome mails (outcomes.py) and the buses (buses.py). A refusal is `PrefectureRefused`
with a message in the reader's language and the form field it is about; nothing is written then."""


class PrefectureRefused(Exception):
    def __init__(self, message: str, *, field: str | None = None, code: str = "refused"):
        super().__init__(message)
        self.message, self.field, self.code = message, field, code

    def __str__(self):
        return str(self.message)
