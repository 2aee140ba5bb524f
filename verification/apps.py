from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class VerificationConfig(AppConfig):
    name = "verification"
    verbose_name = "Verification"

    def ready(self) -> None:
        from claims.roles import ensure_roles
        from verification import receivers  # noqa: F401  (connects them)
        from verification.schedule import ensure_periodic_tasks

        # Groups carry model permissions, which exist only after every app has migrated.
        # post_migrate fires once per app; this app comes after claims, so theirs exist by then.
        def setup(sender: AppConfig, **kwargs: Any) -> None:
            if sender.name == self.name:
                ensure_roles()
                ensure_periodic_tasks()

        post_migrate.connect(setup, weak=False, dispatch_uid="verification.setup")
