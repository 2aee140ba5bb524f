"""POST /api/v1/claims/import: what happens to bad rows, bad files and the wrong people.

A file the job can read is answered 202 with the job; the job's report (``rows_url``) then
says what became of each row. The job runs once its row is committed (the task, eagerly).
"""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from claims.models import Appearance, Claim, ExternalReview, ImportJob, Source, Speaker, Topic

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/import"
TABLES = (Claim, Appearance, Source, Speaker, Topic, ExternalReview)


def counts() -> list[int]:
    return [model.objects.count() for model in TABLES]


def liar_line(*, label: str, statement: str, speaker: str = "jo-bloggs", n: int = 1) -> str:
    cells = [f"{n}.json", label, statement, "harbours,ferries", speaker, "Mayor", "Kent",
             "none", "0", "0", "0", "0", "0", "a council meeting"]  # fmt: skip
    return "\t".join(cells) + "\n"


def post(api, user, body: str | bytes, *, query: str, content_type: str):
    return api(user).post(f"{URL}?{query}", body, content_type=content_type)


@pytest.fixture
def imported(api, django_capture_on_commit_callbacks):
    """POST a file, let its job run, and return (the POST's answer, the report's rows)."""

    def run(user, body: str | bytes, *, query: str, content_type: str):
        with django_capture_on_commit_callbacks(execute=True):
            response = post(api, user, body, query=query, content_type=content_type)
        assert response.status_code == 202, response.content
        rows = api(user).get(response.json()["rows_url"], {"page_size": 100}).json()["results"]
        return response, rows

    return run


def test_malformed_liar_rows_are_rejected_and_leave_nothing(api, editor, imported):
    body = (
        liar_line(label="half-true", statement="The ferry runs every hour.", n=1)
        + liar_line(label="half-true", statement="   ", n=2)
        + liar_line(label="sort-of-true", statement="The quay is 2 km long.", n=3)
        + "4.json\tfalse\n"
        + liar_line(label="false", statement="Tolls were abolished in 1990.", n=5)
    )
    response, rows = imported(
        editor, body, query="mapping=liar", content_type="text/tab-separated-values"
    )
    assert [r["status"] for r in rows] == ["created", "rejected", "rejected", "rejected", "created"]
    assert rows[1]["reason"] == "The row has no statement."
    assert "sort-of-true" in rows[2]["reason"] and "pants-fire" in rows[2]["reason"]
    assert rows[3]["reason"] == "The row has no statement."
    job = api(editor).get(response["Location"]).json()
    assert job["counts"] == {"created": 2, "matched": 0, "rejected": 3}
    assert (job["status"], job["rows_done"], job["rows_total"]) == ("done", 5, 5)
    assert not Claim.objects.filter(statement="The quay is 2 km long.").exists()
    assert (
        Claim.objects.count() == Appearance.objects.count() == ExternalReview.objects.count() == 2
    )


def test_a_row_failing_midway_through_the_database_leaves_nothing(editor, imported):
    good = {
        "statement": "Harbour dues rose 4%.",
        "speaker": "Ann Lee",
        "source_url": "https://news.example/dues",
        "rating": "False",
        "rating_publisher": "Coast Checkers",
    }
    # Everything of this row is valid up to its verdict's URL, which the database layer refuses
    # after the claim, its source and its appearance were written.
    bad = {**good, "statement": "Harbour dues fell 4%.", "source_url": "https://news.example/fell",
           "rating_url": "not a url"}  # fmt: skip
    body = "".join(json.dumps(row) + "\n" for row in (good, bad))
    _, rows = imported(editor, body, query="format=jsonl", content_type="application/x-ndjson")
    assert [r["status"] for r in rows] == ["created", "rejected"]
    assert rows[1]["reason"].startswith("url:")
    assert not Claim.objects.filter(statement="Harbour dues fell 4%.").exists()
    assert not Source.objects.filter(url="https://news.example/fell").exists()
    assert Claim.objects.count() == Appearance.objects.count() == 1


