"""Searching, filtering, sorting and paging a cached model list: the one place it happens.

A model picker over 300+ models asks for one page of a filtered, ordered list. This module turns
a `ModelQuery` into that `Page`, on the records of the cached snapshot, without I/O and without
knowing GraphQL: the resolver only translates its arguments into a `ModelQuery`.

Rules, each pinned by `tests/catalog/test_filters.py`:

- `search` matches case-insensitively on the model id and name; every word of it must occur in
  one of the two (``"gpt mini"`` finds ``openai/gpt-4o-mini``).
- A figure the provider does not state never passes a bound on it: with `max_input_price` set,
  a model without an input price is left out (nobody can budget for it); `free_only` keeps
  models whose input and output prices are both stated and zero.
- `capabilities`, `input_modalities` and `output_modalities` must all be present (modalities are
  compared case-insensitively).
- `saved` / `active` compare with what the database holds: `saved` is "saved here", `active` is
  "saved here and active" (so `active: false` also lists models that are not saved).
- `max_estimated_cost` and the `ESTIMATED_COST` order price the query's `usage` (the tokens of
  one request, `catalog.cost`: tiers honoured); a model with an unknown price never passes the
  bound and sorts last.
- Ordering and cursors are `catalog.ordering`'s: models without the sorted figure come last,
  ties go by model id, and a cursor is the sort key of a page's last model.

>>> from providers import ModelRecord
>>> models = [ModelRecord(id="b", name="Beta"), ModelRecord(id="a", name="Alpha")]
>>> page = apply(models, ModelQuery(sort=SortField.NAME, first=1), {})
>>> [m.id for m in page.models], page.total, page.has_next
(['a'], 2, True)
>>> [m.id for m in apply(models, ModelQuery(sort=SortField.NAME, after=page.end_cursor), {}).models]
['b']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from catalog.cost import Usage, estimated_cost
from catalog.ordering import (
    SortDirection,
    SortField,
    decode_cursor,
    encode_cursor,
    is_after,
    key_function,
    order_key,
    upstream_cursor,
)
from errors import InvalidInputError
from providers import Capability, ModelRecord

MAX_PAGE_SIZE = 500
"""The largest `first` accepted unless the settings say otherwise (`MAX_PAGE_SIZE`)."""


@dataclass(frozen=True, slots=True)
class ModelFilter:
    """Which models to keep; every condition that is set must hold (`None` = no condition)."""

    capabilities: frozenset[Capability] = frozenset()
    free_only: bool = False
    min_context_window: int | None = None
    max_input_price: Decimal | None = None
    max_output_price: Decimal | None = None
    input_modalities: frozenset[str] = frozenset()
    output_modalities: frozenset[str] = frozenset()
    saved: bool | None = None
    active: bool | None = None
    max_estimated_cost: Decimal | None = None
    """USD for the query's `usage` at most (a model whose cost is unknown is left out)."""


@dataclass(frozen=True, slots=True)
class ModelQuery:
    """One request for a page: search text, filter, order, page size and position."""

    search: str | None = None
    filter: ModelFilter = ModelFilter()
    sort: SortField = SortField.UPSTREAM
    direction: SortDirection = SortDirection.ASC
    first: int | None = None
    """Page size; `None` returns the whole filtered list (the contract before pagination)."""
    after: str | None = None
    """The `end_cursor` of the previous page."""
    usage: Usage | None = None
    """The request size `ESTIMATED_COST` sorts and `max_estimated_cost` filters by."""


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the filtered, ordered list."""

    models: tuple[ModelRecord, ...]
    total: int
    """How many models the whole filtered list holds (every page)."""
    has_next: bool
    has_previous: bool
    start_cursor: str | None
    end_cursor: str | None


Saved = Mapping[str, bool]
"""Model id -> active flag, for the provider's saved models."""


