"""Settings of the outbound webhooks (``config/webhooks/``); ``base.py`` imports this."""

from __future__ import annotations

from config.env import env_float, env_int

# Attempts per delivery, the backoff (doubled after each failure, capped), and the failed
# deliveries in a row that disable an endpoint.
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6, minimum=1)
WEBHOOK_RETRY_BACKOFF_SECONDS = env_float("WEBHOOK_RETRY_BACKOFF_SECONDS", 30.0, minimum=0.0)
WEBHOOK_RETRY_BACKOFF_MAX_SECONDS = env_float(
    "WEBHOOK_RETRY_BACKOFF_MAX_SECONDS", 3600.0, minimum=0.0
)
WEBHOOK_DISABLE_AFTER = env_int("WEBHOOK_DISABLE_AFTER", 5, minimum=1)
# The deadline of one attempt (connect, send, answer), through config.fetch.
WEBHOOK_TIMEOUT = env_float("WEBHOOK_TIMEOUT", 10.0, minimum=0.1)
# An attempt claimed longer ago than WEBHOOK_TIMEOUT plus this margin was left by a dead worker.
WEBHOOK_STALE_MARGIN_SECONDS = env_float("WEBHOOK_STALE_MARGIN_SECONDS", 30.0, minimum=0.0)
