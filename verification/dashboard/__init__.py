"""The desk overview: the admin's start page for editors (and a reviewer's own figures), its
filters and their changelists (:mod:`.scope`, :mod:`.links`, :mod:`.filters`), the figures
(:mod:`.desk`, :mod:`.reviewers`, :mod:`.verdicts`), SVG charts, and the calibration pages."""
