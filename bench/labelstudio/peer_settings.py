"""Label Studio's own settings for the peer benchmark, with two changes.

Loaded only inside Label Studio's virtual environment (``var/bench/peer-venv``), by its
gunicorn and its ``manage.py``; the desk never imports it.

- Its job queue (RQ) points at a port nothing listens on, so Label Studio runs its jobs in the
  request, as an install without Redis does, and never writes to a Redis database that other
  programs on this machine use.
- Error reporting and analytics are off (also set through the environment by
  bench/labelstudio_server.py): the benchmark talks to 127.0.0.1 only.

Label Studio's settings module reads Django's settings while it is still loading, so it is run
here, in this module's namespace (an import would leave this module empty at that moment).
"""

import importlib.util
import os
from pathlib import Path

_spec = importlib.util.find_spec("core.settings.label_studio")
_path = Path(_spec.origin)
exec(compile(_path.read_text(encoding="utf-8"), str(_path), "exec"), globals())

for _queue in RQ_QUEUES.values():  # noqa: F821
    _queue["HOST"] = "127.0.0.1"
    _queue["PORT"] = int(os.environ["BENCH_DEAD_PORT"])
SENTRY_DSN = ""
FRONTEND_SENTRY_DSN = ""
COLLECT_ANALYTICS = False
LATEST_VERSION_CHECK = False
