"""The inputs of `availableModels`: which models of a live list to keep, and their order."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from catalog import filters, ordering
from catalog.cost import Usage
from providers import Capability as ServiceCapability
from schema.enums import Capability, ModelSortField, SortDirection, service_value


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

    max_estimated_cost: Decimal | None = strawberry.field(
        default=None,
        description=(
            "Only models a request of `costFor`'s size costs at most this much on, in USD "
            "(needs `costFor`; a model with an unknown price is left out)."
        ),
    )

    def to_catalog(self, capability: Capability | None = None) -> filters.ModelFilter:
        """The catalog's filter; `capability` is the top-level one-capability shorthand."""
        given = [*(self.capabilities or ()), *([capability] if capability is not None else [])]
        return filters.ModelFilter(
            capabilities=frozenset(service_value(cap, ServiceCapability) for cap in given),
            free_only=self.free_only,
            min_context_window=self.min_context_window,
            max_input_price=self.max_input_price,
            max_output_price=self.max_output_price,
            input_modalities=frozenset(self.input_modalities or ()),
            output_modalities=frozenset(self.output_modalities or ()),
            saved=self.saved,
            active=self.active,
            max_estimated_cost=self.max_estimated_cost,
        )


@strawberry.input(description="The size of one request, in tokens, to estimate its cost.")
class TokenUsage:
    input_tokens: int = strawberry.field(description="Tokens sent (prompt).")
    output_tokens: int = strawberry.field(default=0, description="Tokens generated.")

    def to_catalog(self) -> Usage:
        return Usage(self.input_tokens, self.output_tokens)


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

    def to_catalog(self) -> tuple[ordering.SortField, ordering.SortDirection]:
        """The catalog's order: what to sort by, which way."""
        return (
            service_value(self.field, ordering.SortField),
            service_value(self.direction, ordering.SortDirection),
        )
