"""API tokens: stored as their SHA-256, so the clear token exists only in the caller's hands."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from storage.models import ApiToken


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """Who a bearer token belongs to and what it may do."""

    id: int
    name: str
    permissions: frozenset[str]


def hash_token(token: str) -> str:
    """Tokens are 256-bit random strings, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(name: str, permissions: Iterable[str]) -> str:
    """Create a token and return it in clear: the only time it is ever visible."""
    token = f"ams_{secrets.token_urlsafe(32)}"
    await ApiToken.create(
        name=name, token_hash=hash_token(token), permissions=sorted(set(permissions))
    )
    return token


async def find_token(token: str) -> TokenRecord | None:
    row = await ApiToken.get_or_none(token_hash=hash_token(token), revoked_at=None)
    if row is None:
        return None
    return TokenRecord(row.id, row.name, frozenset(row.permissions))


async def revoke_tokens(name: str) -> int:
    """Revoke every live token of that name; the number revoked."""
    return int(
        await ApiToken.filter(name=name, revoked_at=None).update(revoked_at=datetime.now(UTC))
    )
