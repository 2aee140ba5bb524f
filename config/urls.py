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
    path("admin/archive/pages/", include("config.archive.urls")),
    path("admin/", admin.site.urls),
    path("account/", include("config.accounts.urls")),
    path("api/v1/", include("config.api_router")),
    # ClaimReview in and out, bulk import and export.
    path("api/v1/", include(claims_urls.urlpatterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's script at a URL of its own: the CSP runs no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    # The public fact-check pages and the archived copies they link.
    *claims_urls.public_urlpatterns,
    *archive_urls.public_urlpatterns,
    # The DRF browsable API's sign-in page.
    path("api/auth/", include("rest_framework.urls")),
    # Last: an address under /api/ that nothing above serves is a JSON 404, not an HTML page.
    re_path(r"^api/", api_errors.not_found),
]
