"""The per-request loaders of this domain: a provider's live list with its saved state.

Both the result cache (deciding whether a stored response still holds) and the resolvers go
through them, so a request reads the database once and the cache once, whoever asks first.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from catalog.resolve import ResolvedProvider
from catalog.service import Catalog
from catalog.snapshot import Snapshot
from errors import ServiceError
from storage.records import CatalogState


@dataclass(frozen=True, slots=True)
class LiveList:
    provider: ResolvedProvider
    snapshot: Snapshot
    state: CatalogState

    def fingerprint(self) -> tuple[object, ...]:
        """Whatever this list shows is a function of these: the fetch and the saved state."""
        return (self.snapshot.version, self.state.fingerprint())


@dataclass(frozen=True, slots=True)
class Loaders:
    """Built for each request in `get_context`, never shared between requests."""

    catalog_state: DataLoader[str, CatalogState]
    live_list: DataLoader[tuple[str, bool], LiveList]

    @classmethod
    def for_request(cls, catalog: Catalog) -> Loaders:
        async def load_states(slugs: list[str]) -> list[CatalogState]:
            return [await catalog.state(slug) for slug in slugs]

        states: DataLoader[str, CatalogState] = DataLoader(load_fn=load_states)

        async def load_list(slug: str, use_cache: bool) -> LiveList | BaseException:
            try:
                state = await states.load(slug)
                provider = catalog.resolve(slug, state.provider)
                snapshot = await catalog.snapshot(provider, use_cache=use_cache)
            except ServiceError as exc:
                return exc
            return LiveList(provider, snapshot, state)

        async def load_lists(keys: list[tuple[str, bool]]) -> list[LiveList | BaseException]:
            if len(keys) == 1:  # the usual request: no task to create
                return [await load_list(*keys[0])]
            # several providers in one query are fetched at once: a slow one delays no other
            return list(await asyncio.gather(*(load_list(*key) for key in keys)))

        return cls(catalog_state=states, live_list=DataLoader(load_fn=load_lists))
