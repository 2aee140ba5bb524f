"""Assignments: the list and its workflow actions, the reviewer's "My work" page and "Submit
review" page, and the inline on the claim page.

Assignments are made from the claim page ("Assign reviewer", :mod:`verification.admin.views`);
a reviewer sees only their own.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from claims.admin.base import (
    ChangeContextMixin,
    HistoryAdmin,
    ReadOnlyInline,
    ServiceActionsMixin,
)
from claims.roles import is_editor, is_reviewer
from verification import services
from verification.admin.events import ClaimColumnMixin
from verification.admin.views import my_work_view, page_url, review_submit_view
from verification.dashboard.filters import (
    ClaimLanguageFilter,
    ClaimTopicFilter,
    DateRangeFilter,
    OpenAssignmentFilter,
    YesNoFilter,
)
from verification.models import Assignment
from verification.models.assignments import ASSIGNMENT_RECORD_FIELDS
from verification.selectors import assignments_visible_to, overdue_assignments


class AssignmentOverdueFilter(YesNoFilter):
    title = "overdue"
    parameter_name = "overdue"
    labels = ("Overdue", "Not overdue")

    def match(self) -> Q:
        return Q(pk__in=overdue_assignments().values("pk"))


@admin.register(Assignment)
class AssignmentAdmin(ClaimColumnMixin, ServiceActionsMixin, ChangeContextMixin, HistoryAdmin):
    """Assignments are made from the claim page ("Assign reviewer") and moved by actions.

    Only the due date is editable, by editors, while the assignment is open.
    """

    list_display = [
        "id",
        "claim_short",
        "reviewer",
        "state",
        "review_round",
        "due_at",
        "overdue",
        "assigned_by",
        "created_at",
        "review_link",
    ]
    list_filter = [
        "state",
        AssignmentOverdueFilter,
        "review_round",
        ("reviewer", admin.RelatedOnlyFieldListFilter),
        # The desk overview's links (verification.dashboard): load, topic, turnaround dates.
        OpenAssignmentFilter,
        ClaimTopicFilter,
        ClaimLanguageFilter,
        ("closed_at", DateRangeFilter),
    ]
    search_fields = ["claim__statement", "reviewer__username", "reason"]
    search_help_text = "Search claim statement, reviewer or reason."
    list_select_related = ["claim", "reviewer", "assigned_by"]
    date_hierarchy = "due_at"
    service_row = "assignment"
    actions = ["accept_selected", "decline_selected", "withdraw_selected", "expire_selected"]
    fields = [
        "claim",
        "reviewer",
        "review_round",
        "state",
        "due_at",
        *ASSIGNMENT_RECORD_FIELDS,
        "last_reminded_at",
    ]
    readonly_fields = [name for name in fields if name != "due_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assignment]:
        return (
            assignments_visible_to(request.user)
            .order_by(*self.get_ordering(request))
            .select_related("claim", "reviewer", "assigned_by")
            .annotate(
                is_mine=ExpressionWrapper(
                    Q(reviewer_id=request.user.pk), output_field=BooleanField()
                )
            )
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not obj.is_open:
            return False
        return super().has_change_permission(request, obj)

    def has_workflow_permission(self, request: HttpRequest) -> bool:
        return is_editor(request.user)

    def has_respond_permission(self, request: HttpRequest) -> bool:
        return is_reviewer(request.user)

    @admin.display(description="overdue", boolean=True)
    def overdue(self, obj: Assignment) -> bool:
        return obj.is_overdue(timezone.now())

    @admin.display(description="review")
    def review_link(self, obj: Assignment) -> str:
        if obj.is_mine and obj.is_open:
            url = reverse("admin:verification_assignment_review", args=[obj.pk])
            return format_html('<a href="{}">Submit review</a>', url)
        return ""

    # Actions: each calls the assignment service for every selected row.

    @admin.action(description="Accept the selected offers", permissions=["respond"])
    def accept_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self.run_service(request, queryset, services.assignment_accept, "Accepted")

    @admin.action(description="Decline the selected offers", permissions=["respond"])
    def decline_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        note = request.POST.get("note", "")
        self.run_service(request, queryset, services.assignment_decline, "Declined", reason=note)

    @admin.action(description="Withdraw the selected assignments (note)", permissions=["workflow"])
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        note = request.POST.get("note", "")
        self.run_service(request, queryset, services.assignment_withdraw, "Withdrew", reason=note)

    @admin.action(description="Expire the selected assignments", permissions=["workflow"])
    def expire_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        note = request.POST.get("note", "").strip() or "Expired by an editor."
        self.run_service(request, queryset, services.assignment_expire, "Expired", reason=note)

    # The reviewer's own pages: their open work, and the review of one assignment.

    def get_urls(self) -> list:
        # "mine/" comes first: the admin's catch-all "<object_id>/" would take it otherwise.
        return [
            page_url(self, "mine/", self.my_work_view, "verification_assignment_mine"),
            page_url(
                self, "<path:object_id>/review/", self.review_view, "verification_assignment_review"
            ),
            *super().get_urls(),
        ]

    def my_work_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied("Only the desk's reviewers and editors have work here.")
        return my_work_view(self, request)

    def review_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return review_submit_view(self, request, object_id)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> Any:
        extra_context = {**(extra_context or {}), "my_work_url": _my_work_url()}
        return super().changelist_view(request, extra_context)

    def change_context(self, request: HttpRequest, obj: Assignment | None) -> dict[str, Any]:
        context = {"my_work_url": _my_work_url()}
        if obj is not None and obj.is_mine and obj.is_open:
            context["review_url"] = reverse("admin:verification_assignment_review", args=[obj.pk])
        return context


def _my_work_url() -> str:
    return reverse("admin:verification_assignment_mine")


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = [
        "reviewer",
        "review_round",
        "state",
        "due_at",
        "assigned_by",
        "responded_at",
        "closed_at",
        "reason",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assignment]:
        visible = assignments_visible_to(request.user).select_related("reviewer", "assigned_by")
        return self.scoped(request, visible)
