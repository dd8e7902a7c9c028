"""Who may do what: the permissions, and bearer tokens checked against their stored hashes.

Shared by the GraphQL schema (its permission classes), the server (who is calling) and the CLI
(`token create --permission`), none of which needs the others for it.

A token's lookup is remembered for `token_cache_ttl` seconds so that the catalog's hot path
makes one database query per request (its own), not two; a revoked token stops working within
that many seconds.

>>> Principal("dashboard", frozenset({READ})).may(MANAGE)
False
>>> Principal("admin", frozenset({MANAGE})).may(READ)
True
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from catalog.clock import Clock
from errors import InvalidInputError
from storage import tokens

MANAGE = "ai.manage"
READ = "ai.read"
PERMISSIONS = (MANAGE, READ)


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller. `ai.manage` implies `ai.read`."""

    name: str
    permissions: frozenset[str]

    def may(self, permission: str) -> bool:
        return permission in self.permissions or (permission == READ and MANAGE in self.permissions)


async def create_token(name: str, permissions: Iterable[str]) -> str:
    """A new bearer token for `name`, returned in clear this once (stored as its hash)."""
    unknown = set(permissions) - set(PERMISSIONS)
    if unknown:
        raise InvalidInputError(f"unknown permissions: {', '.join(sorted(unknown))}")
    return await tokens.create_token(name, permissions)


async def revoke_tokens(name: str) -> int:
    """Revoke every live token of that name; the number revoked."""
    return await tokens.revoke_tokens(name)


class TokenCache:
    """Token hash -> principal (or `None` for an unknown token), for `ttl` seconds."""

    def __init__(self, ttl: float, clock: Clock = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._entries: dict[str, tuple[float, Principal | None]] = {}

    async def principal(self, authorization: str | None) -> Principal | None:
        token = _bearer(authorization)
        if token is None:
            return None
        key = tokens.hash_token(token)
        now = self._clock()
        hit = self._entries.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        record = await tokens.find_token(token)
        principal = Principal(record.name, record.permissions) if record else None
        if len(self._entries) > 10_000:
            self._entries.clear()  # bounded: a flood of random tokens cannot grow memory
        self._entries[key] = (now + self.ttl, principal)
        return principal


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None
