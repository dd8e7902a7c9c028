"""Time, passed in. The catalog, its list caches and the token cache read the clock they are
given (`time.time` in production), so a test moves time forward instead of sleeping.

>>> frozen: Clock = lambda: 86400.0
>>> utc(frozen).isoformat()
'1970-01-02T00:00:00+00:00'
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], float]
"""Seconds since the epoch, as `time.time` returns them."""


def utc(clock: Clock) -> datetime:
    """The clock's time as an aware UTC datetime."""
    return datetime.fromtimestamp(clock(), tz=UTC)
