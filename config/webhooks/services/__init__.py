"""Every rule of the webhooks: ``endpoints``, ``deliveries`` and ``signing``."""
