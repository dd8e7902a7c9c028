"""Recorded upstream responses for parser tests.

`capture("gemini", "models-2026-03.json")` decodes `tests/fixtures/providers/gemini/...`, the
repository's byte-for-byte copy of the capture (there is no other place it is read from). Files
whose name contains `constructed` are hand-made from an API reference, not captures; their
README says so.
"""

from __future__ import annotations

import json
from typing import Any

from tests.replay.catalogue import FIXTURES, fixture_path

__all__ = ["FIXTURES", "capture", "distinct_ids"]


def capture(provider: str, name: str) -> Any:
    """The decoded JSON of a recorded response."""
    return json.loads(fixture_path(provider, name).read_text(encoding="utf-8"))


def distinct_ids(items: list[Any], key: str = "id") -> list[str]:
    """The distinct, non-empty string ids in a raw list, in first-seen order (test oracle)."""
    seen: dict[str, None] = {}
    for item in items:
        value = item.get(key) if isinstance(item, dict) else None
        if isinstance(value, str) and value.strip():
            seen.setdefault(value, None)
    return list(seen)
