"""POST /api/v1/claims/import answers 202 with the job; /api/v1/imports/{id}/ follows it, and
/api/v1/imports/{id}/rows/ gives its report a page at a time."""

from __future__ import annotations

import pytest

from claims.bulk.jobs import import_job_run
from claims.models import ImportJob

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/claims/import"


def csv_body(n: int, *, bad_every: int = 0) -> str:
    lines = ["statement,priority"]
    for i in range(1, n + 1):
        priority = "whenever" if bad_every and i % bad_every == 0 else "normal"
        lines.append(f"Crane {i} lifts {i} tonnes.,{priority}")
    return "\n".join(lines) + "\n"


def test_an_import_is_accepted_as_a_queued_job_at_its_address(api, editor):
    response = api(editor).post(f"{IMPORT}?format=csv", csv_body(3), content_type="text/csv")

    assert response.status_code == 202
    job = response.json()
    assert response["Location"].endswith(f"/api/v1/imports/{job['id']}/")
    assert job["url"] == response["Location"]
    assert (job["status"], job["file_format"], job["mapping"]) == ("queued", "csv", "default")
    assert (job["rows_done"], job["rows_total"], job["created_by"]) == (0, None, "editor")
    assert job["counts"] == {"created": 0, "matched": 0, "rejected": 0}
    assert api(editor).get(response["Location"]).json()["status"] == "queued"


def test_a_job_shows_its_progress_and_its_report_a_page_at_a_time(api, editor):
    response = api(editor).post(
        f"{IMPORT}?format=csv", csv_body(30, bad_every=7), content_type="text/csv"
    )
    job_id = response.json()["id"]
    import_job_run(job_id=job_id, chunk_size=8)

    job = api(editor).get(response["Location"]).json()
    assert (job["status"], job["rows_done"], job["rows_total"]) == ("done", 30, 30)
    assert job["counts"] == {"created": 26, "matched": 0, "rejected": 4}
    assert job["started_at"] and job["finished_at"]

    page = api(editor).get(job["rows_url"], {"page_size": 10}).json()
    assert page["count"] == 30
    assert [line["row"] for line in page["results"]] == list(range(1, 11))
    assert page["results"][0]["status"] == "created" and page["results"][0]["claim"]
    rejected = api(editor).get(job["rows_url"], {"status": "rejected"}).json()
    assert [line["row"] for line in rejected["results"]] == [7, 14, 21, 28]
    assert all("priority" in line["reason"] for line in rejected["results"])
    assert all(line["claim"] is None for line in rejected["results"])


def test_the_jobs_are_listed_newest_first_and_filtered_by_status(api, editor):
    for n in (1, 2):
        api(editor).post(f"{IMPORT}?format=csv", csv_body(n), content_type="text/csv")
    first = ImportJob.objects.order_by("pk").first()
    import_job_run(job_id=first.pk)

    listed = api(editor).get("/api/v1/imports/").json()["results"]
    assert [job["id"] for job in listed] == sorted((job["id"] for job in listed), reverse=True)
    done = api(editor).get("/api/v1/imports/", {"status": "done"}).json()["results"]
    assert [job["id"] for job in done] == [first.pk]


@pytest.mark.parametrize(
    ("query", "status"),
    [("status=whenever", 400), ("page=99", 404)],
)
def test_a_bad_report_query_is_a_4xx(api, editor, query, status):
    response = api(editor).post(f"{IMPORT}?format=csv", csv_body(2), content_type="text/csv")
    assert api(editor).get(f"{response.json()['rows_url']}?{query}").status_code == status


@pytest.mark.parametrize("job_id", ["null,null", "x", "99999999999999999999999"])
def test_a_malformed_or_unknown_job_id_is_a_404(api, editor, job_id):
    for url in (f"/api/v1/imports/{job_id}/", f"/api/v1/imports/{job_id}/rows/"):
        response = api(editor).get(url)
        assert response.status_code == 404, (url, response.content)


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("reviewer", 403)])
def test_only_editors_follow_import_jobs(api, editor, role_user, role, status):
    response = api(editor).post(f"{IMPORT}?format=csv", csv_body(1), content_type="text/csv")
    job = response.json()
    for url in (job["url"], job["rows_url"], "/api/v1/imports/"):
        assert api(role_user(role)).get(url).status_code == status
