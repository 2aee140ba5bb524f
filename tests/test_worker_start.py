"""A worker's main process loads what every email needs before its pool processes fork."""

from __future__ import annotations

from unittest import mock

from django.template import loader

from config.celery import _load_before_forking
from verification.models import EmailKind


def test_the_worker_compiles_every_email_template_before_forking():
    loaded = []
    real = loader.get_template

    def get_template(name, *args, **kwargs):
        loaded.append(name)
        return real(name, *args, **kwargs)

    with mock.patch("django.template.loader.get_template", get_template):
        _load_before_forking(sender=None)

    assert sorted(loaded) == sorted(
        f"emails/{kind}/{name}"
        for kind in EmailKind
        for name in ("subject.txt", "body.txt", "body.html")
    )
