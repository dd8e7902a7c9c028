"""The typed records that leave `storage`: what the catalog and the schema get back instead
of ORM rows (which never leave this package, so nothing above it lazy-loads a relation)."""

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


@dataclass(frozen=True, slots=True)
class AuditChange:
    """One field that changed: of `model` (a model id) or of the target itself (None).
    Values are shown as text; a secret only as "set", "changed" or "removed"."""

    field: str
    before: str | None
    after: str | None
    model: str | None = None


@dataclass(slots=True)
class AuditDraft:
    """An entry being written: the operation fills in the models and changes as it goes,
    and `storage.audit.recorded` inserts it just before its transaction commits."""

    actor: str
    via: str
    operation: str
    request_id: str | None = None
    provider: str | None = None
    model_ids: list[str] = field(default_factory=list)
    changes: list[AuditChange] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """An entry of the audit log as written."""

    id: int
    at: datetime
    actor: str
    via: str
    request_id: str | None
    operation: str
    provider: str | None
    model_ids: tuple[str, ...]
    changes: tuple[AuditChange, ...]
    details: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which entries to read; every field is optional (`since` inclusive, `until` not)."""

    actor: str | None = None
    provider: str | None = None
    model: str | None = None
    operation: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class SyncRunRecord:
    """One refresh of a provider's list, as the sync log shows it."""

    id: int
    provider: str
    trigger: str
    started_at: datetime
    duration_ms: int
    outcome: str
    models: int | None
    added: int
    removed: int
    changed: int
    cosmetic: int
    baseline: bool
    error: str | None


SYNC_RUN_FIELDS = tuple(SyncRunRecord.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """A change-feed entry: a model that appeared, vanished or changed in run `run_id`;
    `fields` holds `{field, old, new, material}` per figure that differs."""

    id: int
    run_id: int
    provider: str
    model_id: str
    kind: str
    name: str
    fields: Sequence[Mapping[str, Any]]
    at: datetime


@dataclass(frozen=True, slots=True)
class WebhookEndpointRecord:
    """A registered endpoint; its secret stays encrypted here (decrypted only to sign)."""

    id: int
    url: str
    description: str
    secret_encrypted: str
    events: tuple[str, ...]
    is_active: bool
    created_at: datetime

    def __repr__(self) -> str:
        return f"WebhookEndpointRecord(id={self.id}, url={self.url!r})"


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """One event's delivery to one endpoint: the outbox row and its log."""

    id: int
    endpoint_id: int
    url: str
    message_id: str
    event_type: str
    payload: Mapping[str, Any]
    status: str
    attempts: int
    next_attempt_at: datetime
    response_status: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
