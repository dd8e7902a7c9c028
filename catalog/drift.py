"""Drift: how the models an admin saved differ from what the provider lists right now.

Pure: `compare` takes the stored figures and a live `Snapshot` and returns a `DriftReport`, with
no I/O, so the GraphQL schema, the CLI and the sync share one definition of "changed".

Per saved model the report says:

- `MISSING` when the upstream no longer lists it. A missing model that is *active* is the loud
  case (`active_missing`): requests the app sends to it will fail.
- `UNLISTED` instead of `MISSING` when the provider's list is a bounded selection
  (`ProviderSpec.complete_list` false: Hugging Face's most downloaded models per task): a model
  absent from it may still be offered, so it raises no alarm. Likewise for a model an admin
  saved as unlisted (a fine-tune, a private deployment): no list ever had it.
- `CHANGED` when a *material* figure a sync would apply differs (`storage.figures` marks
  each `compared` one: input/output price, context window, max output tokens, capabilities
  are material; name and description are cosmetic; an admin's display name, notes and tags
  are not compared at all). Each `FieldChange` holds the stored and
  the live value and says whether it is `material`: a cosmetic one is reported (and a sync
  applies it along with a material one) but alone never makes a model `CHANGED`: OpenRouter
  shortened its descriptions between 2025-05 and 2026-08, which is no drift. Capabilities an
  admin set by hand are reported too, marked `overridden`, but a sync keeps them, so they
  alone never make a model `CHANGED` (else it would never stop drifting).
- `UNCHANGED` otherwise.

Independently, a listed model whose `expires_at` falls within `retire_within` of `now` (or has
passed) is `retiring`: the upstream announced its removal.

Prices compare as the database stores them (6 decimal places), so `0.150000` equals `0.15`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, assert_never, cast

from catalog.snapshot import Snapshot
from providers import ModelRecord, normalize
from storage.figures import CAPABILITIES, COMPARED, PRICE_PLACES, Figure, Kind
from storage.records import StoredModel

DEFAULT_RETIRE_WITHIN = timedelta(days=30)
MAX_RETIRE_WITHIN_DAYS = 3650
_PRICE_QUANTUM = Decimal(1).scaleb(-PRICE_PLACES)

Value = str | Decimal | int | tuple[str, ...] | None
"""A figure's value: text, an exact price, a token count, capability names, or unknown."""


