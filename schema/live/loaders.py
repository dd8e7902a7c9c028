"""The per-request loaders of this domain: a provider's live list with its saved state.

Both the result cache (deciding whether a stored response still holds) and the resolvers go
through them, so a request reads the database once and the cache once, whoever asks first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from catalog.resolve import ResolvedProvider
from catalog.service import Catalog
from catalog.snapshot import Snapshot
from storage.records import CatalogState


@dataclass(frozen=True, slots=True)
class LiveList:
    provider: ResolvedProvider
    snapshot: Snapshot
    state: CatalogState

    def fingerprint(self) -> tuple[object, ...]:
        """Whatever this list shows is a function of these: the fetch and the saved state."""
        return (self.snapshot.version, self.state.fingerprint())


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Once(Generic[K, V]):
    """Each key's value loaded once per request and shared by every caller (a concurrent one
    waits for the first; an error is raised to each). The first caller loads it itself: no
    batch to dispatch, which in Strawberry's `DataLoader` cost a task and two event-loop
    turns per load on the hot path, for nothing to batch (each resolver loads its own list,
    and several root fields still load theirs at once)."""

    def __init__(self, load: Callable[[K], Awaitable[V]]) -> None:
        self._load = load
        self._loaded: dict[K, asyncio.Future[V]] = {}

    async def load(self, key: K) -> V:
        loaded = self._loaded.get(key)
        if loaded is not None:
            return await loaded
        loaded = self._loaded[key] = asyncio.get_running_loop().create_future()
        try:
            value = await self._load(key)
        except asyncio.CancelledError:
            del self._loaded[key]  # the next caller loads it again
            loaded.cancel()
            raise
        except BaseException as exc:
            loaded.set_exception(exc)
            loaded.exception()  # retrieved: raised here, and to each later caller
            raise
        loaded.set_result(value)
        return value


@dataclass(frozen=True, slots=True)
class Loaders:
    """Built for each request in `get_context`, never shared between requests."""

    catalog_state: Once[str, CatalogState]
    live_list: Once[tuple[str, bool], LiveList]

    @classmethod
    def for_request(cls, catalog: Catalog) -> Loaders:
        states: Once[str, CatalogState] = Once(catalog.state)

        async def load_list(key: tuple[str, bool]) -> LiveList:
            slug, use_cache = key
            state = await states.load(slug)
            provider = catalog.resolve(slug, state.provider)
            snapshot = await catalog.snapshot(provider, use_cache=use_cache)
            return LiveList(provider, snapshot, state)

        return cls(catalog_state=states, live_list=Once(load_list))
