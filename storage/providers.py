"""Provider instances as data: adding, changing and listing them, and re-encrypting keys.

Keys arrive here already encrypted; this module never sees one in clear.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from errors import InvalidInputError, NotFoundError
from storage.models import Provider
from storage.records import PROVIDER_FIELDS, ProviderRecord

UPDATABLE = frozenset(
    {"display_name", "base_url", "api_key_encrypted", "api_key_last4", "ttl", "is_active"}
)


async def create_provider(values: Mapping[str, Any]) -> ProviderRecord:
    """Insert a new instance; a taken slug is the caller's error (the unique index decides,
    so two admins adding the same slug at once get one row and one clear error)."""
    try:
        row = await Provider.create(**values)
    except IntegrityError as exc:
        raise InvalidInputError(
            f"a provider with slug {values['slug']!r} already exists; "
            "change it with updateProvider or choose another slug"
        ) from exc
    return await get_provider_record(row.slug)


async def update_provider(slug: str, changes: Mapping[str, Any]) -> ProviderRecord:
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    updated = await Provider.filter(slug=slug).update(**changes, updated_at=datetime.now(UTC))
    if not updated:
        raise NotFoundError(f"no stored provider {slug!r}")
    return await get_provider_record(slug)


async def get_provider_record(slug: str) -> ProviderRecord:
    record = await find_provider_record(slug)
    if record is None:
        raise NotFoundError(f"no stored provider {slug!r}")
    return record


async def find_provider_record(slug: str) -> ProviderRecord | None:
    """The stored instance `slug`, or None (a registry provider nothing was saved of yet):
    the provider row alone, where `storage.state` reads its saved models too."""
    rows = await Provider.filter(slug=slug).values(*PROVIDER_FIELDS)
    return ProviderRecord.from_values(rows[0]) if rows else None


async def list_providers() -> list[ProviderRecord]:
    rows = await Provider.all().order_by("slug").values(*PROVIDER_FIELDS)
    return [ProviderRecord.from_values(row) for row in rows]


async def encrypted_keys() -> list[tuple[int, str]]:
    """(row id, ciphertext) of every stored key."""
    rows = await Provider.filter(api_key_encrypted__isnull=False).values_list(
        "id", "api_key_encrypted"
    )
    return [(int(row_id), str(token)) for row_id, token in rows]


async def replace_encrypted_keys(tokens: Sequence[tuple[int, str]]) -> None:
    """Store re-encrypted keys, all or none."""
    async with in_transaction():
        for row_id, token in tokens:
            await Provider.filter(id=row_id).update(api_key_encrypted=token)
