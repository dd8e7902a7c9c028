"""Provider kinds, discovered: adding `providers/<kind>.py` with a `SPEC` is all it takes.

>>> from providers import registry
>>> registry.get("openrouter").display_name
'OpenRouter'
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

from providers._spec import Capability, ModelRecord, ProviderSpec

__all__ = ["Capability", "ModelRecord", "ProviderSpec", "Registry", "registry"]


class Registry:
    """Provider specs by kind. Tests may `register` a fake kind and `unregister` it after."""

    def __init__(self) -> None:
        self._specs: dict[str, ProviderSpec] = {}

    def register(self, spec: ProviderSpec) -> None:
        if spec.kind in self._specs:
            raise ValueError(f"provider kind {spec.kind!r} is defined twice")
        self._specs[spec.kind] = spec

    def unregister(self, kind: str) -> None:
        self._specs.pop(kind, None)

    def get(self, kind: str) -> ProviderSpec | None:
        return self._specs.get(kind)

    def __iter__(self) -> Iterator[ProviderSpec]:
        return iter(sorted(self._specs.values(), key=lambda spec: spec.kind))

    def __contains__(self, kind: object) -> bool:
        return kind in self._specs


def discover() -> Registry:
    """Import every public module of this package and collect its `SPEC`."""
    found = Registry()
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            found.register(importlib.import_module(f"{__name__}.{module.name}").SPEC)
    return found


registry = discover()
