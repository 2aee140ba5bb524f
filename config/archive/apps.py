from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """Cited pages archived at citation time, hashed, and watched for change."""

    name = "config.archive"
    label = "archive"
    verbose_name = "Archive"

    def ready(self) -> None:
        from config.archive import receivers  # noqa: F401  (connects them)
