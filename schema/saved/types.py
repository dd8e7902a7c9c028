"""GraphQL types of saved models. `SavedModel`'s figures are not written out here: one field
per figure `storage.figures` marks `shown`, added by `with_figures`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar, assert_never

import strawberry
from strawberry.scalars import JSON

from providers import normalize
from schema.enums import Capability
from storage.figures import SHOWN, Kind
from storage.records import ProbeSummary, StoredModel


def _annotation(kind: Kind) -> object:
    """The GraphQL type of a figure of `kind`."""
    match kind:
        case Kind.TEXT:
            return str
        case Kind.LONG_TEXT | Kind.LABEL:
            return str | None
        case Kind.TAGS:
            return list[str]
        case Kind.CAPABILITIES:
            return list[Capability]
        case Kind.PRICE:
            return Decimal | None
        case Kind.TOKENS:
            return int | None
        case Kind.MAPPING:
            return JSON
    assert_never(kind)


def _shown(kind: Kind, value: Any) -> Any:
    """A stored value as GraphQL shows it: `0.150000` -> `0.15` (as the live list shows it);
    capability names this release does not know are left out."""
    match kind:
        case Kind.PRICE:
            return None if value is None else normalize(value)
        case Kind.CAPABILITIES:
            return [Capability(name) for name in value if name in _KNOWN]
        case Kind.TAGS:
            return list(value or ())
        case Kind.TEXT | Kind.LONG_TEXT | Kind.TOKENS | Kind.MAPPING | Kind.LABEL:
            return value
    assert_never(kind)


_KNOWN = frozenset(cap.value for cap in Capability)  # names this release knows
T = TypeVar("T")


def with_figures(after: str) -> Callable[[type[T]], type[T]]:
    """Adds a field per shown figure (`storage.figures.SHOWN`) after the field `after`,
    before strawberry reads the class: the declaration is the one place they are named."""

    def add(cls: type[T]) -> type[T]:
        if after not in cls.__annotations__:
            raise TypeError(f"{cls.__name__} has no field {after!r} to put the figures after")
        annotations: dict[str, object] = {}
        for name, annotation in cls.__annotations__.items():
            annotations[name] = annotation
            if name == after:
                for figure in SHOWN:
                    annotations[figure.name] = _annotation(figure.kind)
                    setattr(cls, figure.name, strawberry.field(description=figure.description))
        cls.__annotations__ = annotations
        return cls

    return add


@strawberry.type(description="A saved model's last probe (`testModel`) and its recent latency.")
class LastProbe:
    ok: bool | None = strawberry.field(
        description="Whether it answered; null while the probe's request is under way."
    )
    at: datetime = strawberry.field(description="When it was sent.")
    status: int | None = strawberry.field(description="The provider's HTTP status, if any.")
    latency_ms: float | None = strawberry.field(description="How long it took, in ms.")
    error: str | None = strawberry.field(description="What went wrong (never a key).")
    p50_ms: float | None = strawberry.field(
        description="Median latency of the model's recent successful probes, in ms."
    )
    p95_ms: float | None = strawberry.field(
        description="95th percentile latency of its recent successful probes, in ms."
    )

    @classmethod
    def of(cls, probe: ProbeSummary | None) -> LastProbe | None:
        if probe is None:
            return None
        return cls(
            ok=probe.ok,
            at=probe.at,
            status=probe.status,
            latency_ms=probe.latency_ms,
            error=probe.error,
            p50_ms=probe.p50_ms,
            p95_ms=probe.p95_ms,
        )


@strawberry.type(description="A model saved in the database, with the figures saved with it.")
@with_figures(after="model_id")
class SavedModel:
    db_id: strawberry.ID = strawberry.field(description="The row id.")
    provider: str = strawberry.field(description="The provider's slug.")
    model_id: str = strawberry.field(description="The provider's id for the model.")
    capabilities_overridden: bool = strawberry.field(
        description="True when an admin set the capabilities; syncs then keep them."
    )
    is_active: bool = strawberry.field(description="Whether the app may use it.")
    unlisted: bool = strawberry.field(
        description=(
            "Saved although the provider does not list it (a fine-tune, a private "
            "deployment): its figures are the admin's; drift never calls it MISSING."
        )
    )
    last_probe: LastProbe | None = strawberry.field(
        description="Its last probe (`testModel`), null when never probed."
    )
    created_at: datetime = strawberry.field(description="When it was first saved.")
    updated_at: datetime = strawberry.field(
        description="When it was last saved, or changed by a sync (a sync that finds its "
        "figures as they are leaves it)."
    )

    @classmethod
    def from_stored(cls, model: StoredModel) -> SavedModel:
        figures = {f.name: _shown(f.kind, model.figures[f.name]) for f in SHOWN}
        return cls(
            db_id=strawberry.ID(str(model.db_id)),
            provider=model.provider,
            model_id=model.model_id,
            capabilities_overridden=model.capabilities_overridden,
            is_active=model.is_active,
            unlisted=model.unlisted,
            last_probe=LastProbe.of(model.probe),
            created_at=model.created_at,
            updated_at=model.updated_at,
            **figures,
        )


@strawberry.input(description="The figures an admin gives a model its provider does not list.")
class UnlistedFiguresInput:
    name: str | None = strawberry.field(default=None, description="Its name (default: its id).")
    description: str | None = strawberry.field(default=None, description="What it is.")
    context_window: int | None = strawberry.field(
        default=None, description="Context window in tokens."
    )
    max_output_tokens: int | None = strawberry.field(
        default=None, description="Largest completion in tokens."
    )
    input_price: Decimal | None = strawberry.field(
        default=None, description="USD per 1M input tokens."
    )
    output_price: Decimal | None = strawberry.field(
        default=None, description="USD per 1M output tokens."
    )

    def given(self) -> dict[str, Any]:
        """The figures given, by figure name (`catalog.curation.GIVEN`)."""
        values = {
            "name": self.name,
            "description": self.description,
            "context_window": self.context_window,
            "max_output_tokens": self.max_output_tokens,
            "input_price": self.input_price,
            "output_price": self.output_price,
        }
        return {name: value for name, value in values.items() if value is not None}


@strawberry.type(description="The result of `saveModel`.")
class SaveModelPayload:
    model: SavedModel = strawberry.field(description="The saved model.")
    created: bool = strawberry.field(description="False when it was already saved and updated.")


@strawberry.type(description="The result of `bulkSync`.")
class BulkSyncPayload:
    provider: str = strawberry.field(description="The provider's slug.")
    created: int = strawberry.field(description="Models saved for the first time.")
    updated: int = strawberry.field(description="Models already saved, figures refreshed.")
    model_ids: list[str] = strawberry.field(description="The synced models, best first.")


@strawberry.type(description="The result of `clearModels`.")
class ClearModelsPayload:
    provider: str = strawberry.field(description="The provider's slug.")
    deleted: int = strawberry.field(description="How many saved models were deleted.")


@strawberry.type(description="The result of `setModelsActive`.")
class SetModelsActivePayload:
    provider: str = strawberry.field(description="The provider's slug.")
    changed: int = strawberry.field(description="How many saved models now have the flag.")
    active: bool = strawberry.field(description="The flag they now have.")
