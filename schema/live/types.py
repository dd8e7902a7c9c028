"""GraphQL types of live lists: a provider's models as listed right now, never stored."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from catalog import cost
from providers import Capability, ModelRecord
from schema import enums
from schema.compiled.runtime import formatted, immutable
from schema.live import figures
from schema.live.figures import Disagreement, PricePoint, PriceTier, UnitPrice
from storage.records import SavedState


@immutable
@strawberry.type(description="Where one figure or capability of a model came from.")
class FigureSource:
    field: str = strawberry.field(
        description="The figure, by its snake_case record name: `input_price`, `context_window`, "
        "`capability.chat`, ...; `pricing` notes prices that are not per token."
    )
    origin: str = strawberry.field(
        description=(
            "The upstream field it was read from, `keyword:<word>` / `default:...`, or the "
            "catalog that filled it, with its version (`catalog:genai-prices@0.2.3`)."
        )
    )


class Shared:
    """What the views of one list share, each built once per list: a `FigureSource` per
    distinct (figure, origin), a tuple of them per distinct `sources` mapping, and the sorted
    capabilities and modalities per distinct value. 549 OpenRouter models carry ~6,000
    sources, but 32 distinct ones in 67 distinct mappings, 26 distinct capability sets and 24
    distinct input modalities; a shared tuple (of strings, enum members or `immutable`
    objects) is also completed once per selection set (`schema.compiled`)."""

    __slots__ = ("capabilities", "modalities", "pairs", "sources")

    def __init__(self) -> None:
        self.pairs: dict[tuple[str, str], FigureSource] = {}
        self.sources: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[FigureSource, ...]] = {}
        self.capabilities: dict[frozenset[Capability], tuple[Capability, ...]] = {}
        self.modalities: dict[tuple[str, ...], tuple[str, ...]] = {}

    def sources_of(self, sources: Mapping[str, str]) -> tuple[FigureSource, ...]:
        # keys and values apart: a third of the cost of a tuple of (key, value) pairs
        key = (tuple(sources), tuple(sources.values())) if isinstance(sources, dict) else ((), ())
        found = self.sources.get(key)
        if found is None:
            found = self.sources[key] = tuple(map(self._pair, *key))
        return found

    def _pair(self, field: str, origin: str) -> FigureSource:
        found = self.pairs.get((field, origin))
        if found is None:
            found = self.pairs[field, origin] = FigureSource(field=field, origin=origin)
        return found

    def capabilities_of(self, capabilities: frozenset[Capability]) -> tuple[Capability, ...]:
        found = self.capabilities.get(capabilities)
        if found is None:
            found = self.capabilities[capabilities] = tuple(sorted(capabilities))
        return found


def _price_source(record: ModelRecord) -> str | None:
    origin = record.sources.get("input_price") or record.sources.get("output_price")
    if origin is None:
        origin = record.sources.get("other_prices")
    if origin is None:
        return None
    return origin if origin.startswith("catalog:") else "listed"


@immutable
@formatted(created_at="created_at_text")
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
    capabilities: Sequence[Capability] = strawberry.field(
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
    input_modalities: Sequence[str] = strawberry.field(
        description="Input modalities the provider declares (text, image, ...)."
    )
    output_modalities: Sequence[str] = strawberry.field(
        description="Output modalities the provider declares."
    )
    cache_read_price: Decimal | None = strawberry.field(
        description="USD per 1M input tokens read from the prompt cache; null when unknown."
    )
    cache_write_price: Decimal | None = strawberry.field(
        description="USD per 1M input tokens written to the prompt cache; null when unknown."
    )
    price_source: str | None = strawberry.field(
        description=(
            "Where the prices came from: `listed` (the provider's list) or the catalog with "
            "its version (`catalog:genai-prices@0.2.3`); null when unpriced."
        )
    )
    price_tiers: Sequence[PriceTier] = strawberry.field(
        description="Higher prices for large requests (by input tokens), from a catalog."
    )
    other_prices: Sequence[UnitPrice] = strawberry.field(
        description="Prices in other units (audio hours, characters, pages), from a catalog."
    )
    price_history: Sequence[PricePoint] = strawberry.field(
        description="The token prices over time, oldest first, where a catalog dates them."
    )
    disagreements: Sequence[Disagreement] = strawberry.field(
        description="Figures the provider and the catalogs give different values for."
    )
    replacement_model_id: str | None = strawberry.field(
        description="The model the provider names as this one's successor, if it does."
    )
    sources: Sequence[FigureSource] = strawberry.field(
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
    display_name: str | None = strawberry.field(
        description="The name an admin gave the saved model (`curateModel`), or null."
    )
    created_at_text: strawberry.Private[str | None]  # the record's, formatted where it is built
    record: strawberry.Private[ModelRecord]
    saved: strawberry.Private[SavedState | None]  # what the saved-state fields were set from

    @strawberry.field(
        description=(
            "USD a request of this size costs, exact (price tiers honoured); null when a price "
            "it needs is unknown."
        )
    )
    def estimated_cost(
        self,
        input_tokens: Annotated[int, strawberry.argument(description="Tokens sent (prompt).")],
        output_tokens: Annotated[int, strawberry.argument(description="Tokens generated.")] = 0,
    ) -> Decimal | None:
        return cost.estimated_cost(self.record, cost.Usage(input_tokens, output_tokens).check())

    @classmethod
    def of(
        cls, record: ModelRecord, saved: SavedState | None, shared: Shared | None = None
    ) -> AvailableModel:
        """`record` as listed, with `saved`: its state in the request's one database read;
        `shared`: what the list's views share, built so far. Each field of the dataclass is
        set on a new instance (`tests/compiled/test_views.py` holds them all): its `__init__`
        with 28 keywords costs six times as much, and a list builds 549 views."""
        shared = Shared() if shared is None else shared
        view = object.__new__(cls)
        view.model_id, view.name, view.description = record.id, record.name, record.description
        view.capabilities = shared.capabilities_of(record.capabilities)
        view.input_price, view.output_price = record.input_price, record.output_price
        view.context_window = record.context_window
        view.max_output_tokens = record.max_output_tokens
        view.created_at, view.expires_at = record.created_at, record.expires_at
        view.created_at_text = record.created_at_text
        view.owned_by = record.owned_by
        modalities = shared.modalities  # one tuple per distinct value
        view.input_modalities = modalities.setdefault(
            record.input_modalities, record.input_modalities
        )
        view.output_modalities = modalities.setdefault(
            record.output_modalities, record.output_modalities
        )
        view.cache_read_price = record.cache_read_price
        view.cache_write_price = record.cache_write_price
        view.price_source = _price_source(record)
        # the catalogs' lists, built only when there is something in them (most are empty)
        view.price_tiers = figures.tiers(record) if record.price_tiers else ()
        view.other_prices = figures.others(record) if record.other_prices else ()
        view.price_history = figures.history(record) if record.price_history else ()
        view.disagreements = figures.disagreements(record) if record.disagreements else ()
        view.replacement_model_id = record.replacement_model_id
        view.sources = shared.sources_of(record.sources)
        view.raw = record.raw  # type: ignore[assignment]  # JSON: the record's mapping
        view.saved_in_db = saved is not None
        view.is_active_in_db = saved is not None and saved.is_active
        view.db_id = strawberry.ID(str(saved.db_id)) if saved is not None else None
        view.display_name = saved.display_name if saved is not None else None
        view.record, view.saved = record, saved
        return view


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
