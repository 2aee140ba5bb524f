"""URLs of ``claims.api.claimreview`` and ``claims.api.files``.

``urlpatterns`` go under ``/api/v1/`` (``config/urls.py`` includes them there);
``public_urlpatterns`` are the public fact-check pages and go at the site's root (their name,
``factcheck-detail``, gives each ClaimReview its ``url``).
"""

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
