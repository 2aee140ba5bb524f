"""Every page carries a Content-Security-Policy (django-csp) that runs scripts from the desk's
own files only: no inline script, no eval, no plugins, no framing. No template of the desk
holds an inline script to need one. (``tests/browser/test_content_security_policy.py`` loads
the pages in Chromium under the policy: nothing is refused, the charts and Swagger UI work.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# <script> tags in a template; a data block (JSON) or a file is not an inline script.
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize(
    "who, url",
    [
        (None, "/admin/login/"),
        ("editor", "/admin/"),
        ("editor", "/admin/claims/claim/"),
        ("reviewer", "/admin/verification/assignment/mine/"),
        ("editor", "/account/two-factor/"),
        (None, "/api/docs/"),
        (None, "/api/schema/"),
    ],
)
def test_each_page_runs_scripts_from_the_desk_only(client, editor, reviewer, who, url) -> None:
    if who:
        client.force_login({"editor": editor, "reviewer": reviewer}[who])
    response = client.get(url)
    assert response.status_code == 200
    rules = policy(response)
    assert rules["script-src"] == ["'self'"]
    assert rules["default-src"] == ["'self'"]
    assert rules["object-src"] == ["'none'"]
    assert rules["base-uri"] == ["'none'"]
    assert rules["frame-ancestors"] == ["'none'"]
    assert rules["form-action"] == ["'self'"]
    assert not any(
        "unsafe" in v for name, values in rules.items() if "script" in name for v in values
    )


def test_the_public_fact_check_page_has_the_policy_too(client, published_claim) -> None:
    response = client.get(reverse("factcheck-detail", args=[published_claim.pk]))
    assert policy(response)["script-src"] == ["'self'"]


def test_a_locked_login_page_has_the_policy(client, editor) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/admin/login/", {"username": "editor", "password": "guess"})
    assert response.status_code == 429
    assert policy(response)["script-src"] == ["'self'"]


def test_no_template_holds_an_inline_script() -> None:
    inline = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for match in SCRIPT_TAG.finditer(path.read_text()):
            attributes = match.group(1)
            if "src=" in attributes or re.search(r'type="application/(ld\+)?json"', attributes):
                continue
            inline.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
    assert inline == []


def test_swagger_ui_loads_its_script_from_a_file(client) -> None:
    page = client.get("/api/docs/").text
    tags = SCRIPT_TAG.findall(page)
    assert tags and all("src=" in attributes for attributes in tags)
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.text
