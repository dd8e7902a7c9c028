"""Recorded upstream responses for parser tests.

`capture("gemini", "models-2026-03.json")` reads `tests/fixtures/providers/gemini/...` (the
repo's byte-for-byte copy) or, when the repo has no copy, the shared capture under
`/work/shared/fixtures/gemini/`. Files whose name contains `constructed` are hand-made from an API
reference, not captures; their README says so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPO_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "providers"
SHARED_FIXTURES = Path("/work/shared/fixtures")


def capture_path(provider: str, name: str) -> Path:
    """Where the recorded response lives: the repo's copy first, else the shared one."""
    local = REPO_FIXTURES / provider / name
    return local if local.exists() else SHARED_FIXTURES / provider / name


def capture(provider: str, name: str) -> Any:
    """The decoded JSON of a recorded response."""
    return json.loads(capture_path(provider, name).read_text(encoding="utf-8"))


def distinct_ids(items: list[Any], key: str = "id") -> list[str]:
    """The distinct, non-empty string ids in a raw list, in first-seen order (test oracle)."""
    seen: dict[str, None] = {}
    for item in items:
        value = item.get(key) if isinstance(item, dict) else None
        if isinstance(value, str) and value.strip():
            seen.setdefault(value, None)
    return list(seen)
