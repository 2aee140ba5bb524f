"""The service's URLs plus ``/bench/ping``: the ceiling for the list benchmarks.

It is a plain Django view that returns a small JSON object, served by the same gunicorn,
middleware and settings as the API, so ``list rate ÷ ping rate`` is what the list costs over
the least a Django request can cost on this server. It exists only under ``bench.settings``.
"""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from config.urls import urlpatterns as service_urlpatterns


def ping(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/ping", ping, name="bench-ping"), *service_urlpatterns]
