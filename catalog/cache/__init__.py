"""The list cache: one entry per provider instance and credential, shared by every request of
a process (`memory://`) or of every worker of a deployment (`redis://`).

Entries are kept for `stale_ttl` (days) although they are *fresh* only for the provider's TTL,
so an expired copy can still be served, marked stale, when the upstream fails.
"""

from __future__ import annotations

from catalog.cache.base import Failure, ListCache
from catalog.cache.memory import MemoryListCache
from catalog.clock import Clock
from errors import ConfigError

__all__ = ["Failure", "ListCache", "MemoryListCache", "open_list_cache"]


def open_list_cache(url: str, namespace: str, clock: Clock) -> ListCache:
    """The cache named by `CACHE_URL`: `memory://` (default) or `redis://host:port/db`."""
    if url.startswith("memory://"):
        return MemoryListCache(clock)
    if url.startswith("redis://"):
        from catalog.cache.redis import RedisListCache  # redis-py: only for a redis:// URL

        return RedisListCache(url, namespace=namespace, clock=clock)
    scheme = url.split("://")[0]
    raise ConfigError(f"unsupported CACHE_URL scheme {scheme!r}; use memory:// or redis://")
