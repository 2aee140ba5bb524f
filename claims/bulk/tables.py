"""Writing a batch's rows to their tables: PostgreSQL's COPY, or multi-row INSERTs elsewhere.

The bulk path of an import (``claims.bulk.fast``) holds its rows as plain dicts keyed by
attribute name (``claim_id``, not ``claim``), never as model instances: at a hundred thousand
rows, building ten instances a row and compiling their INSERTs costs more than the database
takes to store them. :class:`TableWriter` completes each row with its model's defaults and
writes a table's rows in one go:

- On PostgreSQL, with ``COPY ... FROM STDIN``. The ids the batch needs to refer to (claims,
  sources, appearances) are taken from the table's own sequence first
  (``nextval`` over ``generate_series``), so they are the ids an INSERT would have drawn;
  tables nothing refers to leave the id to its column default.
- Elsewhere (SQLite), and on PostgreSQL when asked (the tests compare the two), with
  ``bulk_create`` of instances made from the rows, the ids read back from it.

Either way the rows go in the caller's transaction: a refused COPY raises Django's
``IntegrityError``/``DataError`` like a refused INSERT, and the caller's savepoint takes back
everything the batch wrote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from psycopg import sql

Row = dict[str, Any]

# Field types whose Python values psycopg writes as Django would (no conversion in between).
# A model with any other column is written with INSERTs, whatever the database.
COPYABLE = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateField",
        "DateTimeField",
        "FloatField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
        "URLField",
    }
)


def copy_available() -> bool:
    """PostgreSQL through psycopg 3 (``cursor.copy``)."""
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return is_psycopg3


class _Table:
    """One model's columns, and what a row that does not name a column gets."""

    def __init__(self, model: type[models.Model], now: dt.datetime) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.pk = model._meta.pk
        self.copyable = all(f.get_internal_type() in COPYABLE for f in self.fields)
        # Constant defaults by attname; (attname, callable) for the rest.
        self.constant: Row = {}
        self.computed: list[tuple[str, Callable[[], Any]]] = []
        for f in self.fields:
            if f is self.pk:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.constant[f.attname] = now  # one batch, one moment
            elif f.has_default() and callable(f.default):
                self.computed.append((f.attname, f.default))
            else:
                self.constant[f.attname] = f.get_default()

    def complete(self, row: Row) -> None:
        # In place (the caller keeps the dict, and reads the id from it), two C-level updates.
        given = dict(row)
        row.update(self.constant)
        row.update(given)
        for name, make in self.computed:
            if name not in row:
                row[name] = make()


class TableWriter:
    """Writes rows, a table at a time, in the caller's transaction (see the module's doc).

    ``copy``: ``None`` uses COPY where the database has it; ``False`` forces INSERTs.
    """

    def __init__(self, *, copy: bool | None = None) -> None:
        self.copy = copy_available() if copy is None else copy and copy_available()
        self.now = timezone.now()
        self._tables: dict[type[models.Model], _Table] = {}

    def table(self, model: type[models.Model]) -> _Table:
        if model not in self._tables:
            self._tables[model] = _Table(model, self.now)
        return self._tables[model]

    def insert(self, model: type[models.Model], rows: Sequence[Row], *, ids: bool = False) -> None:
        """Write ``rows`` to ``model``'s table, each completed with the model's defaults.

        With ``ids=True`` every row gets its ``id`` (the primary key's attname), for rows that
        others refer to; otherwise the id is the database's to give and is not read back.
        """
        if not rows:
            return
        table = self.table(model)
        for row in rows:
            table.complete(row)
        if self.copy and table.copyable:
            self._copy(table, rows, ids=ids)
        else:
            self._bulk_create(table, rows, ids=ids)

    def _copy(self, table: _Table, rows: Sequence[Row], *, ids: bool) -> None:
        pk = table.pk.attname
        name = table.model._meta.db_table
        with connection.wrap_database_errors, connection.cursor() as cursor:
            if ids:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [connection.ops.quote_name(name), table.pk.column, len(rows)],
                )
                for row, (value,) in zip(rows, sorted(cursor.fetchall()), strict=True):
                    row[pk] = value
            fields = [f for f in table.fields if ids or f is not table.pk]
            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(name), sql.SQL(", ").join(sql.Identifier(f.column) for f in fields)
            )
            names = [f.attname for f in fields]
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row([row[n] for n in names])

    def _bulk_create(self, table: _Table, rows: Sequence[Row], *, ids: bool) -> None:
        model = table.model
        objects = model._default_manager.bulk_create([model(**row) for row in rows])
        for row, obj in zip(rows, objects, strict=True):
            # bulk_create stamps auto_now(_add) fields itself: keep what it wrote.
            for f in table.fields:
                row[f.attname] = getattr(obj, f.attname)
        if ids and any(row[table.pk.attname] is None for row in rows):
            raise RuntimeError(f"The database gave no ids for {model._meta.label} rows.")


@cache
def _checked_fields(model: type[models.Model]) -> dict[str, models.Field]:
    return {f.attname: f for f in model._meta.concrete_fields if not f.is_relation}


def row_clean(model: type[models.Model], row: Row) -> None:
    """Validate the fields a row names as ``Model.clean_fields`` would (cleaned values kept);
    raises ``ValidationError`` by field name.

    Relations are left out (checking them costs a query each; the foreign keys are the
    database's to enforce, as are constraints), and so are the columns a row leaves to the
    model's defaults.
    """
    errors: dict[str, list[ValidationError]] = {}
    fields = _checked_fields(model)
    for name, value in row.items():
        f = fields.get(name)
        if f is None or (f.blank and value in f.empty_values):
            continue
        try:
            row[name] = _value_clean(f, value)
        except ValidationError as error:
            errors[f.name] = error.error_list
    if errors:
        raise ValidationError(errors)


@lru_cache(maxsize=4096, typed=True)
def _value_clean(f: models.Field, value: Any) -> Any:
    # A field's checks depend on the value alone (no instance, no relation), and an import
    # repeats many values (publisher, its URL, language, kind): each is checked once.
    return f.clean(value, None)