class DriftStatus(StrEnum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    MISSING = "missing"
    UNLISTED = "unlisted"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One figure that differs: what is stored (`old`) and what the upstream says now (`new`).

    `field` is the figure's name (`storage.figures`); `overridden`: the stored value was set by
    an admin and a sync keeps it; `material`: false for a cosmetic figure (name, description).
    `since` is when a price changed, where a catalog knows it (o3: 10/40 -> 2/8 on 2025-06-10).
    """

    field: str
    old: Value
    new: Value
    overridden: bool = False
    material: bool = True
    source: str | None = None
    """Where the live value came from (`pricing.prompt`, `catalog:genai-prices@0.2.3`)."""
    since: date | None = None
    """For a price a catalog dates: the day the live price took effect."""

    @property
    def counts(self) -> bool:
        """Whether this change makes its model `CHANGED`: material, and not kept by a sync."""
        return self.material and not self.overridden


@dataclass(frozen=True, slots=True)
class ModelDrift:
    """One saved model against the live list."""

    saved: StoredModel
    status: DriftStatus
    changes: tuple[FieldChange, ...] = ()
    expires_at: datetime | None = None
    retiring: bool = False
    replacement_model_id: str | None = None
    """The successor the provider names (live, else as saved): where to move the app to."""

    @property
    def model_id(self) -> str:
        return self.saved.model_id

    @property
    def db_id(self) -> int:
        return self.saved.db_id

    @property
    def is_active(self) -> bool:
        return self.saved.is_active

    @property
    def active_missing(self) -> bool:
        """The upstream no longer offers a model the app uses: requests to it will fail."""
        return self.status is DriftStatus.MISSING and self.saved.is_active


@dataclass(frozen=True, slots=True)
class DriftReport:
    """Every saved model of a provider compared with one live list, most urgent first."""

    provider: str
    fetched_at: datetime
    stale: bool
    error: str | None
    retire_within: timedelta
    now: datetime
    models: tuple[ModelDrift, ...]
    complete_list: bool = True

    def with_status(self, status: DriftStatus) -> tuple[ModelDrift, ...]:
        return tuple(model for model in self.models if model.status is status)

    @property
    def changed(self) -> tuple[ModelDrift, ...]:
        return self.with_status(DriftStatus.CHANGED)

    @property
    def unchanged(self) -> tuple[ModelDrift, ...]:
        return self.with_status(DriftStatus.UNCHANGED)

    @property
    def missing(self) -> tuple[ModelDrift, ...]:
        return self.with_status(DriftStatus.MISSING)

    @property
    def unlisted(self) -> tuple[ModelDrift, ...]:
        return self.with_status(DriftStatus.UNLISTED)

    @property
    def active_missing(self) -> tuple[ModelDrift, ...]:
        return tuple(model for model in self.models if model.active_missing)

    @property
    def retiring(self) -> tuple[ModelDrift, ...]:
        return tuple(model for model in self.models if model.retiring)

    def warnings(self) -> list[str]:
        """What an admin must act on, one sentence each, the most urgent first."""
        found = [
            f"ACTIVE model {m.model_id!r} is no longer offered by {self.provider}: "
            "requests to it will fail"
            for m in self.active_missing
        ]
        for model in self.retiring:
            assert model.expires_at is not None
            when = model.expires_at.date().isoformat()
            tense = "retired on" if model.expires_at <= self.now else "retires on"
            active = "active " if model.is_active else ""
            found.append(f"{active}model {model.model_id!r} {tense} {when} ({self.provider})")
        selection = [m for m in self.unlisted if not m.saved.unlisted]
        if selection:
            found.append(
                f"{len(selection)} saved models are not in {self.provider}'s list, which "
                "holds only a selection of its models: they may still be offered"
            )
        if self.stale:
            found.append(
                f"compared with a stale copy of {self.provider}'s list, fetched "
                f"{self.fetched_at:%Y-%m-%d %H:%M} UTC ({self.error})"
            )
        return found


def compare(
    saved: Iterable[StoredModel],
    snapshot: Snapshot,
    *,
    now: datetime,
    retire_within: timedelta = DEFAULT_RETIRE_WITHIN,
    complete_list: bool = True,
) -> DriftReport:
    """The drift of every saved model against `snapshot` (see the module docstring)."""
    horizon = now + retire_within
    models = [
        compare_model(model, snapshot.by_id, horizon=horizon, complete_list=complete_list)
        for model in saved
    ]
    models.sort(key=_urgency)
    return DriftReport(
        provider=snapshot.provider,
        fetched_at=snapshot.fetched_at_datetime,
        stale=snapshot.stale,
        error=snapshot.error,
        retire_within=retire_within,
        now=now,
        models=tuple(models),
        complete_list=complete_list,
    )


def compare_model(
    saved: StoredModel,
    live: Mapping[str, ModelRecord],
    *,
    horizon: datetime,
    complete_list: bool = True,
) -> ModelDrift:
    """One saved model against the live list; `horizon`: retirements up to then are warned."""
    record = live.get(saved.model_id)
    if record is None:
        missing = complete_list and not saved.unlisted
        status = DriftStatus.MISSING if missing else DriftStatus.UNLISTED
        return ModelDrift(saved, status, replacement_model_id=_saved_replacement(saved))
    changes = tuple(_changes(saved, record))
    status = (
        DriftStatus.CHANGED if any(change.counts for change in changes) else DriftStatus.UNCHANGED
    )
    expires = record.expires_at
    return ModelDrift(
        saved,
        status,
        changes,
        expires_at=expires,
        retiring=expires is not None and expires <= horizon,
        replacement_model_id=record.replacement_model_id or _saved_replacement(saved),
    )


def _saved_replacement(saved: StoredModel) -> str | None:
    value = saved.figures.get("replacement_model_id")
    return value if isinstance(value, str) else None


def price_since(record: ModelRecord, field: str, price: Value) -> date | None:
    """The day `record`'s catalog says its `field` price became `price` (latest such day)."""
    if field not in ("input_price", "output_price") or not isinstance(price, Decimal):
        return None
    days = [
        point.since
        for point in record.price_history
        if point.since is not None and getattr(point, field) == price
    ]
    return max(days, default=None)


def _changes(saved: StoredModel, record: ModelRecord) -> Iterable[FieldChange]:
    for figure in COMPARED:
        old = comparable(figure, saved.figures[figure.name])
        new = comparable(figure, figure.column_value(figure.read(record)))
        if old != new:
            overridden = figure.name == CAPABILITIES and saved.capabilities_overridden
            yield FieldChange(
                figure.name,
                old,
                new,
                overridden=overridden,
                source=record.sources.get(figure.name),
                since=price_since(record, figure.name, new),
                material=figure.material,
            )


def comparable(figure: Figure, value: Any) -> Value:
    """A figure's value as stored (prices to 6 places) and shown: a price as `2.5` or `10`
    (never `1E+1` or `2.500000`), capabilities as a sorted tuple of names."""
    match figure.kind:
        case Kind.PRICE:
            return None if value is None else normalize(Decimal(value).quantize(_PRICE_QUANTUM))
        case Kind.CAPABILITIES:
            return tuple(sorted(value or ()))
        case Kind.TAGS:
            return tuple(value or ())
        case Kind.TEXT | Kind.LONG_TEXT | Kind.TOKENS | Kind.LABEL:
            return cast(Value, value)
        case Kind.MAPPING:
            raise ValueError(f"figure {figure.name!r}: a JSON object is not compared")
    assert_never(figure.kind)


def _urgency(model: ModelDrift) -> tuple[int, str]:
    rank = {
        DriftStatus.MISSING: 1,
        DriftStatus.CHANGED: 2,
        DriftStatus.UNLISTED: 3,
        DriftStatus.UNCHANGED: 4,
    }
    return (0 if model.active_missing else rank[model.status], model.model_id)
