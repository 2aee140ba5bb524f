"""The REST API's resources under /api/v1/ (see ``config/urls.py``)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from claims.api.corrections import CorrectionViewSet
from claims.api.files import ImportJobViewSet
from claims.api.ingest import IngestJobViewSet
from claims.api.statements import AttributedStatementViewSet
from config.accounts.api import ApiTokenViewSet
from config.archive.api import ArchiveViewSet
from config.webhooks.api import EndpointViewSet
from verification.api.assignments import AssignmentViewSet
from verification.api.calibration import DeskCalibrationView, ReviewerCalibrationView
from verification.api.claim_views import ClaimViewSet, SourceViewSet, SpeakerViewSet, TopicViewSet
from verification.api.matches import ClaimMatchViewSet
from verification.api.views import (
    DeskStatsView,
    EvidenceViewSet,
    ReviewerProfileViewSet,
    ReviewViewSet,
    WorkflowEventViewSet,
)

router = DefaultRouter()
router.register("topics", TopicViewSet, basename="topic")
router.register("speakers", SpeakerViewSet, basename="speaker")
router.register("sources", SourceViewSet, basename="source")
router.register("statements", AttributedStatementViewSet, basename="statement")
router.register("claims", ClaimViewSet, basename="claim")
router.register("corrections", CorrectionViewSet, basename="correction")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("reviews", ReviewViewSet, basename="review")
router.register("reviewer-profiles", ReviewerProfileViewSet, basename="reviewer-profile")
router.register("events", WorkflowEventViewSet, basename="event")
router.register("ingest", IngestJobViewSet, basename="ingest")
router.register("imports", ImportJobViewSet, basename="import")
router.register("claim-matches", ClaimMatchViewSet, basename="claim-match")
router.register("tokens", ApiTokenViewSet, basename="token")
router.register("archives", ArchiveViewSet, basename="archive-page")
router.register("webhooks", EndpointViewSet, basename="webhook")

app_name = "api"
urlpatterns = [
    path("stats/", DeskStatsView.as_view(), name="stats"),
    path("calibration/", DeskCalibrationView.as_view(), name="calibration"),
    path(
        "reviewers/<int:reviewer_id>/calibration/",
        ReviewerCalibrationView.as_view(),
        name="reviewer-calibration",
    ),
    *router.urls,
]
