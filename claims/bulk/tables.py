"""Writing a batch's rows to their tables: PostgreSQL's COPY, or multi-row INSERTs elsewhere.

The bulk path of an import (``claims.bulk.fast``) holds its rows as plain dicts keyed by
attribute name (``claim_id``, not ``claim``), never as model instances: at a hundred thousand
rows, building ten instances a row and compiling their INSERTs costs more than the database
takes to store them. :class:`TableWriter` completes each row with its model's defaults and
writes a table's rows in one go:

- On PostgreSQL, with ``COPY ... FROM STDIN``, in the binary format where every column is
  of a built-in type psycopg writes in binary (``BINARY_OIDS``). The ids the batch needs to
  refer to (claims, sources, appearances) are taken from the table's own sequence first
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
from functools import cache, lru_cache, partial
from operator import itemgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connection, models
from django.utils import timezone
from psycopg import sql

Row = dict[str, Any]
Cleaner = Callable[[Any], Any]  # a field's checks, as a function of the value

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
            types = _column_types(cursor, name)
            oids = [types.get(f.column) for f in fields]
            binary = all(oid in BINARY_OIDS for oid in oids)
            statement = sql.SQL("COPY {} ({}) FROM STDIN{}").format(
                sql.Identifier(name),
                sql.SQL(", ").join(sql.Identifier(f.column) for f in fields),
                sql.SQL(" (FORMAT BINARY)" if binary else ""),
            )
            values = values_getter([f.attname for f in fields])
            with cursor.copy(statement) as copy:
                if binary:
                    copy.set_types(oids)
                for row in rows:
                    copy.write_row(values(row))

    def _bulk_create(self, table: _Table, rows: Sequence[Row], *, ids: bool) -> None:
        model = table.model
        objects = model._default_manager.bulk_create([model(**row) for row in rows])
        for row, obj in zip(rows, objects, strict=True):
            # bulk_create stamps auto_now(_add) fields itself: keep what it wrote.
            for f in table.fields:
                row[f.attname] = getattr(obj, f.attname)
        if ids and any(row[table.pk.attname] is None for row in rows):
            raise RuntimeError(f"The database gave no ids for {model._meta.label} rows.")


# Built-in column types whose binary form psycopg writes from the Python values Django holds
# for them (bool, int8, int2, int4, text, float8, varchar, date, timestamptz). A table with
# only these is copied in PostgreSQL's binary format: neither side formats nor parses text
# (measured: about a fifth less Python time in the COPY loop); any other table as text.
BINARY_OIDS = frozenset({16, 20, 21, 23, 25, 701, 1043, 1082, 1184})

_types: dict[tuple[str, str], dict[str, int]] = {}


def _column_types(cursor: Any, table: str) -> dict[str, int]:
    """The table's columns' type OIDs, read once per database and process."""
    key = (connection.settings_dict["NAME"], table)
    if key not in _types:
        cursor.execute(
            "SELECT attname, atttypid FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            [connection.ops.quote_name(table)],
        )
        _types[key] = {column: int(oid) for column, oid in cursor.fetchall()}
    return _types[key]


def values_getter(names: list[str]) -> Callable[[Row], Sequence[Any]]:
    """A row's values in ``names``' order, as one C call (``itemgetter``) rather than a list
    built name by name: the COPY writes a hundred thousand rows a minute."""
    if len(names) == 1:  # itemgetter of one name gives the value, not a tuple
        return lambda row: (row[names[0]],)
    return itemgetter(*names)


@cache
def _checked_fields(model: type[models.Model]) -> dict[str, tuple[models.Field, Cleaner]]:
    return {f.attname: (f, _cleaner(f)) for f in model._meta.concrete_fields if not f.is_relation}


def row_clean(model: type[models.Model], row: Row) -> None:
    """Validate the fields a row names as ``Model.clean_fields`` would (cleaned values kept);
    raises ``ValidationError`` by field name.

    Relations are left out (checking them costs a query each; the foreign keys are the
    database's to enforce, as are constraints), and so are the columns a row leaves to the
    model's defaults. Each field's checks are built once (``_cleaner``), not for every row.
    """
    errors: dict[str, list[ValidationError]] = {}
    fields = _checked_fields(model)
    for name, value in row.items():
        checked = fields.get(name)
        if checked is None:
            continue
        f, clean = checked
        if f.blank and value in f.empty_values:
            continue
        try:
            row[name] = clean(value)
        except ValidationError as error:
            errors[f.name] = error.error_list
    if errors:
        raise ValidationError(errors)


def _cleaner(f: models.Field) -> Cleaner:
    """``f.clean(value, None)`` as a function of the value, built once per field.

    A plain text field (``CharField``/``TextField`` with Django's own conversion and checks,
    no validator but its length) takes a string as it is when it is not empty, not too long
    and one of the choices, if any: exactly what ``Field.clean`` checks for it, at a fraction
    of the cost of its calls and of the per-value validator objects. Anything else — a
    string that fails those checks, another type, another field — goes through
    ``Field.clean`` itself, so a refused value gets Django's own message.
    """
    limits = [getattr(v, "limit_value", None) for v in f.validators]
    plain = (
        isinstance(f, models.CharField | models.TextField)
        and type(f).clean is models.Field.clean
        and type(f).validate is models.Field.validate
        and type(f).run_validators is models.Field.run_validators
        and type(f).to_python in (models.CharField.to_python, models.TextField.to_python)
        and all(type(v) is MaxLengthValidator for v in f.validators)
        and not any(callable(limit) for limit in limits)
    )
    if not plain:
        return partial(_value_clean, f)
    limit = min(limits, default=None)
    # A field that is not editable skips ``validate`` (choices, blank), not its validators.
    checks_choices = f.editable and f.choices is not None
    keys = frozenset(key for key, _ in f.flatchoices) if checks_choices else None

    def clean(value: Any) -> Any:
        if (
            type(value) is str
            and value
            and (limit is None or len(value) <= limit)
            and (keys is None or value in keys)
        ):
            return value
        return _value_clean(f, value)

    return clean


@lru_cache(maxsize=4096, typed=True)
def _value_clean(f: models.Field, value: Any) -> Any:
    # A field's checks depend on the value alone (no instance, no relation), and an import
    # repeats many values (publisher, its URL, language, kind): each is checked once.
    return f.clean(value, None)
