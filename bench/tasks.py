"""The Celery ceiling for the assignment pipeline: a task that does nothing.

The benchmark's worker loads this module (``--include bench.tasks``) beside the desk's tasks,
so it runs with the same app, broker, reliability settings (late acks, prefetch 1, reject on
worker lost) and pool.
"""

from celery import shared_task


@shared_task(name="bench.noop")
def noop(number: int) -> None:
    """Nothing: what is left is the cost of publishing, delivering and acknowledging a task."""
