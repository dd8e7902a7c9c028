"""GraphQL types of the catalogs' figures on a live model: price tiers, prices in other units,
price history and disagreements (`catalog.catalogs`), each built from its record's tuple."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import strawberry

from providers import ModelRecord


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


# Each builder is called only when its record's tuple is not empty (most are); the views share
# one empty tuple otherwise.


def tiers(record: ModelRecord) -> Sequence[PriceTier]:
    return [
        PriceTier(
            above_input_tokens=t.above_input_tokens,
            input_price=t.input_price,
            output_price=t.output_price,
        )
        for t in record.price_tiers
    ]


def others(record: ModelRecord) -> Sequence[UnitPrice]:
    return [UnitPrice(unit=p.unit, per=p.per, price=p.price) for p in record.other_prices]


def history(record: ModelRecord) -> Sequence[PricePoint]:
    return [
        PricePoint(since=p.since, input_price=p.input_price, output_price=p.output_price)
        for p in record.price_history
    ]


def disagreements(record: ModelRecord) -> Sequence[Disagreement]:
    return [
        Disagreement(
            field=d.field, values=[SourcedValue(source=src, value=val) for src, val in d.values]
        )
        for d in record.disagreements
    ]
