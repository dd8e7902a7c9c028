"""The typed records that leave `storage`: what the catalog and the schema get back instead
of ORM rows (which never leave this package, so nothing above it lazy-loads a relation).
The records of what happened (audit, sync log, webhooks) are in `storage.records.activity`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.figures import Figure


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

    @classmethod
    def from_values(cls, row: Mapping[str, Any]) -> ProviderRecord:
        """From a row holding `PROVIDER_FIELDS` (SQLite hands booleans back as integers)."""
        fields = {name: row[name] for name in PROVIDER_FIELDS if name != "is_active"}
        return cls(**fields, is_active=bool(row["is_active"]))

    def __repr__(self) -> str:  # the ciphertext is no secret, but it is noise in a log line
        key = "set" if self.api_key_encrypted else "none"
        return f"ProviderRecord(slug={self.slug!r}, kind={self.kind!r}, key={key})"


@dataclass(frozen=True, slots=True)
class SavedState:
    """What the live list shows of a saved model: that it is saved, its row id, its flag,
    and the name an admin gave it."""

    db_id: int
    is_active: bool
    display_name: str | None = None


class Fingerprint(tuple[object, ...]):
    """A tuple hashed once: a result cache's key holds one, hashed on every lookup."""

    _hash: int

    def __new__(cls, items: Iterable[object]) -> Fingerprint:
        made = super().__new__(cls, items)
        made._hash = tuple.__hash__(made)
        return made

    def __hash__(self) -> int:
        return self._hash


@dataclass(frozen=True, slots=True)
class CatalogState:
    """A provider's stored instance (if any) and which of its models are saved."""

    provider: ProviderRecord | None
    saved: Mapping[str, SavedState] = field(default_factory=dict)
    _fingerprint: Fingerprint | None = field(default=None, init=False, repr=False, compare=False)

    def fingerprint(self) -> tuple[object, ...]:
        """Changes whenever anything this state shows changes: a key for cached results
        (made once per state, and hashed once: `storage.state` hands an unchanged one back)."""
        made = self._fingerprint
        if made is None:
            made = Fingerprint((self.provider, tuple(sorted(self.saved.items()))))
            object.__setattr__(self, "_fingerprint", made)
        return made


@dataclass(frozen=True, slots=True)
class ModelValues:
    """What a save writes for one model: its id and a value for each figure read from its
    live record (`storage.figures`), by figure name; capabilities as capability names."""

    model_id: str
    figures: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ProbeSummary:
    """A saved model's last probe and the p50/p95 latency of its recent successful ones."""

    ok: bool | None  # None: claimed, its request not answered yet
    at: datetime
    status: int | None = None
    latency_ms: float | None = None
    error: str | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None

    @property
    def failed(self) -> bool:
        """The last probe answered with an error (routing skips the model)."""
        return self.ok is False


@dataclass(frozen=True, slots=True)
class StoredModel:
    """A saved model as stored: its row, its flags, and the figures read, by figure name
    (every stored figure, unless the query that read it asked for fewer)."""

    db_id: int
    provider: str
    model_id: str
    is_active: bool
    capabilities_overridden: bool
    created_at: datetime
    updated_at: datetime
    figures: Mapping[str, Any]
    unlisted: bool = False
    probe: ProbeSummary | None = None

    @classmethod
    def from_values(
        cls, row: Mapping[str, Any], figures: Sequence[Figure], provider: str, prefix: str = ""
    ) -> StoredModel:
        """From a `.values(*stored_columns(figures, prefix))` row; `prefix` is `models__`
        when the row was read through its provider."""
        return cls(
            db_id=int(row[f"{prefix}id"]),
            provider=provider,
            model_id=str(row[f"{prefix}model_id"]),
            is_active=bool(row[f"{prefix}is_active"]),
            capabilities_overridden=bool(row[f"{prefix}capabilities_overridden"]),
            created_at=row[f"{prefix}created_at"],
            updated_at=row[f"{prefix}updated_at"],
            figures={figure.name: row[f"{prefix}{figure.column}"] for figure in figures},
            unlisted=bool(row[f"{prefix}unlisted"]),
            probe=_probe(row, prefix),
        )


def _probe(row: Mapping[str, Any], prefix: str) -> ProbeSummary | None:
    at = row[f"{prefix}probed_at"]
    if at is None:
        return None
    ok = row[f"{prefix}probe_ok"]
    values = {name: row[f"{prefix}probe_{name}"] for name in _PROBE_FIGURES}
    return ProbeSummary(ok=None if ok is None else bool(ok), at=at, **values)


_PROBE_FIGURES = ("status", "latency_ms", "error", "p50_ms", "p95_ms")
_OWN = (
    "id",
    "model_id",
    "is_active",
    "capabilities_overridden",
    "unlisted",
    "created_at",
    "updated_at",
    "probed_at",
    "probe_ok",
    *(f"probe_{name}" for name in _PROBE_FIGURES),
)


def stored_columns(figures: Sequence[Figure], prefix: str = "") -> list[str]:
    """The columns `StoredModel.from_values` reads."""
    return [f"{prefix}{name}" for name in _OWN] + [f"{prefix}{f.column}" for f in figures]


@dataclass(frozen=True, slots=True)
class SlotRecord:
    """A slot with its saved models, in order (each with the figures GraphQL shows)."""

    name: str
    capability: str | None
    models: tuple[StoredModel, ...]


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
