"""GraphQL types of the models domain. Live models wrap `ModelRecord`s; saved ones wrap rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar, cast

import strawberry
from strawberry.scalars import JSON

from catalog import filters
from providers import Capability as CapabilityKind
from providers import ModelRecord, normalize
from schema.described import described_enum
from storage.figures import SHOWN, Kind
from storage.records import SavedState, StoredModel

described_enum(
    CapabilityKind,
    name="Capability",
    description=(
        "What a model can be used for. Read from the provider's own metadata first, "
        "keyword rules last; a model's `sources` say which."
    ),
    values={
        "CHAT": "Conversational text generation (chat completions).",
        "CONTENT": "Any prompt to text generation; every chat model has it too.",
        "VISION": "Accepts images as input.",
        "IMAGE": "Generates images.",
        "AUDIO": "Takes or produces audio (includes speech and transcription).",
        "SPEECH": "Text to speech.",
        "TRANSCRIPTION": "Speech to text.",
        "EMBEDDING": "Text (or media) to vectors.",
        "VIDEO": "Generates video.",
        "RERANK": "Scores documents against a query.",
        "MODERATION": "Classifies content for safety.",
        "TOOLS": "Function / tool calling.",
        "REASONING": "Exposes a reasoning / thinking mode.",
    },
)
Capability = CapabilityKind

PROVIDER = "The provider's slug (`openrouter`, `groq`, ... or a configured instance's slug)."
"""The description of every `provider` argument."""


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


@strawberry.type(
    description="A model a provider offers right now: from its live list, never stored."
)
class AvailableModel:
    """Plain fields, set once by `of`: a list of 549 models resolves ~20,000 fields, and a
    plain field skips Strawberry's per-call resolver machinery (arguments, `Info`, awaiting)
    that a method resolver pays on each of them."""

    model_id: str = strawberry.field(
        description="The provider's id for the model, as API requests name it."
    )
    name: str = strawberry.field(description="Human-readable name.")
    description: str | None = strawberry.field(
        description="The provider's description, if it gives one."
    )
    capabilities: list[Capability] = strawberry.field(description="What the model can be used for.")
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


described_enum(
    filters.SortField,
    name="ModelSortField",
    description="What `availableModels` can be ordered by.",
    values={
        "UPSTREAM": "The provider's own order (the default).",
        "NAME": "Human-readable name, case-insensitive.",
        "CREATED_AT": "When the provider published the model; DESC lists the newest first.",
        "INPUT_PRICE": "USD per 1M input tokens.",
        "OUTPUT_PRICE": "USD per 1M output tokens.",
        "CONTEXT_WINDOW": "Context window in tokens.",
    },
)
ModelSortField = filters.SortField

described_enum(
    filters.SortDirection,
    name="SortDirection",
    description="Ascending or descending order.",
    values={"ASC": "Smallest / A first.", "DESC": "Largest / Z / newest first."},
)
SortDirection = filters.SortDirection


@strawberry.input(
    description=(
        "Which models of a live list to keep. Every condition given must hold. A figure the "
        "provider does not state never passes a bound on it (an unpriced model is not under "
        "`maxInputPrice`, an unknown context window is not over `minContextWindow`)."
    )
)
class ModelFilter:
    capabilities: list[Capability] | None = strawberry.field(
        default=None, description="Models having every one of these capabilities."
    )
    free_only: bool = strawberry.field(
        default=False,
        description="Only models whose input and output prices are both stated and zero.",
    )
    min_context_window: int | None = strawberry.field(
        default=None, description="Only models with at least this many tokens of context."
    )
    max_input_price: Decimal | None = strawberry.field(
        default=None, description="Only models costing at most this, USD per 1M input tokens."
    )
    max_output_price: Decimal | None = strawberry.field(
        default=None, description="Only models costing at most this, USD per 1M output tokens."
    )
    input_modalities: list[str] | None = strawberry.field(
        default=None,
        description="Only models declaring every one of these inputs (`text`, `image`, ...).",
    )
    output_modalities: list[str] | None = strawberry.field(
        default=None, description="Only models declaring every one of these outputs."
    )
    saved: bool | None = strawberry.field(
        default=None,
        description="True: only models saved here; false: only models not saved.",
    )
    active: bool | None = strawberry.field(
        default=None,
        description=(
            "True: only saved, active models; false: only models not active here "
            "(saved inactive or not saved)."
        ),
    )

    def to_catalog(self, capability: Capability | None = None) -> filters.ModelFilter:
        """The catalog's filter; `capability` is the deprecated top-level argument."""
        capabilities = set(self.capabilities or ())
        if capability is not None:
            capabilities.add(capability)
        return filters.ModelFilter(
            capabilities=frozenset(capabilities),
            free_only=self.free_only,
            min_context_window=self.min_context_window,
            max_input_price=self.max_input_price,
            max_output_price=self.max_output_price,
            input_modalities=frozenset(self.input_modalities or ()),
            output_modalities=frozenset(self.output_modalities or ()),
            saved=self.saved,
            active=self.active,
        )


