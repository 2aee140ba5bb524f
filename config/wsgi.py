"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

application = get_wsgi_application()

# Import the URLconf (and with it every view, serializer and DRF module) while the worker
# starts, not on its first request: about 0.3 s that whichever request came first paid.
get_resolver().url_patterns  # noqa: B018 (the attribute's loading is the point)
