"""The typed records that leave `storage`: what the catalog and the schema get back instead
of ORM rows (which never leave this package, so nothing above it lazy-loads a relation)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class ProviderRecord:
    """A stored provider instance, as the catalog needs it: the key stays encrypted here and
    is decrypted only where a request to the provider is made (`Catalog.resolve`)."""

    id: int
    slug: str
    kind: str
    display_name: str
    base_url: str | None
    api_key_encrypted: str | None
    api_key_last4: str | None
    ttl: int | None
    is_active: bool

    def __repr__(self) -> str:  # the ciphertext is no secret, but it is noise in a log line
        key = "set" if self.api_key_encrypted else "none"
        return f"ProviderRecord(slug={self.slug!r}, kind={self.kind!r}, key={key})"


@dataclass(frozen=True, slots=True)
class SavedState:
    """What the live list shows of a saved model: that it is saved, its row id, its flag."""

    db_id: int
    is_active: bool


@dataclass(frozen=True, slots=True)
class CatalogState:
    """A provider's stored instance (if any) and which of its models are saved."""

    provider: ProviderRecord | None
    saved: Mapping[str, SavedState] = field(default_factory=dict)

    def fingerprint(self) -> tuple[object, ...]:
        """Changes whenever anything this state shows changes: a key for cached results."""
        return (self.provider, tuple(sorted(self.saved.items())))


@dataclass(frozen=True, slots=True)
class ModelValues:
    """The figures stored for a model; `capabilities` are capability names."""

    model_id: str
    name: str
    description: str | None
    capabilities: Sequence[str]
    input_price: Decimal | None
    output_price: Decimal | None
    context_window: int | None
    max_output_tokens: int | None
    sources: Mapping[str, str]
    raw: Mapping[str, Any]


PROVIDER_FIELDS = (
    "id",
    "slug",
    "kind",
    "display_name",
    "base_url",
    "api_key_encrypted",
    "api_key_last4",
    "ttl",
    "is_active",
)