def apply(
    models: Sequence[ModelRecord],
    query: ModelQuery,
    saved: Saved,
    *,
    max_page_size: int = MAX_PAGE_SIZE,
) -> Page:
    """The page `query` asks for, of `models` (in upstream order), given what is `saved`."""
    _check(query, max_page_size)
    if query == _WHOLE_LIST:  # the common, unpaged case: no work beyond two cursors
        last = len(models) - 1
        return Page(
            models=tuple(models),
            total=len(models),
            has_next=False,
            has_previous=False,
            start_cursor=upstream_cursor(0, models[0]) if models else None,
            end_cursor=upstream_cursor(last, models[last]) if models else None,
        )
    keep = _predicate(query, saved)
    key = key_function(query.sort, models, query.usage)
    keyed = sorted(((key(m), m) for m in models if keep(m)), key=order_key(query.direction))
    start = 0
    if query.after is not None:
        cursor = decode_cursor(query.after, query.sort, query.direction)
        after = (i for i, (k, _) in enumerate(keyed) if is_after(k, cursor, query.direction))
        start = next(after, len(keyed))
    end = len(keyed) if query.first is None else min(len(keyed), start + query.first)
    window = keyed[start:end]
    return Page(
        models=tuple(model for _, model in window),
        total=len(keyed),
        has_next=end < len(keyed),
        has_previous=start > 0,
        start_cursor=encode_cursor(window[0][0], query.sort, query.direction) if window else None,
        end_cursor=encode_cursor(window[-1][0], query.sort, query.direction) if window else None,
    )


_WHOLE_LIST = ModelQuery()


def _check(query: ModelQuery, max_page_size: int) -> None:
    if query.first is not None and not 0 <= query.first <= max_page_size:
        raise InvalidInputError(
            f"first must be between 0 and {max_page_size} (the maximum page size), "
            f"not {query.first}"
        )
    spec = query.filter
    if spec.min_context_window is not None and spec.min_context_window < 0:
        raise InvalidInputError("minContextWindow must not be negative")
    for name, price in (
        ("maxInputPrice", spec.max_input_price),
        ("maxOutputPrice", spec.max_output_price),
    ):
        if price is not None and (not price.is_finite() or price < 0):
            raise InvalidInputError(f"{name} must be a non-negative number")
    if spec.max_estimated_cost is not None:
        if query.usage is None:
            raise InvalidInputError("maxEstimatedCost needs `costFor` (the tokens)")
        if not spec.max_estimated_cost.is_finite() or spec.max_estimated_cost < 0:
            raise InvalidInputError("maxEstimatedCost must be a non-negative number")
    if query.usage is not None:
        query.usage.check()


def _predicate(query: ModelQuery, saved: Saved) -> Callable[[ModelRecord], bool]:
    spec = query.filter
    words = tuple(query.search.casefold().split()) if query.search else ()
    inputs = frozenset(m.casefold() for m in spec.input_modalities)
    outputs = frozenset(m.casefold() for m in spec.output_modalities)
    usage = query.usage if spec.max_estimated_cost is not None else None

    def keep(model: ModelRecord) -> bool:
        if words:
            text = f"{model.id}\n{model.name}".casefold()
            if not all(word in text for word in words):
                return False
        if not spec.capabilities <= model.capabilities:
            return False
        if spec.free_only and not (model.input_price == 0 and model.output_price == 0):
            return False
        if spec.min_context_window is not None and (
            model.context_window is None or model.context_window < spec.min_context_window
        ):
            return False
        if not _within(model.input_price, spec.max_input_price):
            return False
        if not _within(model.output_price, spec.max_output_price):
            return False
        if inputs and not inputs <= {m.casefold() for m in model.input_modalities}:
            return False
        if outputs and not outputs <= {m.casefold() for m in model.output_modalities}:
            return False
        if spec.saved is not None and (model.id in saved) is not spec.saved:
            return False
        if usage is not None and not _within(estimated_cost(model, usage), spec.max_estimated_cost):
            return False
        return spec.active is None or saved.get(model.id, False) is spec.active

    return keep


def _within(price: Decimal | None, bound: Decimal | None) -> bool:
    return bound is None or (price is not None and price <= bound)
