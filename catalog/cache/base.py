"""What a list cache is: where snapshots live between requests, with a short note of each
upstream's recent failure and, where several workers share it, the lock that lets one fetch."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol

from catalog.snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class Failure:
    """A recent upstream failure: what went wrong (without the provider prefix) and, for an
    HTTP error, its status."""

    detail: str
    status: int | None = None


Wait = Callable[[float], Awaitable[None]]
"""Returns on a change notice, or after the timeout it is given (seconds)."""


class ListCache(Protocol):
    """Where snapshots live between requests (memory here; Redis in production).

    Snapshot entries are kept for the TTL given to `set` (days: an expired list is still
    served, marked stale, when its upstream fails). A failure note lasts `ttl` seconds by the
    cache's clock: `failure` returns `None` once they have passed.
    """

    async def get(self, key: str) -> Snapshot | None: ...

    async def set(self, key: str, snapshot: Snapshot, ttl: int) -> None: ...

    async def failure(self, key: str) -> Failure | None: ...

    async def set_failure(self, key: str, failure: Failure, ttl: float) -> None: ...

    async def acquire(self, key: str, ttl: float) -> str | None:
        """A token when this process may fetch `key` now; None while another one does."""

    async def release(self, key: str, token: str) -> None: ...

    async def locked(self, key: str) -> bool: ...

    def watch(self, key: str) -> AbstractAsyncContextManager[Wait]:
        """While open, `await wait(timeout)` returns when `key`'s entry, failure note or lock
        may have changed (another worker's `set`, `set_failure` or `release`), or after
        `timeout` seconds: how a worker waits for another's fetch without polling."""

    backend: str
    """`memory` or `redis`, as a health report names it."""

    async def ping(self) -> None:
        """Return when the backend answers; raise when it does not (see `catalog.health`)."""

    async def close(self) -> None: ...
