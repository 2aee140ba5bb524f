"""Production: base settings hardened; refuses to start with development defaults.

``python manage.py check --deploy --settings=config.settings.production`` passes when
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL are given real values.
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_str
from config.settings.base import *  # noqa: F403
from config.settings.base import ALLOWED_HOSTS, FETCH_ALLOW_PRIVATE_HOSTS, SECRET_KEY

DEBUG = env_bool("DEBUG", False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be false under config.settings.production.")
if SECRET_KEY.startswith("dev-only-") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of 50+ characters.")
if not ALLOWED_HOSTS or set(ALLOWED_HOSTS) <= {"127.0.0.1", "localhost", "[::1]"}:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the hosts the service is reached at.")
if not env_str("DATABASE_URL", ""):
    raise ImproperlyConfigured("DATABASE_URL must be set in production (PostgreSQL).")
if FETCH_ALLOW_PRIVATE_HOSTS:
    raise ImproperlyConfigured("FETCH_ALLOW_PRIVATE_HOSTS is for tests; never in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
