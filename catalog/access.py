"""Who may do what: the permissions, and bearer tokens checked against their stored hashes.

Shared by the GraphQL schema (its permission classes), the server (who is calling) and the CLI
(`token create --permission`), none of which needs the others for it.

A token's lookup is remembered for `token_cache_ttl` seconds so that the catalog's hot path
makes one database query per request (its own), not two; a revoked token stops working within
that many seconds, an expired one at once (its expiry is kept with it). Only a lookup, which
happens when this cache misses, may note the token as used (`storage.tokens.note_use`, itself
at most once a minute), so a request never adds a write. Something that is not one of our
tokens (`ams_` and 43 characters) is refused without a query: a flood of random strings costs
the database nothing.

>>> Principal("dashboard", frozenset({READ})).may(MANAGE)
False
>>> Principal("admin", frozenset({MANAGE})).may(READ)
True
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from catalog.audit import Actor, AuditLog
from catalog.clock import Clock, utc
from catalog.permissions import MANAGE as MANAGE
from catalog.permissions import PERMISSIONS as PERMISSIONS
from catalog.permissions import READ as READ
from errors import InvalidInputError
from storage import tokens
from storage.tokens import TokenInfo

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


async def create_token(
    name: str, permissions: Iterable[str], *, expires_at: datetime | None = None
) -> str:
    """A new bearer token for `name`, returned in clear this once (stored as its hash)."""
    unknown = set(permissions) - set(PERMISSIONS)
    if unknown:
        raise InvalidInputError(f"unknown permissions: {', '.join(sorted(unknown))}")
    return await tokens.create_token(name, permissions, expires_at=expires_at)


async def revoke_tokens(name: str, clock: Clock = time.time) -> int:
    """Revoke every live token of that name; the number revoked."""
    return await tokens.revoke_tokens(name, utc(clock))


async def list_tokens() -> list[TokenInfo]:
    """Every token, revoked and expired ones included (never the token itself)."""
    return await tokens.list_tokens()


class TokenAdmin:
    """Creating and revoking tokens as logged changes (the CLI's `token create` / `revoke`);
    the entry names the token's name and permissions, never the token."""

    def __init__(self, audit: AuditLog, clock: Clock = time.time) -> None:
        self.audit = audit
        self.clock = clock

    async def create(
        self, actor: Actor, name: str, permissions: Iterable[str], *, expires_at: datetime | None
    ) -> str:
        wanted = sorted(set(permissions))
        async with self.audit.recording(actor, "createToken") as entry:
            token = await create_token(name, wanted, expires_at=expires_at)
            entry.details.update(name=name, permissions=wanted)
            entry.details["expiresAt"] = expires_at.isoformat() if expires_at else None
        return token

    async def revoke(self, actor: Actor, name: str) -> int:
        async with self.audit.recording(actor, "revokeTokens") as entry:
            revoked = await revoke_tokens(name, self.clock)
            entry.details.update(name=name, revoked=revoked)
        return revoked


class TokenCache:
    """Token hash -> principal (or `None` for an unknown token), for `ttl` seconds of `clock`
    (which also decides expiries and when a use is noted)."""

    def __init__(self, ttl: float, clock: Clock = time.time) -> None:
        self.ttl = ttl
        self._clock = clock
        self._entries: dict[str, tuple[float, Principal | None]] = {}

    async def principal(self, authorization: str | None) -> Principal | None:
        token = _bearer(authorization)
        if token is None or not tokens.well_formed(token):
            return None
        key = tokens.hash_token(token)
        now = self._clock()
        at = datetime.fromtimestamp(now, tz=UTC)
        hit = self._entries.get(key)
        if hit is not None and hit[0] > now:
            return _unexpired(hit[1], at)
        record = await tokens.find_token(token, at)
        principal = None
        if record is not None:
            principal = Principal(record.name, record.permissions, record.expires_at)
            await tokens.note_use(record, at)
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
