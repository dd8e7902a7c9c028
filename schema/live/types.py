"""GraphQL types of live lists: a provider's models as listed right now, never stored."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import cast

import strawberry
from strawberry.scalars import JSON

from providers import Capability, ModelRecord
from schema import enums
from schema.compiled.codegen import immutable
from storage.records import SavedState


@strawberry.type(description="Where one figure or capability of a model came from.")
class FigureSource:
    field: str = strawberry.field(
        description="The figure: `inputPrice`, `contextWindow`, `capability.chat`, ..."
    )
    origin: str = strawberry.field(
        description="The upstream field it was read from, or `keyword:<word>` / `default:...`."
    )


def _sources(sources: dict[str, str] | object) -> list[FigureSource]:
    items = sources.items() if isinstance(sources, dict) else ()
    return [FigureSource(field=name, origin=origin) for name, origin in items]


@immutable
@strawberry.type(
    description="A model a provider offers right now: from its live list, never stored."
)
class AvailableModel:
    """Plain fields, set once by `of`: a list of 549 models resolves ~20,000 fields, and a
    plain field skips Strawberry's per-call resolver machinery (arguments, `Info`, awaiting)
    that a method resolver pays on each of them. Never changed once built (`immutable`): the
    views are kept per fetched list (`schema.live.views`) and their completed fields with
    them, so a write re-completes only the models it touched."""

    model_id: str = strawberry.field(
        description="The provider's id for the model, as API requests name it."
    )
    name: str = strawberry.field(description="Human-readable name.")
    description: str | None = strawberry.field(
        description="The provider's description, if it gives one."
    )
    capabilities: list[Capability] = strawberry.field(
        graphql_type=list[enums.Capability], description="What the model can be used for."
    )
    input_price: Decimal | None = strawberry.field(
        description="USD per 1M input tokens, exact; null when the provider does not say."
    )
    output_price: Decimal | None = strawberry.field(
        description="USD per 1M output tokens, exact; null when the provider does not say."
    )
    context_window: int | None = strawberry.field(
        description="Context window in tokens; null when unknown."
    )
    max_output_tokens: int | None = strawberry.field(
        description="Largest completion in tokens; null when unknown."
    )
    created_at: datetime | None = strawberry.field(
        description="When the provider published the model, if it says."
    )
    expires_at: datetime | None = strawberry.field(
        description="When the provider will retire the model, if announced."
    )
    owned_by: str | None = strawberry.field(
        description="Organisation that owns the model, if the provider says."
    )
    input_modalities: list[str] = strawberry.field(
        description="Input modalities the provider declares (text, image, ...)."
    )
    output_modalities: list[str] = strawberry.field(
        description="Output modalities the provider declares."
    )
    sources: list[FigureSource] = strawberry.field(
        description="Where each figure and capability came from."
    )
    raw: JSON = strawberry.field(description="The provider's own object for the model, untouched.")
    saved_in_db: bool = strawberry.field(description="Whether this model is saved in the database.")
    is_active_in_db: bool = strawberry.field(
        description="Whether the saved model is active (false when not saved)."
    )
    db_id: strawberry.ID | None = strawberry.field(
        description="The saved model's `dbId`, or null when not saved."
    )

    @classmethod
    def of(cls, record: ModelRecord, saved: SavedState | None) -> AvailableModel:
        """`record` as listed, with `saved`: its state in the request's one database read."""
        return cls(
            model_id=record.id,
            name=record.name,
            description=record.description,
            capabilities=sorted(record.capabilities),
            input_price=record.input_price,
            output_price=record.output_price,
            context_window=record.context_window,
            max_output_tokens=record.max_output_tokens,
            created_at=record.created_at,
            expires_at=record.expires_at,
            owned_by=record.owned_by,
            input_modalities=list(record.input_modalities),
            output_modalities=list(record.output_modalities),
            sources=_sources(record.sources),
            raw=cast(JSON, record.raw),
            saved_in_db=saved is not None,
            is_active_in_db=saved is not None and saved.is_active,
            db_id=strawberry.ID(str(saved.db_id)) if saved is not None else None,
        )


@strawberry.type(description="Where a page sits in the whole filtered list.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="True when more models follow: pass `endCursor` as `after` to get them."
    )
    has_previous_page: bool = strawberry.field(
        description="True when models come before this page (it was asked `after` a cursor)."
    )
    start_cursor: str | None = strawberry.field(
        description="Opaque cursor of the page's first model; null when the page is empty."
    )
    end_cursor: str | None = strawberry.field(
        description="Opaque cursor of the page's last model; null when the page is empty."
    )


@strawberry.type(description="A page of a provider's live model list, as cached.")
class AvailableModelList:
    provider: str = strawberry.field(description="The provider's slug.")
    total_count: int = strawberry.field(
        description="How many models match the search and filter, over all pages."
    )
    count: int = strawberry.field(
        description="How many models this page holds (the length of `models`).",
        deprecation_reason=(
            "Use `totalCount` for the filtered list's size; the page's size is the length "
            "of `models`."
        ),
    )
    page_info: PageInfo = strawberry.field(description="Where this page sits; the next cursor.")
    fetched_at: datetime = strawberry.field(description="When the list was fetched upstream.")
    stale: bool = strawberry.field(
        description="True when the upstream failed and this is the last good copy."
    )
    error: str | None = strawberry.field(
        description="Why the list is stale: the upstream's error. Null when fresh."
    )
    models: list[AvailableModel] = strawberry.field(
        description="This page's models, in the requested order (the provider's by default)."
    )


@strawberry.type(description="The result of `refreshModels`: the list as just fetched.")
class RefreshModelsPayload:
    provider: str = strawberry.field(description="The provider's slug.")
    count: int = strawberry.field(description="How many models the list holds.")
    fetched_at: datetime = strawberry.field(description="When the list was fetched upstream.")
    stale: bool = strawberry.field(
        description="True when the upstream failed and the last good copy is still served."
    )
    error: str | None = strawberry.field(description="Why the refresh failed; null on success.")
