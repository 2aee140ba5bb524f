"""``python -m bench.import_job PATH USERNAME``: the desk's bulk import of a LIAR file, timed.

Run by bench/bulk.py in a process of its own, against the import database named by
DATABASE_URL: it calls ``claims.bulk.claims_import`` (what ``manage.py import_claims`` and the
import API call) with its defaults and prints one ``BENCH_JSON`` line.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter

import django


def main(path: str, username: str) -> None:
    django.setup()
    from django.contrib.auth import get_user_model

    from claims.bulk import claims_import, mapping_named

    actor = get_user_model().objects.get(username=username)
    with open(path, "rb") as stream:
        began = time.perf_counter()
        counts = Counter(
            result.status
            for result in claims_import(
                actor=actor, stream=stream, file_format="csv", mapping=mapping_named("liar")
            )
        )
        seconds = time.perf_counter() - began
    print("BENCH_JSON " + json.dumps({"seconds": seconds, "counts": dict(counts)}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
