"""Where a model sits in an ordered list: the sort orders, their keys, and the cursors that hold
a key between two pages.

- Sorting puts models without the sorted figure last, whatever the direction; ties are broken
  by model id, so the order is total and a cursor always has a place in it.
- Cursors are keyset cursors: an opaque token holding the sort key of the last model of a page.
  The next page starts after that key, so a list refreshed between two pages neither repeats nor
  skips models that stayed; a cursor made under another sort order is refused.

>>> key = (False, 3, "m")
>>> decode_cursor(encode_cursor(key, SortField.UPSTREAM, SortDirection.ASC),
...               SortField.UPSTREAM, SortDirection.ASC)
(False, 3, 'm')
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

import orjson

from catalog.cost import Usage, estimated_cost
from errors import InvalidInputError
from providers import ModelRecord


class SortField(StrEnum):
    """What a list can be ordered by. `UPSTREAM` is the provider's own order."""

    UPSTREAM = "upstream"
    NAME = "name"
    CREATED_AT = "created_at"
    INPUT_PRICE = "input_price"
    OUTPUT_PRICE = "output_price"
    CONTEXT_WINDOW = "context_window"
    ESTIMATED_COST = "estimated_cost"  # needs the query's `usage`


class SortDirection(StrEnum):
    ASC = "asc"
    DESC = "desc"


SortKey = tuple[bool, Any, str]
"""(figure missing, figure, model id)."""


def upstream_cursor(position: int, model: ModelRecord) -> str:
    return encode_cursor((False, position, model.id), SortField.UPSTREAM, SortDirection.ASC)


def key_function(
    field: SortField, models: Sequence[ModelRecord], usage: Usage | None = None
) -> Callable[[ModelRecord], SortKey]:
    if field is SortField.UPSTREAM:
        position = {model.id: index for index, model in enumerate(models)}
        return lambda m: (False, position[m.id], m.id)
    figure = _FIGURES.get(field) or _cost_figure(usage)

    def key(model: ModelRecord) -> SortKey:
        value = figure(model)
        return (value is None, value if value is not None else 0, model.id)

    return key


def _cost_figure(usage: Usage | None) -> Callable[[ModelRecord], Any]:
    if usage is None:
        raise InvalidInputError("sorting by ESTIMATED_COST needs `costFor` (the tokens)")
    return lambda model: estimated_cost(model, usage)


_FIGURES: dict[SortField, Callable[[ModelRecord], Any]] = {
    SortField.NAME: lambda m: m.name.casefold(),
    SortField.CREATED_AT: lambda m: m.created_at.timestamp() if m.created_at else None,
    SortField.INPUT_PRICE: lambda m: m.input_price,
    SortField.OUTPUT_PRICE: lambda m: m.output_price,
    SortField.CONTEXT_WINDOW: lambda m: m.context_window,
}


class _Reversed:
    """Inverts the order of a comparable value (a `DESC` sort on strings and numbers alike)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Reversed) -> bool:
        return bool(other.value < self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and bool(self.value == other.value)

    __hash__ = None  # type: ignore[assignment]


def _rank(key: SortKey, direction: SortDirection) -> tuple[bool, Any]:
    """Where a key sorts: missing figures last in both directions, then figure and id."""
    missing, value, model_id = key
    if missing:
        return (True, model_id)
    pair = (value, model_id)
    return (False, _Reversed(pair) if direction is SortDirection.DESC else pair)


def order_key(direction: SortDirection) -> Callable[[tuple[SortKey, object]], tuple[bool, Any]]:
    """The key that sorts (sort key, model) pairs in `direction`."""
    return lambda item: _rank(item[0], direction)


def is_after(key: SortKey, cursor: SortKey, direction: SortDirection) -> bool:
    """Whether `key` sorts after `cursor`: where the page after that cursor starts."""
    return _rank(cursor, direction) < _rank(key, direction)


def encode_cursor(key: SortKey, field: SortField, direction: SortDirection) -> str:
    missing, value, model_id = key
    if isinstance(value, Decimal):
        value = str(value)
    token = orjson.dumps({"o": f"{field}:{direction}", "m": missing, "v": value, "i": model_id})
    return base64.urlsafe_b64encode(token).decode().rstrip("=")


def decode_cursor(cursor: str, field: SortField, direction: SortDirection) -> SortKey:
    """The sort key `cursor` holds; `InvalidInputError` for a foreign or damaged cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = orjson.loads(raw)
        order, missing, value, model_id = data["o"], data["m"], data["v"], data["i"]
        if not isinstance(missing, bool) or not isinstance(model_id, str):
            raise ValueError
        if field in _DECIMALS and not missing:
            value = Decimal(value)
    except (binascii.Error, ValueError, TypeError, KeyError, InvalidOperation):
        raise InvalidInputError(
            f"invalid cursor {cursor!r}: pass a cursor this list returned"
        ) from None
    if order != f"{field}:{direction}":
        raise InvalidInputError(
            "this cursor belongs to another sort order: start again without `after`"
        )
    if not missing and not isinstance(value, _VALUE_TYPES[field]):
        raise InvalidInputError(
            f"invalid cursor {cursor!r}: pass a cursor this list returned"
        ) from None
    return (missing, value, model_id)


_DECIMALS = (SortField.INPUT_PRICE, SortField.OUTPUT_PRICE, SortField.ESTIMATED_COST)
_VALUE_TYPES: dict[SortField, type | tuple[type, ...]] = {
    SortField.UPSTREAM: int,
    SortField.NAME: str,
    SortField.CREATED_AT: (int, float),
    SortField.INPUT_PRICE: Decimal,
    SortField.OUTPUT_PRICE: Decimal,
    SortField.CONTEXT_WINDOW: int,
    SortField.ESTIMATED_COST: Decimal,
}
