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


def test_the_readme_catalog_lists_every_provider() -> None:
    """Adding a provider module means documenting it where admins look."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    catalog = readme[readme.index("## Providers") : readme.index("## Client contract")]
    for spec in registry:
        assert f"| `{spec.kind}` |" in catalog, spec.kind
