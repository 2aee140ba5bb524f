"""Roles are Django groups, "reviewer" and "editor", made after every migration with their
model permissions; the services ask ``claims.roles`` who may do what.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.management.sql import emit_post_migrate_signal

from claims.roles import (
    ROLE_PERMISSIONS,
    Role,
    ensure_roles,
    has_role,
    is_desk_member,
    is_editor,
    is_reviewer,
    require_desk_member,
    require_editor,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _codenames(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def _expected(role: str) -> set[str]:
    return {
        f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
        for label, actions in ROLE_PERMISSIONS[role].items()
        for action in actions
    }


@pytest.mark.parametrize("role", Role.values)
def test_migrating_creates_each_role_group_with_exactly_its_permissions(role):
    assert _codenames(role) == _expected(role)
    # Every permission named in the table exists: a typo would silently grant nothing.
    assert len(_expected(role)) == Group.objects.get(name=role).permissions.count()


def test_reviewers_write_reviews_and_evidence_but_not_claims_or_verdicts_of_others():
    granted = _codenames(Role.REVIEWER)

    assert {"verification.add_review", "verification.add_evidence", "claims.add_claim"} <= granted
    assert not granted & {
        "claims.change_claim",
        "claims.delete_claim",
        "verification.change_review",
        "verification.add_assignment",
        "verification.change_assignment",
    }


def test_editors_run_the_desk_but_neither_write_reviews_nor_delete_claims():
    granted = _codenames(Role.EDITOR)

    assert {
        "claims.change_claim",
        "verification.add_assignment",
        "verification.change_assignment",
        "verification.view_review",
    } <= granted
    assert not granted & {
        "verification.add_review",
        "verification.change_review",
        "claims.delete_claim",
        "verification.delete_workflowevent",
    }


def test_post_migrate_recreates_missing_role_groups():
    Group.objects.filter(name__in=Role.values).delete()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    for role in Role.values:
        assert _codenames(role) == _expected(role)


def test_ensure_roles_puts_drifted_permissions_back_and_is_idempotent():
    editor_group = Group.objects.get(name=Role.EDITOR)
    editor_group.permissions.remove(Permission.objects.get(codename="change_claim"))
    editor_group.permissions.add(Permission.objects.get(codename="delete_claim"))

    ensure_roles()
    ensure_roles()

    assert _codenames(Role.EDITOR) == _expected(Role.EDITOR)
    assert Group.objects.filter(name__in=Role.values).count() == 2


@pytest.mark.parametrize(
    ("who", "edits", "reviews"),
    [
        ("editor", True, False),
        ("reviewer", False, True),
        ("outsider", False, False),
    ],
)
def test_role_checks_follow_group_membership(who, edits, reviews, request):
    user = request.getfixturevalue(who)

    assert is_editor(user) is edits
    assert is_reviewer(user) is reviews
    assert is_desk_member(user) is (edits or reviews)


def test_staff_status_alone_gives_no_role():
    staff = factories.UserFactory(username="staffer", is_staff=True)

    assert not is_desk_member(staff)
    with pytest.raises(PermissionDenied):
        require_editor(staff, "publish a claim")


def test_a_superuser_holds_every_role():
    admin = factories.UserFactory(username="admin", is_superuser=True, is_staff=True)

    assert all(has_role(admin, role) for role in Role)
    require_editor(admin, "publish a claim")
    require_desk_member(admin, "add evidence")


def test_an_inactive_editor_holds_no_role():
    gone = factories.EditorFactory(username="gone", is_active=False)

    assert not is_editor(gone)
    with pytest.raises(PermissionDenied):
        require_editor(gone, "publish a claim")


def test_an_anonymous_visitor_holds_no_role():
    assert not has_role(AnonymousUser(), Role.REVIEWER)
    assert not has_role(None, Role.EDITOR)
    with pytest.raises(PermissionDenied):
        require_desk_member(AnonymousUser(), "add evidence")


@pytest.mark.parametrize("who", ["reviewer", "outsider"])
def test_require_editor_refuses_a_non_editor_naming_the_act(who, request):
    with pytest.raises(PermissionDenied) as refused:
        require_editor(request.getfixturevalue(who), "publish a claim")

    assert str(refused.value) == "Only an editor may publish a claim."


def test_require_editor_lets_an_editor_through(editor):
    assert require_editor(editor, "publish a claim") is None


def test_require_desk_member_refuses_an_outsider_and_lets_the_desk_through(
    outsider, reviewer, editor
):
    with pytest.raises(PermissionDenied) as refused:
        require_desk_member(outsider, "add evidence")

    assert str(refused.value) == "Only a reviewer or an editor may add evidence."

    require_desk_member(reviewer, "add evidence")
    require_desk_member(editor, "add evidence")
