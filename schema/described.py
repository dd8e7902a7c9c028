"""Descriptions for the values of enums that live outside the schema layer.

`strawberry.enum(SomeEnum)` registers an enum defined elsewhere (in `providers/`, `catalog/`),
whose members cannot carry `strawberry.enum_value(description=...)`. This gives each value its
description after registration and refuses an enum whose values are not all described, so the
schema's "everything is described" rule holds when a member is added.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

import strawberry


def described_enum(
    cls: type[Enum], *, name: str, description: str, values: Mapping[str, str]
) -> Any:
    """Register `cls` as the GraphQL enum `name`, each value described by `values[member]`."""
    strawberry.enum(cls, name=name, description=description)
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    missing = {value.name for value in definition.values} - set(values)
    if missing:
        raise TypeError(f"enum {name}: values without a description: {sorted(missing)}")
    for value in definition.values:
        value.description = values[value.name]
    return cls
