"""Helpers for the pure parser tests: load a recorded (for Hugging Face: constructed) payload."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "providers"
SHARED = Path("/work/shared/fixtures")


def capture(provider: str, name: str) -> Any:
    """The decoded JSON of `tests/fixtures/providers/<provider>/<name>`, or of the shared copy.

    The repository's copy wins; the shared set is the fallback until every capture is committed.
    """
    for root in (FIXTURES, SHARED):
        path = root / provider / name
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    raise FileNotFoundError(f"no fixture {provider}/{name} under {FIXTURES} or {SHARED}")
