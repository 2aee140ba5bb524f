"""``manage.py import_claims`` and ``export_claims``: the bulk services from a shell."""

from __future__ import annotations

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim
from tests import factories
from tests.api.test_bulk_liar_import import liar_bytes

pytestmark = pytest.mark.django_db


def run(name: str, *args: str) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def liar_slice(tmp_path):
    path = tmp_path / "liar-slice.tsv"
    path.write_bytes(liar_bytes(40) + b"41.json\tnot-a-label\tThe pier is pink.\n")
    return path


def test_import_claims_prints_a_line_per_row_and_the_totals(editor, liar_slice):
    output = run(
        "import_claims", str(liar_slice), "--format", "csv", "--mapping", "liar",
        "--user", editor.username, "--batch-size", "7",
    )  # fmt: skip
    lines = output.splitlines()
    assert len(lines) == 42  # 41 rows and the totals
    assert lines[0].startswith("row 1 (line 1) [created → claim #")
    assert lines[40].startswith("row 41 (line 41) [rejected]")
    assert "not-a-label" in lines[40]
    assert lines[-1] == "40 created, 0 matched, 1 rejected."
    assert set(Claim.objects.values_list("submitted_by", flat=True)) == {editor.pk}


def test_import_claims_run_twice_matches_every_claim(editor, liar_slice):
    args = ("import_claims", str(liar_slice), "--mapping", "liar", "--user", editor.username)
    run(*args)
    again = run(*args, "--quiet-rows")
    rejected, totals = again.splitlines()
    assert rejected.startswith("row 41 (line 41) [rejected]")
    assert totals == "0 created, 40 matched, 1 rejected."
    assert Claim.objects.count() == 40


def test_import_claims_acts_as_the_first_superuser_or_refuses(db, liar_slice):
    with pytest.raises(CommandError, match="no superuser"):
        run("import_claims", str(liar_slice), "--mapping", "liar")
    root = factories.UserFactory(username="root", is_superuser=True)
    run("import_claims", str(liar_slice), "--mapping", "liar")
    assert set(Claim.objects.values_list("submitted_by", flat=True)) == {root.pk}


def test_import_claims_refuses_a_reviewer_and_a_file_without_the_columns(
    reviewer, editor, tmp_path
):
    bad = tmp_path / "bad.csv"
    bad.write_text("claim\nThe tide is high.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Only an editor"):
        run("import_claims", str(bad), "--user", reviewer.username)
    with pytest.raises(CommandError, match="no statement column"):
        run("import_claims", str(bad), "--user", editor.username)


def test_export_claims_writes_jsonl_to_a_file_or_csv_to_stdout(editor, liar_slice, tmp_path):
    run("import_claims", str(liar_slice), "--mapping", "liar", "--user", editor.username)
    target = tmp_path / "out.jsonl"
    run("export_claims", "--format", "jsonl", "--output", str(target))
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 40
    assert all(row["external_reviews"][0]["publisher"] == "PolitiFact" for row in rows)
    table = list(csv.reader(StringIO(run("export_claims", "--state", "new"))))
    assert table[0][:5] == ["id", "statement", "state", "priority", "topics"]
    assert sorted(int(row[0]) for row in table[1:]) == sorted(r["id"] for r in rows)