@strawberry.input(
    description=(
        "An order for `availableModels`. Models without the sorted figure come last in both "
        "directions; ties are broken by model id."
    )
)
class ModelSort:
    field: ModelSortField = strawberry.field(description="What to order by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending (default) or descending."
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


def _annotation(kind: Kind) -> object:
    """The GraphQL type of a figure of `kind`."""
    match kind:
        case Kind.TEXT:
            return str
        case Kind.LONG_TEXT:
            return str | None
        case Kind.CAPABILITIES:
            return list[Capability]
        case Kind.PRICE:
            return Decimal | None
        case Kind.TOKENS:
            return int | None
        case Kind.MAPPING:
            return JSON


def _shown(kind: Kind, value: Any) -> Any:
    """A stored value as GraphQL shows it: `0.150000` -> `0.15` (as the live list shows it);
    capability names this release does not know are left out."""
    match kind:
        case Kind.PRICE:
            return None if value is None else normalize(value)
        case Kind.CAPABILITIES:
            return [CapabilityKind(name) for name in value if name in _KNOWN]
        case Kind.TEXT | Kind.LONG_TEXT | Kind.TOKENS | Kind.MAPPING:
            return value


_KNOWN = frozenset(cap.value for cap in CapabilityKind)
T = TypeVar("T")


def with_figures(after: str) -> Callable[[type[T]], type[T]]:
    """Adds a field per shown figure (`storage.figures.SHOWN`) after the field `after`,
    before strawberry reads the class: the declaration is the one place they are named."""

    def add(cls: type[T]) -> type[T]:
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
    created_at: datetime = strawberry.field(description="When it was first saved.")
    updated_at: datetime = strawberry.field(description="When it was last saved or synced.")

    @classmethod
    def from_stored(cls, model: StoredModel) -> SavedModel:
        figures = {f.name: _shown(f.kind, model.figures[f.name]) for f in SHOWN}
        return cls(
            db_id=strawberry.ID(str(model.db_id)),
            provider=model.provider,
            model_id=model.model_id,
            capabilities_overridden=model.capabilities_overridden,
            is_active=model.is_active,
            created_at=model.created_at,
            updated_at=model.updated_at,
            **figures,
        )


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


@strawberry.type(description="The result of `refreshModels`: the list as just fetched.")
class RefreshModelsPayload:
    provider: str = strawberry.field(description="The provider's slug.")
    count: int = strawberry.field(description="How many models the list holds.")
    fetched_at: datetime = strawberry.field(description="When the list was fetched upstream.")
    stale: bool = strawberry.field(
        description="True when the upstream failed and the last good copy is still served."
    )
    error: str | None = strawberry.field(description="Why the refresh failed; null on success.")


@strawberry.type(description="The result of `clearModels`.")
class ClearModelsPayload:
    provider: str = strawberry.field(description="The provider's slug.")
    deleted: int = strawberry.field(description="How many saved models were deleted.")


@strawberry.type(description="The result of `setModelsActive`.")
class SetModelsActivePayload:
    provider: str = strawberry.field(description="The provider's slug.")
    changed: int = strawberry.field(description="How many saved models now have the flag.")
    active: bool = strawberry.field(description="The flag they now have.")
