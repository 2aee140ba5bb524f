"""Every rule of the webhooks: ``endpoints`` (who registers, changes, disables and re-enables
an endpoint), ``deliveries`` (one delivery per event per endpoint; sending, retrying, sending
again) and ``signing`` (the payload's bytes and their signature)."""
