"""What claims tells the apps above it, so that it never imports them. Both are sent inside the
transaction that wrote the rows, so a receiver's writes commit or roll back with them.
"""

from django.dispatch import Signal

# ``claims`` (as given) and ``actor``, from ``claims_create_many``: verification records each
# claim's "created" event (``verification.receivers``).
claims_created = Signal()

# ``sources``, from ``sources_get_or_create`` (a bulk insert sends no post_save): the archive
# records each URL as a page to archive (``config.archive.receivers``).
sources_created = Signal()
