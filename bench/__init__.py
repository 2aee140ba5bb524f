"""The desk's benchmarks: ``python bench/run.py`` (or ``make bench``); see bench/README.md.

Never collected by pytest (``testpaths = ["tests"]``) and never imported by the service.
"""
