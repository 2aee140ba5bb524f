from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Signed events sent to the newsroom's own systems when a verdict changes."""

    name = "config.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from config.webhooks import receivers  # noqa: F401  (connects them)
