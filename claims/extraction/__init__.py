"""Extraction: from an article to candidate claims, ready for triage.

- :mod:`~claims.extraction.documents` — text, Markdown, HTML (trafilatura) or a URL, and the
  clean view that maps sentences back to exact spans of the stored text;
- :mod:`~claims.extraction.sentences` — sentences with exact spans;
- :mod:`~claims.extraction.quantities` — figures, with what each measures
  (:mod:`~claims.extraction.units`) and the words both read (:mod:`~claims.extraction.lexicon`);
- :mod:`~claims.extraction.attribution` — speakers, how a statement is attributed, hedges;
- :mod:`~claims.extraction.features`, :mod:`~claims.extraction.scorer` — check-worthiness,
  with weights fitted by ``scripts/train_checkworthiness.py``
  (:mod:`~claims.extraction.evaluation` holds its split and metrics);
- :mod:`~claims.extraction.candidates` — one candidate per sentence;
- :mod:`~claims.extraction.matching` — likely duplicates among existing claims;
- :mod:`~claims.extraction.ingest` — ``source_ingest``, the service every door calls.
"""
