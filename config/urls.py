"""Top-level URLs: the admin (the desk's web door), the REST API and its documentation."""

from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from claims.api import urls as claims_urls
from config.api import errors as api_errors
from config.archive import urls as archive_urls


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness probe for docker compose and load balancers."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("healthz", healthz, name="healthz"),
    # The archive of cited pages: copies, downloads and the watch panel (archive.urls).
    path("admin/archive/pages/", include("config.archive.urls")),
    path("admin/", admin.site.urls),
    # The second factor: the code after the password, and adding an authenticator app.
    path("account/", include("config.accounts.urls")),
    path("api/v1/", include("config.api_router")),
    # ClaimReview in and out, bulk import and export (claims.api.claimreview).
    path("api/v1/", include(claims_urls.urlpatterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its script at a URL of its own: the CSP runs no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    # The public fact-check page of each published claim, with its ClaimReview markup.
    *claims_urls.public_urlpatterns,
    # The archived copy of a page a published claim appeared in, linked from that page.
    *archive_urls.public_urlpatterns,
    # The DRF browsable API's sign-in page, for session authentication.
    path("api/auth/", include("rest_framework.urls")),
    # Last: an address under /api/ that nothing above serves is a JSON 404, not an HTML page.
    re_path(r"^api/", api_errors.not_found),
]
