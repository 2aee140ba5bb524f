"""Fixtures of the webhook tests: a receiver on 127.0.0.1 (``receiver.py``), reachable with
FETCH_ALLOW_PRIVATE_HOSTS on, and an editor's endpoint pointing at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from config.webhooks.models import Endpoint
from config.webhooks.services.endpoints import endpoint_create
from tests.webhooks.receiver import Receiver, running_receiver

ALL_EVENTS = ["published", "corrected", "reopened", "withdrawn"]


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True  # the receiver is on 127.0.0.1
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = 0
    settings.WEBHOOK_TIMEOUT = 2
    with running_receiver() as server:
        yield server


@pytest.fixture
def endpoint(editor, receiver) -> Endpoint:
    return endpoint_create(actor=editor, url=receiver.url(), events=ALL_EVENTS)
