"""Who is calling: bearer tokens checked against their stored hashes.

A token's lookup is remembered for `token_cache_ttl` seconds so that the catalog's hot path
makes one database query per request (its own), not two; a revoked token stops working within
that many seconds, an expired one at once (its expiry is kept with it). Only a lookup, which
happens when this cache misses, may note the token as used (`storage.tokens.note_use`, itself
at most once a minute), so a request never adds a write. Something that is not one of our
tokens (`ams_` and 43 characters) is refused without a query: a flood of random strings costs
the database nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from storage import tokens

MANAGE = "ai.manage"
READ = "ai.read"
PERMISSIONS = (MANAGE, READ)
AUTHENTICATION_REQUIRED = (
    "authentication required: send 'Authorization: Bearer <token>' "
    "(create a token with `ai-model-sync token create`)"
)


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller. `ai.manage` implies `ai.read`."""

    name: str
    permissions: frozenset[str]
    expires_at: datetime | None = None

    def may(self, permission: str) -> bool:
        return permission in self.permissions or (permission == READ and MANAGE in self.permissions)


def _now() -> datetime:
    return datetime.now(UTC)


class TokenCache:
    """Token hash -> principal (or `None` for an unknown token), for a few seconds.

    `clock` (wall time, for expiries and last use) and `monotonic` (for this cache's own
    entries) are injected so tests can move time instead of waiting for it.
    """

    def __init__(
        self,
        ttl: float,
        *,
        clock: Callable[[], datetime] = _now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.clock = clock
        self.monotonic = monotonic
        self._entries: dict[str, tuple[float, Principal | None]] = {}

    async def principal(self, authorization: str | None) -> Principal | None:
        token = _bearer(authorization)
        if token is None or not tokens.well_formed(token):
            return None
        key = tokens.hash_token(token)
        now, wall = self.monotonic(), self.clock()
        hit = self._entries.get(key)
        if hit is not None and hit[0] > now:
            return _unexpired(hit[1], wall)
        record = await tokens.find_token(token, wall)
        principal = None
        if record is not None:
            principal = Principal(record.name, record.permissions, record.expires_at)
            await tokens.note_use(record, wall)
        if len(self._entries) > 10_000:
            self._entries.clear()  # bounded: a flood of random tokens cannot grow memory
        self._entries[key] = (now + self.ttl, principal)
        return principal


def _unexpired(principal: Principal | None, now: datetime) -> Principal | None:
    if principal is None or principal.expires_at is None or principal.expires_at > now:
        return principal
    return None


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None
