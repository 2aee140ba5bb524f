"""The verification side of the admin: reviewers, assignments, evidence, reviews, events.

Also the pieces the claim page borrows (its evidence, review, assignment and event inlines) and
the base classes both apps' admins share. Every write goes through ``verification.services``;
what a person may read goes through ``verification.selectors`` (blind review).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from claims.exceptions import WorkflowConflict
from claims.models import Claim, ClaimState
from verification import admin_views, services
from verification.models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    EmailLog,
    Evidence,
    Review,
    ReviewerProfile,
    WorkflowEvent,
)
from verification.roles import is_editor, is_reviewer
from verification.selectors import overdue_assignments, reviews_visible_to
from verification.services.reviewers import reviewer_profile_save

# --- Shared base classes -----------------------------------------------------------------


class DeskAdminMixin:
    """What every admin of the desk shares.

    - A service's late refusal on save becomes a message, not a server error. The forms check
      the same rules first, so this only happens when someone else moved the claim between
      the form's check and the save (the save is one transaction, so nothing of it is kept).
    - Ordering is always explicit: the lists annotate counts, and Django drops a model's
      default ordering from grouped queries, which would leave autocompletes unordered.
    """

    def get_ordering(self, request: HttpRequest) -> list[str]:
        return list(super().get_ordering(request) or self.model._meta.ordering)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (WorkflowConflict, ValidationError) as error:
            self.message_user(
                request,
                f"Nothing was saved: {admin_views.error_text(error)}",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())


class DeskAdmin(DeskAdminMixin, admin.ModelAdmin):
    """A model admin for rows without history."""


class HistoryAdmin(DeskAdminMixin, SimpleHistoryAdmin):
    """History to read, never to write back.

    Reverting to an old version would change rows behind the workflow services' backs (a
    published claim, a submitted review), so the revert form is display-only, and history is
    shown only for rows the person may see in the list (blind review, own assignments).
    """

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict | None = None,
    ) -> HttpResponse:
        if request.method != "GET":
            raise PermissionDenied("History is read-only.")
        self._require_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _require_visible(self, request: HttpRequest, object_id: str) -> None:
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("No such row, or not yours to see.")


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows rows only the services write."""

    extra = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.fields)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def scoped(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.has_view_or_change_permission(request):
            return queryset.none()
        return queryset


class ClaimChildAdminMixin:
    """Rows that belong to a claim are read-only, like the claim, while it is published."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.claim.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.claim.is_locked:
            return False
        return super().has_delete_permission(request, obj)


def short(text: str, length: int = 70) -> str:
    return Truncator(text).chars(length)


def assignments_visible_to(user: Any) -> QuerySet[Assignment]:
    """Editors see every assignment; a reviewer sees only their own, so that reviews stay
    independent (who else holds the claim is none of their business)."""
    assignments = Assignment.objects.all()
    if is_editor(user):
        return assignments
    return assignments.filter(reviewer_id=user.pk)


def claim_link(claim: Claim) -> str:
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    return format_html('<a href="{}">#{} {}</a>', url, claim.pk, short(claim.statement, 60))


# --- Evidence ------------------------------------------------------------------------------


class EvidenceForm(forms.ModelForm):
    """Evidence as the admin takes it, on the claim page and on its own page.

    The checks repeat ``evidence_add``'s so that a refusal is a form error, not a crash.
    """

    # Django 6 assumes https for a URL typed without a scheme; say so now.
    url = forms.URLField(required=False, max_length=2000, assume_scheme="https")

    class Meta:
        model = Evidence
        fields = [
            "claim",
            "title",
            "url",
            "document_ref",
            "publisher",
            "excerpt",
            "stance",
            "source_reliability",
            "credibility",
            "origin_key",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("url") and not data.get("document_ref"):
            self.add_error("url", "Give a URL or a document reference.")
        claim = data.get("claim")
        closed = (ClaimState.PUBLISHED, ClaimState.DISMISSED)
        if self.instance.pk is None and claim is not None and claim.state in closed:
            raise ValidationError(
                f"Cannot add evidence to claim #{claim.pk}: it is "
                f"{claim.get_state_display().lower()}."
            )
        return data


def evidence_save_new(*, actor: Any, claim: Claim, row: Evidence) -> Evidence:
    """Store a new evidence row from the admin through ``evidence_add`` (which sets
    ``added_by`` and the default origin key)."""
    return services.evidence_add(
        actor=actor,
        claim=claim,
        title=row.title,
        stance=row.stance,
        source_reliability=row.source_reliability,
        credibility=row.credibility,
        url=row.url,
        document_ref=row.document_ref,
        publisher=row.publisher,
        excerpt=row.excerpt,
        origin_key=row.origin_key,
    )


@admin.register(Evidence)
class EvidenceAdmin(ClaimChildAdminMixin, HistoryAdmin):
    form = EvidenceForm
    list_display = [
        "id",
        "title",
        "claim_short",
        "stance",
        "grade",
        "publisher",
        "origin_key",
        "times_cited",
        "added_by",
        "created_at",
    ]
    list_display_links = ["id", "title"]
    list_filter = ["stance", "source_reliability", "credibility"]
    search_fields = ["title", "publisher", "url", "document_ref", "origin_key", "claim__statement"]
    search_help_text = "Search title, publisher, URL, document, origin key or claim statement."
    list_select_related = ["claim", "added_by"]
    autocomplete_fields = ["claim"]
    readonly_fields = ["added_by", "created_at"]
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Evidence]:
        return super().get_queryset(request).annotate(cited=Count("cited_by", distinct=True))

    @admin.display(description="claim")
    def claim_short(self, obj: Evidence) -> str:
        return short(str(obj.claim), 50)

    @admin.display(description="grade", ordering="source_reliability")
    def grade(self, obj: Evidence) -> str:
        return obj.grade

    @admin.display(description="cited", ordering="cited")
    def times_cited(self, obj: Evidence) -> int:
        return obj.cited

    def save_model(self, request: HttpRequest, obj: Evidence, form: Any, change: bool) -> None:
        if change:
            obj.save()
        else:
            admin_views.adopt(obj, evidence_save_new(actor=request.user, claim=obj.claim, row=obj))


class EvidenceInline(admin.StackedInline):
    model = Evidence
    form = EvidenceForm
    extra = 0
    show_change_link = True
    fields = [
        ("title", "publisher"),
        ("url", "document_ref"),
        "excerpt",
        ("stance", "source_reliability", "credibility"),
        "origin_key",
        ("added_by", "created_at"),
    ]
    readonly_fields = ["added_by", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Evidence]:
        return super().get_queryset(request).select_related("added_by")


# --- Reviews -------------------------------------------------------------------------------


def cited_titles(review: Review) -> str:
    return "; ".join(item.title for item in review.evidence.all()) or "—"


@admin.register(Review)
class ReviewAdmin(HistoryAdmin):
    """Reviews are written only through "Submit review" on an assignment, and never edited."""

    list_display = [
        "id",
        "claim_short",
        "reviewer",
        "review_round",
        "rating",
        "confidence",
        "evidence_count",
        "created_at",
    ]
    list_filter = ["rating", "confidence", "review_round"]
    search_fields = ["claim__statement", "rationale", "reviewer__username"]
    search_help_text = "Search claim statement, rationale or reviewer."
    date_hierarchy = "created_at"
    fields = [
        "claim",
        "assignment",
        "reviewer",
        "review_round",
        "rating",
        "confidence",
        "rationale",
        "cited",
        "created_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Review]:
        # Blind review: a reviewer sees others' verdicts only once their own is in.
        return (
            reviews_visible_to(request.user)
            .annotate(evidence_count=Count("evidence", distinct=True))
            .prefetch_related("evidence")
            .order_by(*self.get_ordering(request))
        )

    @admin.display(description="claim")
    def claim_short(self, obj: Review) -> str:
        return short(str(obj.claim), 50)

    @admin.display(description="evidence cited", ordering="evidence_count")
    def evidence_count(self, obj: Review) -> int:
        return obj.evidence_count

    @admin.display(description="evidence cited")
    def cited(self, obj: Review) -> str:
        return cited_titles(obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = [
        "reviewer",
        "review_round",
        "rating",
        "confidence",
        "rationale",
        "cited",
        "created_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Review]:
        return self.scoped(request, reviews_visible_to(request.user).prefetch_related("evidence"))

    @admin.display(description="evidence cited")
    def cited(self, obj: Review) -> str:
        return cited_titles(obj)


# --- Assignments ---------------------------------------------------------------------------


class AssignmentOverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        overdue = Q(pk__in=overdue_assignments().values("pk"))
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return None


@admin.register(Assignment)
class AssignmentAdmin(HistoryAdmin):
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
    ]
    search_fields = ["claim__statement", "reviewer__username", "reason"]
    search_help_text = "Search claim statement, reviewer or reason."
    list_select_related = ["claim", "reviewer", "assigned_by"]
    date_hierarchy = "due_at"
    action_form = admin_views.NoteActionForm
    actions = ["accept_selected", "decline_selected", "withdraw_selected", "expire_selected"]
    fields = [
        "claim",
        "reviewer",
        "review_round",
        "state",
        "due_at",
        "assigned_by",
        "created_at",
        "responded_at",
        "closed_at",
        "reason",
        "reminders_sent",
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

    @admin.display(description="claim")
    def claim_short(self, obj: Assignment) -> str:
        return short(str(obj.claim), 50)

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
        admin_views.run_for_each(
            self,
            request,
            queryset,
            move=lambda a: services.assignment_accept(actor=request.user, assignment=a),
            done="Accepted",
        )

    @admin.action(description="Decline the selected offers", permissions=["respond"])
    def decline_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        note = request.POST.get("note", "")
        admin_views.run_for_each(
            self,
            request,
            queryset,
            move=lambda a: services.assignment_decline(
                actor=request.user, assignment=a, reason=note
            ),
            done="Declined",
        )

    @admin.action(description="Withdraw the selected assignments (note)", permissions=["workflow"])
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        note = request.POST.get("note", "")
        admin_views.run_for_each(
            self,
            request,
            queryset,
            move=lambda a: services.assignment_withdraw(
                actor=request.user, assignment=a, reason=note
            ),
            done="Withdrew",
        )

    @admin.action(description="Expire the selected assignments", permissions=["workflow"])
    def expire_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        note = request.POST.get("note", "").strip() or "Expired by an editor."
        admin_views.run_for_each(
            self,
            request,
            queryset,
            move=lambda a: services.assignment_expire(
                actor=request.user, assignment=a, reason=note
            ),
            done="Expired",
        )

    # The reviewer's own page: submit a review for this assignment.

    def get_urls(self) -> list:
        review = path(
            "<path:object_id>/review/",
            self.admin_site.admin_view(self.review_view),
            name="verification_assignment_review",
        )
        return [review, *super().get_urls()]

    def review_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return admin_views.review_submit_view(self, request, object_id)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if obj is not None and obj.is_mine and obj.is_open:
            extra_context["review_url"] = reverse(
                "admin:verification_assignment_review", args=[obj.pk]
            )
        return super().change_view(request, object_id, form_url, extra_context)


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


# --- Workflow events -----------------------------------------------------------------------


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(DeskAdmin):
    """The workflow's own record: written by the services, never by hand."""

    list_display = [
        "created_at",
        "claim_short",
        "action",
        "from_state",
        "to_state",
        "actor",
        "assignment_ref",
        "note_short",
    ]
    list_display_links = ["created_at"]
    list_filter = ["action"]
    search_fields = ["claim__statement", "note", "actor__username"]
    search_help_text = "Search claim statement, note or actor."
    date_hierarchy = "created_at"
    fields = [
        "claim",
        "assignment",
        "action",
        "from_state",
        "to_state",
        "actor",
        "note",
        "created_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkflowEvent]:
        # Selecting here replaces list_select_related; the change page shows the assignment's
        # name, which reads its reviewer.
        return (
            super().get_queryset(request).select_related("claim", "actor", "assignment__reviewer")
        )

    @admin.display(description="claim")
    def claim_short(self, obj: WorkflowEvent) -> str:
        return short(str(obj.claim), 50)

    @admin.display(description="assignment")
    def assignment_ref(self, obj: WorkflowEvent) -> str:
        return f"#{obj.assignment_id}" if obj.assignment_id else "—"

    @admin.display(description="note")
    def note_short(self, obj: WorkflowEvent) -> str:
        return short(obj.note, 60)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class WorkflowEventInline(ReadOnlyInline):
    model = WorkflowEvent
    fields = ["created_at", "action", "from_state", "to_state", "actor", "note"]
    verbose_name_plural = "workflow events"
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkflowEvent]:
        return self.scoped(request, WorkflowEvent.objects.select_related("actor"))


# --- Reviewer profiles ---------------------------------------------------------------------


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(HistoryAdmin):
    list_display = [
        "user",
        "availability",
        "capacity",
        "open_assignments",
        "expertise_names",
        "reminders_enabled",
    ]
    list_filter = ["availability", "expertise", "reminders_enabled"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    search_help_text = "Search username, email or name."
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["expertise"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReviewerProfile]:
        open_work = Q(user__assignments__state__in=OPEN_ASSIGNMENT_STATES)
        return (
            super()
            .get_queryset(request)
            .prefetch_related("expertise")
            .annotate(open_count=Count("user__assignments", filter=open_work, distinct=True))
        )

    @admin.display(description="open assignments", ordering="open_count")
    def open_assignments(self, obj: ReviewerProfile) -> int:
        return obj.open_count

    def save_model(
        self, request: HttpRequest, obj: ReviewerProfile, form: Any, change: bool
    ) -> None:
        # Through the service: a reviewer back from away gets the waiting claims.
        reviewer_profile_save(actor=request.user, profile=obj)

    @admin.display(description="expertise")
    def expertise_names(self, obj: ReviewerProfile) -> str:
        return ", ".join(topic.name for topic in obj.expertise.all()) or "—"


# --- The email outbox ----------------------------------------------------------------------


@admin.register(EmailLog)
class EmailLogAdmin(DeskAdmin):
    """The outbox, to read: rows are written by ``verification.emails`` and moved by the
    delivery tasks; editing one would break "never sent twice"."""

    list_display = [
        "created_at",
        "kind",
        "recipient",
        "subject",
        "status",
        "attempts",
        "claim_ref",
        "sent_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "subject", "key"]
    search_help_text = "Search recipient, subject or key."
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in EmailLog._meta.fields]

    @admin.display(description="claim")
    def claim_ref(self, obj: EmailLog) -> str:
        return f"#{obj.claim_id}" if obj.claim_id else "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
