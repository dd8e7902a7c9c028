"""The README's settings tables, printed from the declarations `settings` hands over
(`python -m settings`; this module imports nothing of it, so the two are no import cycle); a
test keeps the README equal to them."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from setting_forms import Declaration


def settings_table(
    declared: Sequence[dataclasses.Field[Any]], providers: Mapping[str, Declaration]
) -> str:
    """The README's settings table, from the declared settings (`settings.declared()`) and
    the per-provider ones (`settings.PROVIDER_DECLARATIONS`); the limits have their own."""
    rows = ["| variable | default | allowed | meaning |", "|---|---|---|---|"]
    rows += [_row(item, "meaning") for item in declared if not _is_limit(item)]
    rows += [f"| `{d.variable}` | | {d.form.allowed} | {d.meaning} |" for d in providers.values()]
    return "\n".join(rows)


def limits_table(declared: Sequence[dataclasses.Field[Any]]) -> str:
    """The README's limits table: the settings that refuse a request, and with what."""
    rows = ["| variable | default | allowed | refuses with |", "|---|---|---|---|"]
    rows += [_row(item, "refusal") for item in declared if _is_limit(item)]
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
