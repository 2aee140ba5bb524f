"""What claims tells the apps above it, so that it never imports them.

``claims_created`` is sent by ``claims.services.claims_create_many`` (and so by ``claim_create``)
inside the transaction that wrote the claims: a receiver's writes commit or roll back with
them. Verification records each claim's "created" workflow event from it
(``verification.receivers``).
"""

from django.dispatch import Signal

# Sent with ``claims`` (the saved claims, in the order given) and ``actor`` (who made them).
claims_created = Signal()

# Sent with ``sources`` (the sources just inserted) by ``claims.services.sources_get_or_create``
# inside the transaction that inserted them (in bulk: no post_save). The archive records each
# source's URL as a page to archive (``config.archive.receivers``).
sources_created = Signal()
