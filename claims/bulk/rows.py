"""Rows of an uploaded file, read as a stream: CSV/TSV or JSON Lines, one row at a time.

Bytes are read in chunks and split into lines, so a large upload costs what its longest row
does; each line is decoded on its own (invalid UTF-8 kept as escapes), so one badly encoded row
is rejected by itself (``Row.error``).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import models

from config.untrusted import csv_cell_read, load_json

CHUNK_SIZE = 64 * 1024


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV (or TSV: the mapping names the delimiter)"
    JSONL = "jsonl", "JSON Lines"


class BinaryStream(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


@dataclass
class Row:
    number: int  # data rows counted from 1 (a header row is not one)
    line: int  # the file's line the row ends on
    values: dict[str, Any] | list[str] | None = None
    error: str = ""


# What ``surrogateescape`` decodes an invalid byte to.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def _has_bad_bytes(value: Any) -> bool:
    if isinstance(value, str):
        return not value.isascii() and _ESCAPED_BYTE.search(value) is not None
    if isinstance(value, list) and all(type(v) is str for v in value):
        # A CSV row: its cells checked as one string (joining makes no escape nor hides one).
        return _has_bad_bytes("".join(value))
    if isinstance(value, dict):
        return any(_has_bad_bytes(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_bad_bytes(v) for v in value)
    return False


def iter_lines(stream: BinaryStream) -> Iterator[str]:
    """The stream's lines, newline kept, decoded as UTF-8 (a leading BOM dropped)."""
    buffer = b""
    first = True
    while True:
        chunk = stream.read(CHUNK_SIZE)
        if not chunk:
            break
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for raw in lines:
            if first:
                raw, first = raw.removeprefix(b"\xef\xbb\xbf"), False
            yield (raw + b"\n").decode("utf-8", errors="surrogateescape")
    if buffer:
        if first:
            buffer = buffer.removeprefix(b"\xef\xbb\xbf")
        yield buffer.decode("utf-8", errors="surrogateescape")


class RowReader:
    """Iterate a file's rows. With ``header=True`` (CSV) the first row names the columns and is
    read at construction, so a file without the required columns fails before any row is
    imported (``ValidationError``)."""

    def __init__(
        self,
        stream: BinaryStream,
        *,
        file_format: str,
        delimiter: str = ",",
        quoting: int = csv.QUOTE_MINIMAL,
        header: bool = True,
        required: tuple[str, ...] = (),
    ) -> None:
        if file_format not in FileFormat.values:
            raise ValidationError({"format": f"{file_format!r} is not one of {FileFormat.values}."})
        self.format = file_format
        self.lines = iter_lines(stream)
        self.line = 0
        self.columns: list[str] | None = None
        if file_format == FileFormat.CSV:
            self.csv = csv.reader(self._counted(), delimiter=delimiter, quoting=quoting)
            if header:
                self.columns = self._header(required)

    def _counted(self) -> Iterator[str]:
        for line in self.lines:
            self.line += 1
            yield line

    def _header(self, required: tuple[str, ...]) -> list[str]:
        try:
            names = next(self.csv)
        except StopIteration:
            raise ValidationError({"file": "The file is empty."}) from None
        except csv.Error as error:
            raise ValidationError({"file": f"The header row cannot be read: {error}."}) from None
        columns = [name.strip() for name in names]
        missing = [name for name in required if name not in columns]
        if missing:
            raise ValidationError(
                {
                    "file": f"The header row has no {', '.join(missing)} column (it has: "
                    f"{', '.join(columns) or 'nothing'})."
                }
            )
        return columns

    def __iter__(self) -> Iterator[Row]:
        return self._csv_rows() if self.format == FileFormat.CSV else self._json_rows()

    def _csv_rows(self) -> Iterator[Row]:
        number = 0
        while True:
            try:
                cells = next(self.csv)
            except StopIteration:
                return
            except csv.Error as error:
                number += 1
                yield Row(number, self.line, error=f"The row cannot be read as CSV: {error}.")
                continue
            if not any(cell.strip() for cell in cells):
                continue  # a blank line
            number += 1
            cells = [csv_cell_read(cell) for cell in cells]  # what the export escaped, as it was
            values: dict[str, Any] | list[str] = (
                dict(zip(self.columns, cells, strict=False)) if self.columns else cells
            )
            yield self._checked(Row(number, self.line, values))

    def _json_rows(self) -> Iterator[Row]:
        number = 0
        for line in self._counted():
            if not line.strip():
                continue
            number += 1
            try:
                values = load_json(line)  # nesting past config.untrusted's limit is refused
            except json.JSONDecodeError as error:
                yield Row(number, self.line, error=f"The line is not JSON: {error}.")
                continue
            if not isinstance(values, dict):
                yield Row(number, self.line, error="The line is JSON but not an object.")
                continue
            yield self._checked(Row(number, self.line, values))

    @staticmethod
    def _checked(row: Row) -> Row:
        if _has_bad_bytes(row.values):
            return Row(row.number, row.line, error="The row is not valid UTF-8.")
        return row
