"""A clock tests move by hand: time passes when the test says so, never by sleeping."""

from __future__ import annotations

import time


class ManualClock:
    """Starts at the real time (lists keep plausible dates) and moves only by `advance`.

    >>> clock = ManualClock(start=100.0)
    >>> clock.advance(1.5); clock()
    101.5
    """

    def __init__(self, start: float | None = None) -> None:
        self.now = time.time() if start is None else start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
