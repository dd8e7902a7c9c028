"""The README's settings tables, printed from the declarations (`python -m settings`); a test
keeps the README equal to them."""

from __future__ import annotations

import dataclasses
from typing import Any

from setting_forms import Declaration
from settings import PROVIDER_DECLARATIONS, declared


def settings_table() -> str:
    """The README's settings table, from the declarations (the limits have their own)."""
    rows = ["| variable | default | allowed | meaning |", "|---|---|---|---|"]
    rows += [_row(item, "meaning") for item in declared() if not _is_limit(item)]
    rows += [
        f"| `{d.variable}` | | {d.form.allowed} | {d.meaning} |"
        for d in PROVIDER_DECLARATIONS.values()
    ]
    return "\n".join(rows)


def limits_table() -> str:
    """The README's limits table: the settings that refuse a request, and with what."""
    rows = ["| variable | default | allowed | refuses with |", "|---|---|---|---|"]
    rows += [_row(item, "refusal") for item in declared() if _is_limit(item)]
    return "\n".join(rows)


def _is_limit(item: dataclasses.Field[Any]) -> bool:
    return item.metadata["declaration"].refusal is not None


def _row(item: dataclasses.Field[Any], column: str) -> str:
    declaration: Declaration = item.metadata["declaration"]
    default = declaration.shown_default or f"`{declaration.form.show(item.default)}`"
    return (
        f"| `{declaration.variable}` | {default} | {declaration.form.allowed} "
        f"| {getattr(declaration, column)} |"
    )
