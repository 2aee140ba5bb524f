from django.apps import AppConfig
from django.db.models.signals import post_migrate


class VerificationConfig(AppConfig):
    name = "verification"
    verbose_name = "Verification"

    def ready(self) -> None:
        from verification.roles import ensure_roles

        # Groups carry model permissions, which exist only after every app has migrated.
        post_migrate.connect(ensure_roles, dispatch_uid="verification.ensure_roles")
