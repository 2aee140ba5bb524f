"""The links in the emails are the claim's admin page and API resource, as ``reverse`` gives
them, for any claim and under any script prefix."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse, set_script_prefix

from claims.models import Claim
from verification.emails import claim_links


@pytest.mark.parametrize("script_prefix", ["/", "/desk/"])
@pytest.mark.parametrize("pk", [1, 7, 98765, 987654321, 1234567890])
def test_the_links_are_the_reversed_admin_page_and_api_resource(pk, script_prefix):
    set_script_prefix(script_prefix)
    try:
        links = claim_links(Claim(pk=pk))
        admin = reverse("admin:claims_claim_change", args=[pk])
        api = reverse("api:claim-detail", kwargs={"pk": pk})
    finally:
        set_script_prefix("/")

    desk = settings.DESK_URL.rstrip("/")
    assert links == {"admin_url": desk + admin, "api_url": desk + api}
    assert admin.startswith(script_prefix)
