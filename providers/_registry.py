"""The provider kinds this build knows, found by walking the `providers` package.

`discover()` is called once, where the service is put together (`catalog.runtime`), and the
`Registry` it returns is handed to whatever needs the kinds; nothing is collected at import.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

from providers._spec import ProviderSpec


class Registry:
    """Provider specs by kind; a kind defined twice is refused.

    >>> registry = Registry()
    >>> registry.register(ProviderSpec("x", "X", "http://127.0.0.1:9", "/m", lambda p: []))
    >>> "x" in registry, [spec.kind for spec in registry]
    (True, ['x'])
    """

    def __init__(self) -> None:
        self._specs: dict[str, ProviderSpec] = {}

    def register(self, spec: ProviderSpec) -> None:
        if spec.kind in self._specs:
            raise ValueError(f"provider kind {spec.kind!r} is defined twice")
        self._specs[spec.kind] = spec

    def get(self, kind: str) -> ProviderSpec | None:
        return self._specs.get(kind)

    def __iter__(self) -> Iterator[ProviderSpec]:
        return iter(sorted(self._specs.values(), key=lambda spec: spec.kind))

    def __contains__(self, kind: object) -> bool:
        return kind in self._specs


def discover(package: str = "providers") -> Registry:
    """Import every public module of `package` and collect its `SPEC`.

    >>> discover().get("openrouter").display_name
    'OpenRouter'
    """
    found = Registry()
    root = importlib.import_module(package)
    for module in pkgutil.iter_modules(root.__path__):
        if not module.name.startswith("_"):
            found.register(importlib.import_module(f"{package}.{module.name}").SPEC)
    return found
