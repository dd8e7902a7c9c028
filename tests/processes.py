"""The environment of a process a test starts (the CLI, a worker): nothing of the test's own
settings, this checkout on the path, and coverage's variables, so the floor measures the
child too (coverage's `patch = subprocess` hands them down)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child_environment(**values: str) -> dict[str, str]:
    """`PATH`, `PYTHONPATH` (this checkout, whatever the virtualenv has installed), coverage's
    variables when the tests run under it, and `values`."""
    measured = {name: value for name, value in os.environ.items() if name.startswith("COVERAGE_")}
    return {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **measured, **values}
