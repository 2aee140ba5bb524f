"""Top-level URLs: the admin is the desk's web door; the REST API arrives under /api/."""

from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.generic import RedirectView


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness probe for docker compose and load balancers."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
