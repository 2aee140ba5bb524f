"""Extraction: from an article to candidate claims, ready for triage.

Documents and their clean view (:mod:`.documents`, :mod:`.transcripts`), sentences, figures
(:mod:`.quantities`, :mod:`.units`, the lexicons), speakers (:mod:`.attribution`),
check-worthiness (:mod:`.features`, :mod:`.scorer`, :mod:`.embedding`, :mod:`.context`,
:mod:`.evaluation`), candidates, matching, and :func:`~.ingest.source_ingest`, which every door
calls (:mod:`.jobs` queues it for a worker)."""
