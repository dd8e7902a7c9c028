"""Replay upstream: a real local HTTP server standing in for every provider in tests.

`ReplayServer` is the server; `serve_catalogue` mounts all recorded captures on it.
Run ``python -m tests.replay --port 8765`` to serve the catalogue by hand.
"""

from tests.replay.catalogue import (
    ENDPOINTS,
    GEMINI_PAGE2_TOKEN,
    GEMINI_PAGED,
    LATEST,
    archive_bases,
    base_url,
    fixture_path,
    models_route,
    models_url,
    serve_catalogue,
    serve_era,
)
from tests.replay.server import GARBAGE, ReplayServer, RequestInfo

__all__ = [
    "ENDPOINTS",
    "GARBAGE",
    "GEMINI_PAGE2_TOKEN",
    "GEMINI_PAGED",
    "LATEST",
    "ReplayServer",
    "RequestInfo",
    "archive_bases",
    "base_url",
    "fixture_path",
    "models_route",
    "models_url",
    "serve_catalogue",
    "serve_era",
]
