"""Staff accounts and the browser: login lock-out (django-axes), the second factor
(django-otp), the Content-Security-Policy (django-csp) and API tokens; ``base.py`` imports this."""

from __future__ import annotations

import datetime as dt
from typing import Any

from csp.constants import NONE, SELF, UNSAFE_INLINE

from config.env import env_bool, env_int

# django-axes refuses a locked login before the password is tried, and counts the failures.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "admin:login"

# LOGIN_FAILURE_LIMIT wrong passwords lock a username and an address; the lock lifts after
# LOGIN_LOCKOUT_MINUTES (0: when an administrator deletes it). A success clears the counts.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10, minimum=1)
_lockout_minutes = env_int("LOGIN_LOCKOUT_MINUTES", 60, minimum=0)
AXES_COOLOFF_TIME = dt.timedelta(minutes=_lockout_minutes) if _lockout_minutes else None
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.accounts.views.locked_out"
# Behind FORWARDED_PROXY_COUNT reverse proxies a login's address is the one the outermost saw
# (X-Forwarded-For); unset behind a proxy, ten typos anywhere would lock everyone out.
FORWARDED_PROXY_COUNT = env_int("FORWARDED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "config.accounts.services.client_ip"
# Logins are recorded once, as config.accounts' LoginEvent; axes keeps only its counts.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # no banner on every manage.py command

# On: an editor without an authenticator must set one up before the admin (off for the demo).
# Whoever has one gives its code at every login, whatever this says.
REQUIRE_2FA_FOR_EDITORS = env_bool("REQUIRE_2FA_FOR_EDITORS", False)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret again


def _totp_issuer(device: Any) -> str:
    from django.conf import settings

    return settings.DESK_NAME


OTP_TOTP_ISSUER = _totp_issuer

# Scripts only from the desk itself, none inline (the JSON-LD block is data). Inline styles are
# allowed: the admin, DRF's browsable API and the history pages write style attributes.
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

# API tokens (django-rest-knox, config.accounts.tokens): API_TOKEN_DAYS unless their maker asks
# for fewer; an administrator may give up to API_TOKEN_MAX_DAYS.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90, minimum=1)
API_TOKEN_MAX_DAYS = max(API_TOKEN_DAYS, env_int("API_TOKEN_MAX_DAYS", 365, minimum=1))
KNOX_TOKEN_MODEL = "accounts.ApiToken"
REST_KNOX = {
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    "TOKEN_TTL": dt.timedelta(days=API_TOKEN_DAYS),
    "AUTH_HEADER_PREFIX": "Token",  # the header scripts already send: Authorization: Token <key>
    "AUTO_REFRESH": False,  # a token's expiry is what its maker chose, not pushed on by use
}
# knox's migrations create its AuthToken table even with the model swapped, which breaks flush.
MIGRATION_MODULES = {"knox": None}
