"""The registry finds provider modules by themselves: no list to keep in sync."""

from __future__ import annotations

from providers import discover, groq, huggingface, openrouter, registry


def test_registry_discovers_the_three_kinds() -> None:
    for module in (openrouter, groq, huggingface):
        assert module.SPEC.kind in registry
        assert registry.get(module.SPEC.kind) is module.SPEC
    assert {"openrouter", "groq", "huggingface"} <= {spec.kind for spec in discover()}


def test_display_names() -> None:
    names = {spec.kind: spec.display_name for spec in registry}
    assert names["openrouter"] == "OpenRouter"
    assert names["groq"] == "Groq"
    assert names["huggingface"] == "Hugging Face"
