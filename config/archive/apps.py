from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """Cited pages archived at citation time, hashed, and watched for change."""

    name = "config.archive"
    label = "archive"
    verbose_name = "Archive"

    def ready(self) -> None:
        from claims.claimreview.jsonld import appearance_works_hook
        from config.archive import receivers  # noqa: F401  (connects them)
        from config.archive.claimreview import works_archived_at

        # The public copy of an appearance's page, as "archivedAt" in the ClaimReview.
        appearance_works_hook(works_archived_at)
