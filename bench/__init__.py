"""Benchmarks: the catalog against its floor and against the naive design (`python -m bench`)."""
