"""A provider's model list as fetched at one moment: what the cache holds."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from catalog.clock import Clock
from providers import ModelRecord


@dataclass(frozen=True, slots=True)
class Snapshot:
    """An immutable list of models with when it was fetched and until when it is fresh.

    `version` changes with every fetch (never with a re-read), so it can key derived results.
    A `stale` snapshot is an expired copy served because the upstream failed; `error` says how.
    """

    provider: str
    models: tuple[ModelRecord, ...]
    fetched_at: float
    fresh_until: float
    version: str = field(default_factory=lambda: uuid.uuid4().hex)
    stale: bool = False
    error: str | None = None
    by_id: Mapping[str, ModelRecord] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {model.id: model for model in self.models})

    @classmethod
    def fetched_now(
        cls, provider: str, models: list[ModelRecord], ttl: float, clock: Clock
    ) -> Snapshot:
        now = clock()
        return cls(provider=provider, models=tuple(models), fetched_at=now, fresh_until=now + ttl)

    @property
    def fetched_at_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.fetched_at, tz=UTC)

    def is_fresh(self, now: float) -> bool:
        return now < self.fresh_until

    def as_stale(self, error: str) -> Snapshot:
        # the error is part of the version: results cached for one failure never show another
        digest = hashlib.sha256(error.encode()).hexdigest()[:12]
        return replace(self, stale=True, error=error, version=f"{self.version}:stale:{digest}")
