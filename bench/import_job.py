"""``python -m bench.import_job PATH USERNAME``: the desk's bulk import of a LIAR file, timed.

Run by bench/bulk.py in a process of its own, against the import database named by
DATABASE_URL: it runs the bulk import as ``manage.py import_claims`` does
(:func:`bench.product.bulk_importer`) and prints one ``BENCH_JSON`` line: the seconds and the
claims the import created (counted in the database, before and after).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import django


def main(path: str, username: str) -> None:
    django.setup()
    from bench.product import bulk_importer
    from claims.models import Claim

    run = bulk_importer()
    before = Claim.objects.count()
    began = time.perf_counter()
    run(Path(path), username)
    seconds = time.perf_counter() - began
    created = Claim.objects.count() - before
    print("BENCH_JSON " + json.dumps({"seconds": seconds, "created": created}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
