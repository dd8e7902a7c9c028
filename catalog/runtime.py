"""Opening everything the catalog needs, in order, and closing it in reverse; migrating the
database it uses.

Used by the server's lifespan and by the CLI, so both run the very same service.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp

from catalog.cache import open_list_cache
from catalog.clock import Clock
from catalog.service import Catalog
from catalog.watch.endpoints import PublicResolver
from providers import Registry, discover
from settings import Settings
from storage.database import migrate, open_database


@asynccontextmanager
async def open_catalog(
    settings: Settings,
    *,
    migrate: bool | None = None,
    kinds: Registry | None = None,
    clock: Clock = time.time,
) -> AsyncIterator[Catalog]:
    """Database (migrated first when `migrate`, default `settings.migrate_on_start`), then
    one shared HTTP session, then the list cache. The provider kinds are discovered here,
    once per process, unless `kinds` are given; `clock` is the time they all read."""
    migrate = bool(settings.migrate_on_start) if migrate is None else migrate
    async with open_database(settings.database_url, migrate_schema=migrate):
        connector = aiohttp.TCPConnector(limit=100, ttl_dns_cache=300)
        async with aiohttp.ClientSession(
            connector=connector,
            headers={"User-Agent": "ai-model-sync/0.1"},
            raise_for_status=False,
        ) as http:
            cache = open_list_cache(settings.cache_url, settings.cache_namespace, clock)
            try:
                kinds = discover() if kinds is None else kinds
                async with webhook_session(settings) as hooks:
                    yield Catalog(settings, http, cache, kinds, clock, hooks)
            finally:
                await cache.close()


def webhook_session(settings: Settings) -> aiohttp.ClientSession:
    """Webhooks' own session: unless `WEBHOOK_ALLOW_PRIVATE`, its resolver refuses every
    address that is not public (see `catalog.watch.endpoints`)."""
    resolver = None if settings.webhook_allow_private else PublicResolver()
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=20, resolver=resolver),
        headers={"User-Agent": "ai-model-sync-webhooks/0.1"},
    )


async def migrate_database(settings: Settings, target: str | None = None) -> list[str]:
    """Apply the migrations up to `target` (default: the latest); the names applied."""
    async with open_database(settings.database_url):
        return await migrate(target, url=settings.database_url)
