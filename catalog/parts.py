"""What `Curation`, `Probes` and `Transfer` use of the catalog: the parts one process wires
together and the reads, named as a `Protocol`, so that they take the core without importing
`catalog.core`, which builds them (`CatalogCore` has all of it; mypy checks where it hands
itself over)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import aiohttp

    from catalog.audit import AuditLog
    from catalog.clock import Clock
    from catalog.resolve import ResolvedProvider
    from catalog.snapshot import Snapshot
    from providers import Registry
    from settings import Settings
    from storage.records import CatalogState, ProviderRecord


class Parts(Protocol):
    """The catalog's core as its parts see it (`catalog.core.CatalogCore`)."""

    settings: Settings
    kinds: Registry
    clock: Clock
    audit: AuditLog
    http: aiohttp.ClientSession

    async def state(self, slug: str) -> CatalogState:
        """The provider's stored instance and which of its models are saved."""
        ...

    def resolve(self, slug: str, stored: ProviderRecord | None) -> ResolvedProvider:
        """Slug -> endpoint, TTL, key (`catalog.resolve`)."""
        ...

    async def snapshot(self, provider: ResolvedProvider, *, use_cache: bool = True) -> Snapshot:
        """The provider's list (`catalog.live`)."""
        ...
