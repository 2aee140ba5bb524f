from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """Cited pages archived at citation time, hashed, and watched for change."""

    name = "archive"
    verbose_name = "Archive"

    def ready(self) -> None:
        from archive import receivers  # noqa: F401  (connects them)
