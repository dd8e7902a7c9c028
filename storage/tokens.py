"""API tokens: created, found, noted as used, listed and revoked.

A token is `ams_` and 43 URL-safe characters (256 random bits); only its SHA-256 is stored, so
the clear token is visible once, at creation. A token may expire; one that has expired or been
revoked is never found. When a token was last used is kept to within a minute: `note_use`
writes at most once a minute per token, and the server calls it only when its token cache
misses, so requests do not each add a write.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Q

from storage.models import ApiToken

USE_RESOLUTION = timedelta(minutes=1)
"""How precisely `last_used_at` is kept: a use within this of the last one is not written."""
_FORMAT = re.compile(r"ams_[A-Za-z0-9_-]{43}")


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """Who a bearer token belongs to, what it may do, until when, and when it was last used."""

    id: int
    name: str
    permissions: frozenset[str]
    expires_at: datetime | None = None
    last_used_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """A token as `token list` shows it (never the token itself, which is not stored)."""

    name: str
    permissions: tuple[str, ...]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    def state(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


def hash_token(token: str) -> str:
    """Tokens are 256-bit random strings, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


def well_formed(token: str) -> bool:
    """Whether `token` could be one of ours: anything else is refused without a query.

    >>> well_formed("ams_" + "x" * 43), well_formed("ams_short"), well_formed("Bearer x")
    (True, False, False)
    """
    return _FORMAT.fullmatch(token) is not None


async def create_token(
    name: str, permissions: Iterable[str], *, expires_at: datetime | None = None
) -> str:
    """Create a token and return it in clear: the only time it is ever visible."""
    token = f"ams_{secrets.token_urlsafe(32)}"
    await ApiToken.create(
        name=name,
        token_hash=hash_token(token),
        permissions=sorted(set(permissions)),
        expires_at=expires_at,
    )
    return token


async def find_token(token: str, now: datetime) -> TokenRecord | None:
    """The live token `token` is (not revoked, not expired at `now`), or None."""
    row = await ApiToken.get_or_none(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        token_hash=hash_token(token),
        revoked_at=None,
    )
    if row is None:
        return None
    return TokenRecord(
        row.id, row.name, frozenset(row.permissions), row.expires_at, row.last_used_at
    )


async def note_use(record: TokenRecord, now: datetime) -> None:
    """Record that `record` was used at `now`, unless a use within a minute is recorded."""
    if record.last_used_at is not None and now - record.last_used_at < USE_RESOLUTION:
        return
    await ApiToken.filter(id=record.id).update(last_used_at=now)


async def list_tokens() -> list[TokenInfo]:
    """Every token, revoked and expired ones included, oldest first."""
    rows = await ApiToken.all().order_by("created_at", "id")
    return [
        TokenInfo(
            name=row.name,
            permissions=tuple(row.permissions),
            created_at=row.created_at,
            expires_at=row.expires_at,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
        )
        for row in rows
    ]


async def revoke_tokens(name: str, now: datetime) -> int:
    """Revoke every live token of that name; the number revoked."""
    return int(await ApiToken.filter(name=name, revoked_at=None).update(revoked_at=now))
