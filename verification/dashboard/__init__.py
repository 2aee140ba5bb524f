"""The desk overview: the admin's start page for editors (and a reviewer's own figures).

- :mod:`~verification.dashboard.scope` — what the filters select (dates, topic) as queryset
  filters and as the query strings of the changelists behind each figure;
- :mod:`~verification.dashboard.forms` — the filter form read from the query string;
- :mod:`~verification.dashboard.aggregates` — the SQL pieces: the published verdict, seconds
  between two times, medians (``percentile_cont`` on PostgreSQL);
- :mod:`~verification.dashboard.desk`, :mod:`~verification.dashboard.reviewers`,
  :mod:`~verification.dashboard.verdicts` — the figures, each in a fixed number of queries;
- :mod:`~verification.dashboard.links` — the filtered changelists behind the figures, and
  :mod:`~verification.dashboard.filters` — the list filters those links need;
- :mod:`~verification.dashboard.charts` — server-rendered SVG charts (no script, no CDN);
- :mod:`~verification.dashboard.context` — the page's sections: figures, texts and links;
- :mod:`~verification.dashboard.views` — the page's context, by role;
- :mod:`~verification.dashboard.calibration` — a reviewer's and the desk's calibration pages
  (the figures are :mod:`verification.calibration`'s).
"""