def test_rows_that_are_not_json_or_not_utf8_are_rejected_alone(editor, imported):
    body = (
        b'{"statement": "Ships queue for days."}\n'
        b"{not json\n"
        b'["a", "list"]\n'
        b'{"statement": "Caf\xe9 prices doubled."}\n'
        b"\n"
        b'{"statement": "The port never closes.", "priority": "whenever"}\n'
        b'{"statement": "Cranes are 90 m tall."}\n'
        b'{"statement": ' + b"[" * 50_000 + b"]" * 50_000 + b"}\n"
    )
    _, rows = imported(editor, body, query="format=jsonl", content_type="application/jsonl")
    assert [(r["row"], r["line"], r["status"]) for r in rows] == [
        (1, 1, "created"),
        (2, 2, "rejected"),
        (3, 3, "rejected"),
        (4, 4, "rejected"),
        (5, 6, "rejected"),
        (6, 7, "created"),
        (7, 8, "rejected"),
    ]
    assert "not JSON" in rows[1]["reason"]
    assert "not an object" in rows[2]["reason"]
    assert "UTF-8" in rows[3]["reason"]
    assert "priority" in rows[4]["reason"]
    assert "too deeply" in rows[6]["reason"]
    assert Claim.objects.count() == 2


def test_a_csv_with_a_header_maps_its_columns_by_name(editor, imported):
    body = (
        "\ufeffstatement,topics,speaker,speaker_role,speaker_kind,source_url,rating,"
        "rating_publisher,priority\n"
        '"Dredging costs ""£2m"" a year.",Dredging; Budgets,Port Board,the harbour owner,'
        "organisation,https://news.example/dredge,Mostly False,Coast Checkers,high\n"
    )
    _, rows = imported(editor, body.encode(), query="format=csv", content_type="text/csv")
    assert [r["status"] for r in rows] == ["created"]
    claim = Claim.objects.get()
    assert claim.statement == 'Dredging costs "£2m" a year.'
    assert claim.priority == "high"
    assert sorted(t.name for t in claim.topics.all()) == ["Budgets", "Dredging"]
    appearance = claim.appearances.select_related("speaker", "source").get()
    assert (appearance.speaker.name, appearance.speaker.kind) == ("Port Board", "organisation")
    assert appearance.source.url == "https://news.example/dredge"
    verdict = claim.external_reviews.get()
    assert (verdict.publisher, verdict.rating) == ("Coast Checkers", "mostly_false")


@pytest.mark.parametrize(
    ("body", "query", "content_type"),
    [
        ("null", "mapping=liar", "text/tab-separated-values"),
        ("0\n[]\n", "format=jsonl", "application/jsonl"),
        (liar_line(label="maybe", statement="The beach is closed."), "mapping=liar", "text/csv"),
        ("statement\n\n\n", "format=csv", "text/csv"),
    ],
)
def test_a_file_none_of_whose_first_rows_can_be_read_is_a_400_with_each_rows_reason(
    api, editor, body, query, content_type
):
    response = post(api, editor, body, query=query, content_type=content_type)
    assert response.status_code == 400
    reasons = response.json()["error"]["fields"]["rows"]
    assert reasons[0].startswith("Row 1 (line 1): ") or reasons == ["The file has no rows."]
    assert counts() == [0] * len(TABLES)
    assert not ImportJob.objects.exists()


def test_a_csv_without_a_statement_column_is_refused_before_any_row(api, editor):
    body = "claim,speaker\nThe tide is out.,Sam\n"
    response = post(api, editor, body, query="format=csv", content_type="text/csv")
    assert response.status_code == 400
    assert "statement" in response.json()["error"]["message"]
    assert counts() == [0] * len(TABLES)


@pytest.mark.parametrize(
    ("query", "field"), [("format=xml", "format"), ("mapping=politifact", "mapping")]
)
def test_an_unknown_format_or_mapping_is_a_400(api, editor, query, field):
    response = post(api, editor, "statement\nx\n", query=query, content_type="text/csv")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_an_empty_body_is_a_400(api, editor):
    response = post(api, editor, "", query="format=csv", content_type="text/csv")
    assert response.status_code == 400


def test_another_content_type_is_a_415(api, editor):
    response = api(editor).post(URL, {"statement": "x"}, format="json")
    assert response.status_code == 415


@override_settings(BULK_IMPORT_MAX_BYTES=64)
def test_a_file_over_the_limit_is_a_413_and_nothing_is_imported(api, editor):
    body = "statement\n" + "".join(f"Claim {n} about the port.\n" for n in range(20))
    response = post(api, editor, body, query="format=csv", content_type="text/csv")
    assert response.status_code == 413
    assert Claim.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("outsider", 403), ("reviewer", 403), ("editor", 202), ("admin", 202)],
)
def test_only_editors_may_import(api, role_user, role, status):
    body = "statement\nThe lock gates are new.\n"
    response = post(api, role_user(role), body, query="format=csv", content_type="text/csv")
    assert response.status_code == status
    assert ImportJob.objects.count() == (1 if status == 202 else 0)
