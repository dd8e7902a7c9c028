"""The registry finds provider modules by themselves: no list to keep in sync. Each module
keeps the provider contract (`SPEC`, a pure `parse_models`, at most 150 lines)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import providers
from providers import ProviderSpec, Registry, discover

MODULES = sorted(
    module.name
    for module in pkgutil.iter_modules(providers.__path__)
    if not module.name.startswith("_")
)


def test_registry_discovers_every_provider_module() -> None:
    registry = discover()
    assert len(MODULES) == 10
    assert [spec.kind for spec in registry] == MODULES  # one kind per module, by name
    for name in MODULES:
        module = importlib.import_module(f"providers.{name}")
        assert module.SPEC.kind in registry
        assert registry.get(module.SPEC.kind) is module.SPEC
    assert {"openrouter", "groq", "huggingface"} <= {spec.kind for spec in registry}


def test_a_kind_defined_twice_is_refused() -> None:
    registry = Registry()
    spec = ProviderSpec("x", "X", "http://127.0.0.1:9", "/models", lambda payload: [])
    registry.register(spec)
    with pytest.raises(ValueError, match="'x' is defined twice"):
        registry.register(spec)


def test_display_names() -> None:
    names = {spec.kind: spec.display_name for spec in discover()}
    assert names["openrouter"] == "OpenRouter"
    assert names["groq"] == "Groq"
    assert names["huggingface"] == "Hugging Face"


def test_the_readme_catalog_lists_every_provider() -> None:
    """Adding a provider module means documenting it where admins look."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    catalog = readme[readme.index("## Providers") : readme.index("## Client contract")]
    for spec in discover():
        assert f"| `{spec.kind}` |" in catalog, spec.kind


@pytest.mark.parametrize("kind", MODULES)
def test_module_contract(kind: str) -> None:
    module = importlib.import_module(f"providers.{kind}")
    spec = discover().get(kind)
    assert spec is module.SPEC
    assert spec.parse_models is module.parse_models
    assert spec.base_url.startswith(("https://", "http://"))
    assert spec.docs_url.startswith("https://")
    with pytest.raises(ValueError):  # no list at all: unreadable, never "no models"
        spec.parse_models({"error": "rate limited"})
    source = inspect.getsource(module)
    assert len(source.splitlines()) <= 150
    assert "import os" not in source and "logging" not in source
