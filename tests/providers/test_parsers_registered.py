"""The registry discovers the seven parser modules, and each keeps the module contract."""

from __future__ import annotations

import importlib
import inspect

import pytest

from providers import registry

KINDS = ("anthropic", "gemini", "mistral", "ollama", "openai", "openai_compatible", "together")


def test_registry_discovers_all_seven_kinds() -> None:
    assert set(KINDS) <= {spec.kind for spec in registry}
    for kind in KINDS:
        assert kind in registry


@pytest.mark.parametrize("kind", KINDS)
def test_module_contract(kind: str) -> None:
    module = importlib.import_module(f"providers.{kind}")
    spec = registry.get(kind)
    assert spec is module.SPEC
    assert spec.parse_models is module.parse_models
    assert spec.base_url.startswith(("https://", "http://"))
    assert spec.docs_url.startswith("https://")
    with pytest.raises(ValueError):  # no list at all: unreadable, never "no models"
        spec.parse_models({"error": "rate limited"})
    source = inspect.getsource(module)
    assert len(source.splitlines()) <= 150
    assert "import os" not in source and "logging" not in source
