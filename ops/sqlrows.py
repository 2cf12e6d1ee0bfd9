"""Hand-written SQL for the few hot paths, with model instances made as the ORM makes them.

Compiling a queryset costs more CPU than PostgreSQL spends running a lookup by a unique key (about 1 ms
against 0.1 ms here). Where one request runs the same few lookups thousands of times a morning (the poster's
check-in, bench/checkin_burst.py), the SQL is written once per process from the models' own fields, and
the row is turned into instances with `Model.from_db` and the fields' own converters (a JSONField's text is
decoded by the field, as under the ORM). Everything else should keep using the ORM.
"""
import psycopg
from django.db import connection


class Columns:
    """One model's columns in a SELECT under `alias`, and the instance made from its slice of a row."""

    def __init__(self, model, alias: str):
        self.model, self.alias = model, alias
        self.fields = list(model._meta.concrete_fields)
        self.width = len(self.fields)
        self._converters = None

    @property
    def sql(self) -> str:
        qn = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{qn(f.column)}" for f in self.fields)

    def _prepare(self):
        if self._converters is None:  # once: the backend's and the fields' converters, as the ORM applies them
            self._converters = []
            for i, field in enumerate(self.fields):
                col = field.get_col(self.alias)
                converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                if converters:
                    self._converters.append((i, converters, col))
        return self._converters

    def build(self, row, start: int):
        """The instance in row[start:start + width], or None when the join found nothing (NULL key)."""
        values = list(row[start:start + self.width])
        if values[0] is None:
            return None
        for i, converters, col in self._prepare():
            for convert in converters:
                values[i] = convert(values[i], col, connection)
        return self.model.from_db(connection.alias, None, values)


def fetchone(sql: str, params: dict):
    """One row of `sql`. On PostgreSQL through a server-side bound cursor, so psycopg prepares the statement
    on each pooled connection once it has run there a few times (settings: prepare_threshold): planning a
    five-table join cost PostgreSQL more than running it (0.7 ms against 0.4 ms a call in the check-in burst),
    and Django's own cursors bind client-side, which never prepares. It is still wrapped by Django (query
    logging, execute wrappers)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    cursor = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
    with cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def select(*columns: Columns) -> str:
    return ", ".join(c.sql for c in columns)


def build_all(row, *columns: Columns) -> list:
    """The instances of `columns`, in order, from one row selected with `select(*columns)`."""
    out, start = [], 0
    for c in columns:
        out.append(c.build(row, start))
        start += c.width
    return out


def insert(instance) -> None:
    """INSERT one new row of a model without signals (only for models no signal listens to), setting its pk.
    The values are prepared by the fields, as Model.save(force_insert=True) would."""
    meta = instance._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key or getattr(instance, f.attname) is not None]
    qn = connection.ops.quote_name
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    # Names come from the model's meta, every value is a parameter.
    columns, marks = ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks}) RETURNING {qn(meta.pk.column)}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding, instance._state.db = False, connection.alias
