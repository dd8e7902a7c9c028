"""GraphQL types of live lists: a provider's models as listed right now, never stored."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, cast

import strawberry
from strawberry.scalars import JSON

from catalog import cost
from providers import Capability, ModelRecord
from schema import enums
from schema.compiled.codegen import immutable
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


Sources = dict[tuple[str, str], FigureSource]
"""The `FigureSource`s of one list, each built once: 549 OpenRouter models carry ~6,000
sources but only a few dozen distinct ones, and, being `immutable`, a shared one is also
completed once per selection set."""


def _sources(sources: dict[str, str] | object, known: Sources) -> list[FigureSource]:
    out = []
    for item in sources.items() if isinstance(sources, dict) else ():
        source = known.get(item)
        if source is None:
            source = known[item] = FigureSource(field=item[0], origin=item[1])
        out.append(source)
    return out


@strawberry.type(description="Prices a whole request pays once its input exceeds a threshold.")
class PriceTier:
    above_input_tokens: int = strawberry.field(
        description="The tier applies to requests with more input tokens than this."
    )
    input_price: Decimal | None = strawberry.field(description="USD per 1M input tokens.")
    output_price: Decimal | None = strawberry.field(description="USD per 1M output tokens.")


@strawberry.type(description="A price in a unit other than tokens (audio, characters, pages).")
class UnitPrice:
    unit: str = strawberry.field(description="What is counted: `input audio hours`, ...")
    per: int = strawberry.field(description="How many units the price is for (1, 1000, 1M).")
    price: Decimal = strawberry.field(description="USD for `per` units.")


@strawberry.type(description="The token prices from a date on, as a catalog records them.")
class PricePoint:
    since: date | None = strawberry.field(
        description="From this day on (UTC); null: before the catalog's first dated change."
    )
    input_price: Decimal | None = strawberry.field(description="USD per 1M input tokens.")
    output_price: Decimal | None = strawberry.field(description="USD per 1M output tokens.")


@strawberry.type(description="One source's value in a disagreement.")
class SourcedValue:
    source: str = strawberry.field(
        description="`provider:<field>`, or `catalog:<name>@<version>` (`as <id>`: the "
        "catalog's entry for another name of the model)."
    )
    value: str = strawberry.field(description="The value it gives, as text.")


@strawberry.type(
    description="Sources giving one figure different values; the value kept comes first."
)
class Disagreement:
    field: str = strawberry.field(description="The figure: `input_price`, `output_price`, ...")
    values: list[SourcedValue] = strawberry.field(description="Each source's value.")


def _price_source(record: ModelRecord) -> str | None:
    origin = record.sources.get("input_price") or record.sources.get("output_price")
    if origin is None:
        origin = record.sources.get("other_prices")
    if origin is None:
        return None
    return origin if origin.startswith("catalog:") else "listed"


def _tiers(record: ModelRecord) -> list[PriceTier]:
    return [
        PriceTier(
            above_input_tokens=t.above_input_tokens,
            input_price=t.input_price,
            output_price=t.output_price,
        )
        for t in record.price_tiers
    ]


def _others(record: ModelRecord) -> list[UnitPrice]:
    return [UnitPrice(unit=p.unit, per=p.per, price=p.price) for p in record.other_prices]


def _history(record: ModelRecord) -> list[PricePoint]:
    return [
        PricePoint(since=p.since, input_price=p.input_price, output_price=p.output_price)
        for p in record.price_history
    ]


def _disagreements(record: ModelRecord) -> list[Disagreement]:
    return [
        Disagreement(
            field=d.field, values=[SourcedValue(source=src, value=val) for src, val in d.values]
        )
        for d in record.disagreements
    ]


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
    price_tiers: list[PriceTier] = strawberry.field(
        description="Higher prices for large requests (by input tokens), from a catalog."
    )
    other_prices: list[UnitPrice] = strawberry.field(
        description="Prices in other units (audio hours, characters, pages), from a catalog."
    )
    price_history: list[PricePoint] = strawberry.field(
        description="The token prices over time, oldest first, where a catalog dates them."
    )
    disagreements: list[Disagreement] = strawberry.field(
        description="Figures the provider and the catalogs give different values for."
    )
    replacement_model_id: str | None = strawberry.field(
        description="The model the provider names as this one's successor, if it does."
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
    display_name: str | None = strawberry.field(
        description="The name an admin gave the saved model (`curateModel`), or null."
    )
    record: strawberry.Private[ModelRecord]

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
        cls, record: ModelRecord, saved: SavedState | None, sources: Sources | None = None
    ) -> AvailableModel:
        """`record` as listed, with `saved`: its state in the request's one database read;
        `sources`: the list's `FigureSource`s built so far (shared by its views)."""
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
            cache_read_price=record.cache_read_price,
            cache_write_price=record.cache_write_price,
            price_source=_price_source(record),
            # the catalogs' lists, built only when there is something in them (most are empty)
            price_tiers=_tiers(record) if record.price_tiers else [],
            other_prices=_others(record) if record.other_prices else [],
            price_history=_history(record) if record.price_history else [],
            disagreements=_disagreements(record) if record.disagreements else [],
            replacement_model_id=record.replacement_model_id,
            sources=_sources(record.sources, {} if sources is None else sources),
            raw=cast(JSON, record.raw),
            saved_in_db=saved is not None,
            is_active_in_db=saved is not None and saved.is_active,
            db_id=strawberry.ID(str(saved.db_id)) if saved is not None else None,
            record=record,
            display_name=saved.display_name if saved is not None else None,
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
