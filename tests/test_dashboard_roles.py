"""Who sees what on the admin's start page: editors the desk overview, reviewers their own
figures above the usual index, anyone else Django's plain index; and the desk's admin site
still holds every model the apps register."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse

from claims.models import Claim, Source, Topic
from config.admin import DeskAdminSite
from tests import factories
from tests.dashboard_desk import build_desk
from verification.models import Assignment, Review, ReviewerProfile


def test_the_default_admin_site_is_the_desks_and_keeps_every_registration(db):
    assert isinstance(admin.site, DeskAdminSite)
    for model in (Claim, Source, Topic, Assignment, Review, ReviewerProfile):
        assert admin.site.is_registered(model), model


def test_an_editor_gets_the_desk_overview(client, db):
    desk = build_desk()
    client.force_login(desk.editor)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert "overview" in response.context
    page = response.content.decode()
    assert "<h1>Desk overview</h1>" in page
    assert 'id="reviewer-load"' in page
    assert "dash-r2" in page or desk.r2.get_full_name() in page
    # The list of models is still there, below the figures.
    assert reverse("admin:claims_claim_changelist") in page


def test_a_reviewer_gets_their_own_figures_and_nobody_elses(client, db):
    desk = build_desk()
    client.force_login(desk.r1)

    response = client.get(reverse("admin:index"), {"topic": desk.aid.pk})

    assert response.status_code == 200
    assert "overview" not in response.context
    (row,) = response.context["my_figures"]["rows"]
    assert row["figure"].user == desk.r1
    assert (row["figure"].open_assignments, row["figure"].overdue_assignments) == (1, 1)
    assert (row["figure"].reviews_agreeing, row["figure"].reviews_behind_verdicts) == (1, 2)
    page = response.content.decode()
    assert 'id="my-figures"' in page
    assert 'id="desk-overview"' not in page
    assert "dash-r2" not in page  # another reviewer's load is none of theirs
    assert reverse("admin:claims_claim_changelist") in page


def test_a_reviewers_links_open_on_their_own_rows(client, db):
    desk = build_desk()
    client.force_login(desk.r1)
    (row,) = client.get(reverse("admin:index")).context["my_figures"]["rows"]

    overdue = client.get(row["overdue"].url)
    agreeing = client.get(row["agreement"].url)

    assert [a.pk for a in overdue.context["cl"].result_list] == [desk.assignments["E1"].pk]
    assert [r.reviewer_id for r in agreeing.context["cl"].result_list] == [desk.r1.pk]


def test_a_reviewer_without_a_profile_is_told_so(client, db):
    reviewer = factories.UserFactory(username="no-profile", is_staff=True, roles=["reviewer"])
    client.force_login(reviewer)

    response = client.get(reverse("admin:index"))

    assert response.context["my_figures"]["rows"] == []
    assert "You have no reviewer profile yet" in response.content.decode()


def test_staff_without_a_desk_role_get_the_plain_index(client, db):
    clerk = factories.UserFactory(username="clerk", is_staff=True)
    client.force_login(clerk)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert "overview" not in response.context
    assert "my_figures" not in response.context
    assert 'id="desk-overview"' not in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
