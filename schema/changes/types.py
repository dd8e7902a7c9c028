"""GraphQL types of the drift report (`modelChanges`) and of `syncSavedModels`."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import cast

import strawberry
from strawberry.scalars import JSON

from catalog import drift
from catalog.drift import DriftStatus
from catalog.drift_json import plain
from catalog.drift_sync import SavedSyncResult
from schema import enums
from storage.figures import COMPARED

_COMPARED = {
    figure.name.upper(): strawberry.enum_value(figure.name, description=figure.description)
    for figure in COMPARED
}
DriftField = strawberry.enum(
    cast(type[Enum], Enum("DriftField", _COMPARED)),
    description="A figure compared between a saved model and the live list.",
)
"""Its values are the names of the figures `storage.figures` marks `compared`: a change's
`field` (that name) is served as the value."""


@strawberry.type(description="One figure of a saved model that differs from the live list.")
class FieldChange:
    field: str = strawberry.field(graphql_type=DriftField, description="Which figure differs.")
    old: JSON | None = strawberry.field(
        description=(
            "The stored value: a price as an exact decimal string (USD per 1M tokens), a token "
            "count as an integer, capabilities as a list of `Capability` names, or text; null "
            "when unknown."
        )
    )
    new: JSON | None = strawberry.field(
        description="The provider's value right now, in the same form as `old`."
    )
    overridden: bool = strawberry.field(
        description=(
            "True when an admin set the stored capabilities: `syncSavedModels` keeps them, so "
            "this change alone does not make the model `CHANGED`."
        )
    )
    source: str | None = strawberry.field(
        description=(
            "Where the live value came from: the provider's field, or a catalog with its "
            "version (`catalog:genai-prices@0.2.3`)."
        )
    )
    since: date | None = strawberry.field(
        description="For a price: the day (UTC) the live price took effect, when a catalog says."
    )

    material: bool = strawberry.field(
        description=(
            "False for a cosmetic figure (name, description): shown, but alone it never makes "
            "the model `CHANGED`."
        )
    )

    @classmethod
    def of(cls, change: drift.FieldChange) -> FieldChange:
        return cls(
            field=change.field,
            old=plain(change.old),
            new=plain(change.new),
            overridden=change.overridden,
            source=change.source,
            since=change.since,
            material=change.material,
        )


@strawberry.type(description="A saved model compared with the provider's live list.")
class ModelChange:
    model_id: str = strawberry.field(description="The provider's id for the model.")
    db_id: strawberry.ID = strawberry.field(description="The saved model's row id.")
    name: str = strawberry.field(description="The saved name.")
    display_name: str | None = strawberry.field(
        description="The name an admin gave it (what end users see), if any."
    )
    unlisted: bool = strawberry.field(
        description="Saved although the provider does not list it (never `MISSING`)."
    )
    is_active: bool = strawberry.field(description="Whether the app may use it.")
    status: DriftStatus = strawberry.field(
        graphql_type=enums.DriftStatus,
        description=(
            "`MISSING`: the provider no longer lists it; `CHANGED`: a figure a sync would "
            "apply differs; `UNCHANGED`: nothing to apply; `UNLISTED`: absent from a list that "
            "holds only a selection of the provider's models (Hugging Face), so it may still "
            "be offered, or saved as unlisted by an admin (a fine-tune, a private deployment)."
        ),
    )
    active_missing: bool = strawberry.field(
        description="True when the model is active and MISSING: requests to it will fail."
    )
    changes: list[FieldChange] = strawberry.field(
        description="Each figure that differs, with the stored and the live value."
    )
    retires_at: datetime | None = strawberry.field(
        description="When the provider will retire the model, if it announced it."
    )
    retiring: bool = strawberry.field(
        description="True when `retiresAt` falls within the report's window (or has passed)."
    )
    replacement_model_id: str | None = strawberry.field(
        description="The model the provider names as the successor: where to move the app to."
    )

    @classmethod
    def of(cls, model: drift.ModelDrift) -> ModelChange:
        return cls(
            model_id=model.model_id,
            db_id=strawberry.ID(str(model.db_id)),
            name=model.saved.figures["name"],
            display_name=model.saved.figures.get("display_name"),
            unlisted=model.saved.unlisted,
            is_active=model.is_active,
            status=model.status,
            active_missing=model.active_missing,
            changes=[FieldChange.of(change) for change in model.changes],
            retires_at=model.expires_at,
            retiring=model.retiring,
            replacement_model_id=model.replacement_model_id,
        )


@strawberry.type(description="Every saved model of a provider compared with its live list.")
class ModelChangesReport:
    provider: str = strawberry.field(description="The provider's slug.")
    fetched_at: datetime = strawberry.field(description="When the live list was fetched.")
    stale: bool = strawberry.field(
        description="True when the upstream failed and the last good list was compared."
    )
    error: str | None = strawberry.field(description="Why the list is stale; null when fresh.")
    retire_within_days: int = strawberry.field(
        description="Retirements announced within this many days count as `retiring`."
    )
    total: int = strawberry.field(description="Saved models compared.")
    unchanged: int = strawberry.field(description="Saved models with nothing to apply.")
    changed: int = strawberry.field(description="Saved models a sync would update.")
    missing: int = strawberry.field(description="Saved models the provider no longer lists.")
    active_missing: int = strawberry.field(
        description="Active saved models the provider no longer lists: requests to them fail."
    )
    unlisted: int = strawberry.field(
        description="Saved models absent from a partial list (see `completeList`)."
    )
    complete_list: bool = strawberry.field(
        description=(
            "False when the provider lists only a selection of its models (Hugging Face: the "
            "most downloaded per task): absent models are then `UNLISTED`, not `MISSING`."
        )
    )
    retiring: int = strawberry.field(description="Listed models announced for retirement.")
    warnings: list[str] = strawberry.field(
        description="What needs attention, one sentence each, the most urgent first."
    )
    models: list[ModelChange] = strawberry.field(
        description="Every saved model: active missing ones first, then missing, changed, "
        "unlisted, unchanged; by model id within each."
    )

    @classmethod
    def of(cls, report: drift.DriftReport) -> ModelChangesReport:
        return cls(
            provider=report.provider,
            fetched_at=report.fetched_at,
            stale=report.stale,
            error=report.error,
            retire_within_days=report.retire_within.days,
            total=len(report.models),
            unchanged=len(report.unchanged),
            changed=len(report.changed),
            missing=len(report.missing),
            active_missing=len(report.active_missing),
            unlisted=len(report.unlisted),
            complete_list=report.complete_list,
            retiring=len(report.retiring),
            warnings=report.warnings(),
            models=[ModelChange.of(model) for model in report.models],
        )


@strawberry.type(description="The result of `syncSavedModels`.")
class SyncSavedModelsPayload:
    provider: str = strawberry.field(description="The provider's slug.")
    updated: int = strawberry.field(description="Saved models whose figures were refreshed.")
    unchanged: int = strawberry.field(description="Saved models that had nothing to apply.")
    missing: int = strawberry.field(
        description="Saved models the provider no longer lists: left untouched."
    )
    active_missing: int = strawberry.field(
        description="How many of the missing models are active: requests to them fail."
    )
    unlisted: int = strawberry.field(
        description="Saved models absent from a partial list (Hugging Face): left untouched."
    )
    updated_model_ids: list[str] = strawberry.field(description="The refreshed models.")
    missing_model_ids: list[str] = strawberry.field(
        description="The missing models, active ones first."
    )

    @classmethod
    def of(cls, provider: str, result: SavedSyncResult) -> SyncSavedModelsPayload:
        report = result.report
        return cls(
            provider=provider,
            updated=len(result.updated),
            unchanged=len(report.unchanged),
            missing=len(report.missing),
            active_missing=len(report.active_missing),
            unlisted=len(report.unlisted),
            updated_model_ids=list(result.updated),
            missing_model_ids=[model.model_id for model in report.missing],
        )
