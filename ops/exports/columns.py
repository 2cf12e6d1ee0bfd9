"""A dataset's columns: a header in the reader's language and how to read the cell from one row. A column
that shows a model field names it (`field=(label, name)`), so the privacy registry decides who gets it and
in what form; the export never keeps its own list of personal columns."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ops.permissions import Cap
from ops.privacy import rule

CHUNK_ROWS = 1000  # rows read from the database at a time


@dataclass(frozen=True)
class Column:
    header: object  # a lazy translation, or a model field's verbose_name
    value: Callable
    field: tuple[str, str] | None = None  # (model label, field name): the registry's entry for this column


def field(model, name: str, value: Callable | None = None, *, header=None, via: Callable | None = None) -> Column:
    """A column showing `model.name` (of the row, or of `via(row)`: its volunteer, its report), headed by the
    field's verbose_name; choice fields read as their words (get_<name>_display hashes its lazy choices on
    every call: a season's rows took seconds)."""
    found = model._meta.get_field(name)
    if value is None:
        words = dict(found.flatchoices) if found.choices else None  # lazy labels, translated once (`cells`)

        def value(obj):
            target = via(obj) if via is not None else obj
            raw = getattr(target, name) if target is not None else None
            return words.get(raw, raw) if words is not None else raw
    return Column(header=header or found.verbose_name, value=value, field=(model._meta.label, name))


@dataclass(frozen=True)
class Dataset:
    """One thing a centre may download. `caps`: any one of them opens it. `rows(centre, first, last)` gives
    its rows for days first..last (either may be None: open-ended): a queryset, or an iterator that reads
    the database in chunks itself."""

    slug: str
    title: object
    caps: frozenset[Cap]
    columns: tuple[Column, ...]
    rows: Callable[..., QuerySet]
    ranged: bool = True  # False: the range does not apply (what is open now)
    note: object = ""

    def allowed(self, caps) -> bool:
        return bool(self.caps & set(caps))

    def columns_for(self, sight) -> list[Column]:
        """The columns this role gets: the registry hides a personal field's column from roles without it."""
        return [c for c in self.columns if c.field is None or sight.given(*c.field)]

    def readers_for(self, sight) -> list[tuple[Callable, Callable | None]]:
        """Per column this role gets: (read the value, what the registry makes of it for this role or None
        when the role gets it as it is). Asked once per export, not once per cell."""
        readers = []
        for column in self.columns_for(sight):
            coarsen = None
            if column.field is not None and not sight.shows(*column.field):
                found = rule(*column.field)
                coarsen = found.others
            readers.append((column.value, coarsen))
        return readers


def cells(readers, obj, centre, words: dict) -> list:
    """One row's cells as this role gets them (`Dataset.readers_for`), typed for a spreadsheet (naive local
    times, words, numbers). `words` keeps each lazy label's translation for the whole export: translating it
    again for every one of 6,300 rows was most of the time an export took."""
    out = []
    for read, coarsen in readers:
        value = read(obj)
        if coarsen is not None:
            value = coarsen(value)
        if isinstance(value, Promise):  # keyed by identity (hashing a lazy string translates it); held, so kept
            value = (words.get(id(value)) or words.setdefault(id(value), (value, str(value))))[1]
        out.append(plain(value, centre))
    return out


def plain(value, centre):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("はい") if value else _("いいえ")
    if isinstance(value, datetime):
        return centre.local(value).replace(tzinfo=None, microsecond=0) if value.tzinfo else value
    if isinstance(value, (int, float, Decimal, date)):
        return value
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)
