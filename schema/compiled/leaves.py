"""The generated code's writer, and how it completes a leaf: the scalars whose checks or
serializers are inlined (`scalar`), everything else through `runtime.leaf_coercer`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLID,
    GraphQLInt,
    GraphQLScalarType,
    GraphQLString,
    Undefined,
)
from strawberry.scalars import JSON
from strawberry.schema.types.base_scalars import isoformat
from strawberry.schema.types.scalar import DEFAULT_SCALAR_REGISTRY

from schema.compiled import runtime

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


class Writer:
    """The source of one module of generated functions, and the constants it names."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.constants: dict[str, Any] = {"NotExact": runtime.NotExact}
        self._count = 0

    def name(self, prefix: str, value: Any = None) -> str:
        self._count += 1
        name = f"{prefix}{self._count}"
        if value is not None:
            self.constants[name] = value
        return name


# Checks that let the commonest exact cases skip a call; everything else is coerced.
_FAST: Mapping[GraphQLScalarType, str] = {
    GraphQLString: "type({v}) is not str",
    GraphQLID: "type({v}) is not str",
    GraphQLBoolean: "type({v}) is not bool",
    GraphQLInt: f"type({{v}}) is not int or not {_INT_MIN} <= {{v}} <= {_INT_MAX}",
}
EXACT: Mapping[GraphQLScalarType, type] = {
    GraphQLString: str,
    GraphQLID: str,
    GraphQLBoolean: bool,
}
"""The scalars whose coercion gives back a value of this exact type as it is."""
_JSON_SERIALIZE = DEFAULT_SCALAR_REGISTRY[JSON].serialize
_ISO_TYPES = (datetime, date, time)


def scalar(out: Writer, v: str, kind: GraphQLScalarType) -> tuple[str | None, str, bool]:
    """Completing a scalar known not to be None, as (the condition under which the statement
    is needed, or None: always; the statement; whether it also refuses a None). Strawberry's
    own serializers that are pure and total on their usual values are inlined: `str` (Decimal,
    UUID: `str()` of anything is a string, never null), `isoformat` on a date, time or datetime
    (a string), the JSON scalar's identity; any other value goes through the scalar's coercion,
    which refuses a None (`leaf_coercer`)."""
    coerce = kind.coerce_output_value
    if coerce is str:
        return None, f"{v} = str({v})", False
    if coerce is _JSON_SERIALIZE:
        return f"{v} is {out.name('U', Undefined)}", "raise NotExact", False
    coerced = out.name("S", runtime.leaf_coercer(kind))
    if coerce is isoformat:
        exact = " or ".join(f"type({v}) is {out.name('D', cls)}" for cls in _ISO_TYPES)
        return None, f"{v} = {v}.isoformat() if {exact} else {coerced}({v})", True
    fast = _FAST.get(kind)
    return None if fast is None else fast.format(v=v), f"{v} = {coerced}({v})", True
