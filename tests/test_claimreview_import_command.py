"""``manage.py import_claimreview PATH...``: the importer from a shell, as a named editor."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from claims.models import Claim
from tests import factories

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR).parent / "shared" / "data" / "claimreview"


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_claimreview", *args, stdout=out)
    return out.getvalue()


def test_it_imports_every_file_given_and_prints_a_line_per_review(editor):
    paths = [str(DATA / "google_fact_check_raw.json"), str(DATA / "data_commons_raw.json")]
    output = run(*paths, "--user", editor.username)
    assert output.count("[created → claim #") == 2
    assert "note: Deutsche Presse-Agentur's verdict" in output
    assert output.strip().endswith("2 created, 0 matched, 0 rejected.")
    assert set(Claim.objects.values_list("submitted_by", flat=True)) == {editor.pk}


def test_without_a_user_it_acts_as_the_first_superuser(db):
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    run(str(DATA / "afp_raw.json"))
    assert Claim.objects.get().submitted_by == admin


def test_it_refuses_to_run_without_a_superuser_or_a_user(db):
    with pytest.raises(CommandError, match="no superuser"):
        run(str(DATA / "afp_raw.json"))
    assert not Claim.objects.exists()


def test_a_reviewer_may_not_import(reviewer):
    with pytest.raises(CommandError, match="Only an editor"):
        run(str(DATA / "afp_raw.json"), "--user", reviewer.username)


def test_a_missing_file_is_an_error(editor, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "absent.json"), "--user", editor.username)


def test_a_file_without_reviews_says_so(editor, tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text('{"data": []}', encoding="utf-8")
    output = run(str(empty), "--user", editor.username)
    assert "No ClaimReview" in output
    assert output.strip().endswith("0 created, 0 matched, 0 rejected.")
