"""Staff accounts and the browser: login lock-out (django-axes), the second factor
(django-otp) and the Content-Security-Policy (django-csp). ``base.py`` imports this last; the
apps and middleware are listed there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from csp.constants import NONE, SELF, UNSAFE_INLINE

from config.env import env_bool, env_int

# A password is checked by Django's ModelBackend behind django-axes, which refuses a locked
# login before it is tried and counts the failures.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "admin:login"

# LOGIN_FAILURE_LIMIT wrong passwords lock a username (whatever address they come from) and
# lock an address (whatever usernames it tries); the lock lifts after LOGIN_LOCKOUT_MINUTES (0:
# only an administrator lifts it, by deleting the row under Axes > Access attempts). A login that
# succeeds clears the counts for its username and address, so typos do not add up over a day.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10, minimum=1)
_lockout_minutes = env_int("LOGIN_LOCKOUT_MINUTES", 60, minimum=0)
AXES_COOLOFF_TIME = dt.timedelta(minutes=_lockout_minutes) if _lockout_minutes else None
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.accounts.views.locked_out"
# Behind FORWARDED_PROXY_COUNT reverse proxies (TLS, load balancer) a login's address is the one
# the outermost proxy saw (X-Forwarded-For); with 0, REMOTE_ADDR. Set it behind a proxy, or every
# login comes from the proxy's address and ten typos anywhere lock everyone out.
FORWARDED_PROXY_COUNT = env_int("FORWARDED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "config.accounts.services.client_ip"
# Logins are recorded once, as config.accounts' LoginEvent; axes keeps only its counts.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # no banner on every manage.py command

# With this on, an editor (or administrator) without an authenticator is sent to set one up,
# and cannot reach the admin until they have; off by default so `make run`'s demo logins work.
# Anyone who has added an authenticator gives its code at every login, whatever this says.
REQUIRE_2FA_FOR_EDITORS = env_bool("REQUIRE_2FA_FOR_EDITORS", False)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret again


def _totp_issuer(device: Any) -> str:
    """The name an authenticator app lists the account under: the desk's."""
    from django.conf import settings

    return settings.DESK_NAME


OTP_TOTP_ISSUER = _totp_issuer

# The admin, the API pages and the public fact-check pages load scripts only from the desk
# itself: no inline script runs (the JSON-LD block is data, not script). Inline styles are
# allowed, because Django's admin, DRF's browsable API and the history pages write style
# attributes; markup is escaped, so no one else's style reaches a page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# API tokens (django-rest-knox, through config.accounts.tokens): stored as SHA-512 digests,
# each with its owner's name for it, and each expiring. A token lives API_TOKEN_DAYS days unless
# its maker asks for fewer; an administrator may give one up to API_TOKEN_MAX_DAYS.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90, minimum=1)
API_TOKEN_MAX_DAYS = max(API_TOKEN_DAYS, env_int("API_TOKEN_MAX_DAYS", 365, minimum=1))
KNOX_TOKEN_MODEL = "accounts.ApiToken"
REST_KNOX = {
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    "TOKEN_TTL": dt.timedelta(days=API_TOKEN_DAYS),
    "AUTH_HEADER_PREFIX": "Token",  # the header scripts already send: Authorization: Token <key>
    "AUTO_REFRESH": False,  # a token's expiry is what its maker chose, not pushed on by use
}
# knox's own migrations create its AuthToken table even when the model is swapped for ours
# (they do not mark it swappable), and a table outside the model registry breaks flush; the
# swapped model needs no table, so knox gets no migrations.
MIGRATION_MODULES = {"knox": None}
