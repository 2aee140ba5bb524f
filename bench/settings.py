"""Settings the benchmark's gunicorn, worker and runner use: the service's own (``base``, read
from the environment the runner sets: DEBUG off, PostgreSQL, Redis, throttle rates too high to
bind), plus one URL the service does not have, the ceiling's trivial JSON view."""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
