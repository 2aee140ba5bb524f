"""URLs of ``claims.api.claimreview`` and ``claims.api.files``: ``urlpatterns`` under
``/api/v1/``, ``public_urlpatterns`` (the fact-check pages, ``factcheck-detail``) at the root."""

from django.urls import path

from claims.api import claimreview, files

urlpatterns = [
    path("claimreview/", claimreview.ClaimReviewFeedView.as_view(), name="claimreview-feed"),
    path(
        "claimreview/<int:pk>/",
        claimreview.ClaimReviewDetailView.as_view(),
        name="claimreview-detail",
    ),
    # No trailing slash: "claims/<pk>/" belongs to the claims resource.
    path(
        "claimreview/import",
        claimreview.ClaimReviewImportView.as_view(),
        name="claimreview-import",
    ),
    path("claims/import", files.ClaimsImportView.as_view(), name="claims-import"),
    path("claims/export", files.ClaimsExportView.as_view(), name="claims-export"),
]

public_urlpatterns = [
    path("fact-checks/<int:pk>/", claimreview.factcheck_page, name="factcheck-detail"),
]
