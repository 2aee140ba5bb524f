"""Tests against the real parts: a Celery worker process, Redis, an SMTP server, PostgreSQL."""
