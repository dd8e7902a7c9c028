"""The pure checks of curation, unlisted figures, probe requests and import files: each
refusal names its field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.curation import check_model_id, curated_changes, unlisted_values
from catalog.transfer_check import check_document
from catalog.transfer_file import load
from errors import ConfigError, InvalidInputError
from providers import Capability, discover, probe_capability, probe_request
from providers._generation import _redact


def _field(error: pytest.ExceptionInfo[InvalidInputError]) -> str | None:
    return error.value.field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"display_name": "x\u0007"}, "displayName"),
        ({"notes": "n" * 10_001}, "notes"),
        ({"tags": [f"t{i}" for i in range(21)]}, "tags"),
        ({"tags": ["ok", "bad!"]}, "tags[1]"),
        ({"colour": "red"}, None),
        ({}, None),
    ],
)
def test_curated_changes_refuse_naming_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        curated_changes(changes)
    assert _field(error) == field


def test_curated_changes_trim_and_clear() -> None:
    assert curated_changes({"display_name": "  ", "notes": " n ", "tags": None}) == {
        "display_name": None,
        "notes": "n",
        "tags": [],
    }


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"input_price": "abc"}, "inputPrice"),
        ({"output_price": "-1"}, "outputPrice"),
        ({"context_window": 0}, "contextWindow"),
        ({"name": "   "}, "name"),
        ({"popularity": 3}, None),
    ],
)
def test_unlisted_figures_are_checked(given: dict[str, object], field: str | None) -> None:
    with pytest.raises(InvalidInputError) as error:
        unlisted_values("m", [Capability.CHAT], given)
    assert _field(error) == field


def test_unlisted_values_default_their_name_and_say_their_source() -> None:
    values = unlisted_values("acme/ft", [Capability.CHAT], {"input_price": "0.5"})
    assert values.figures["name"] == "acme/ft" and values.figures["input_price"] == Decimal("0.5")
    assert set(values.figures["sources"]) == {"input_price", "capabilities"}
    with pytest.raises(InvalidInputError):
        check_model_id(" padded ")


def test_probe_requests_per_style() -> None:
    assert probe_capability(["embedding"]) is Capability.EMBEDDING
    assert probe_capability(["chat", "embedding"]) is Capability.CHAT
    embed = probe_request("openai", "text-embedding-3-small", Capability.EMBEDDING)
    assert embed.path == "/embeddings" and embed.body["input"] == "ping"
    message = probe_request("anthropic", "claude", Capability.CHAT)
    assert message.path == "/messages" and message.body["max_tokens"] == 1
    chat = probe_request("gemini", "g", Capability.CHAT)
    assert chat.body["generationConfig"]["thinkingConfig"] == {"thinkingBudget": 0}
    for style, capability in ((None, Capability.CHAT), ("anthropic", Capability.EMBEDDING)):
        with pytest.raises(ConfigError):
            probe_request(style, "m", capability)
    assert _redact("bad key sk-abcdefghijkl echoed", "sk-abcdefghijkl") == "bad key [key] echoed"
    assert _redact("x" * 400, None).endswith("…")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("{not json", "document"),
        ("version: 1\nextra: 1\n", "document"),
        ("version: 1\nproviders: 3\n", "providers"),
        ("version: 1\nproviders: [3]\n", "providers[0]"),
        ("version: 1\nproviders: [{kind: groq, slug: groq, colour: x}]\n", "providers[0].colour"),
        ("version: 1\nproviders: [{kind: groq, slug: G!}]\n", "providers[0].slug"),
        ("version: 1\nproviders: [{kind: groq, slug: groq, ttl: x}]\n", "providers[0].ttl"),
        (
            "version: 1\nproviders: [{kind: groq, slug: groq, isActive: 1}]\n",
            "providers[0].isActive",
        ),
        (
            "version: 1\nproviders: [{kind: groq, slug: groq}, {kind: groq, slug: groq}]\n",
            "providers[1].slug",
        ),
        (
            "version: 1\nproviders: [{kind: groq, slug: groq}]\n"
            "models: [{provider: groq, modelId: m, capabilities: []}]\n",
            "models[0].capabilities",
        ),
        (
            "version: 1\nproviders: [{kind: groq, slug: groq}]\n"
            "models: [{provider: groq, modelId: m, capabilities: [chat], inputPrice: x}]\n",
            "models[0].inputPrice",
        ),
        (
            "version: 1\nproviders: [{kind: groq, slug: groq}]\n"
            "models: [{provider: groq, modelId: m, capabilities: [chat], tags: x}]\n",
            "models[0].tags",
        ),
        (
            "version: 1\nproviders: [{kind: groq, slug: groq}]\n"
            "models: [{provider: groq, capabilities: [chat]}]\n",
            "models[0].modelId",
        ),
        ("version: 1\nslots: [{name: 'Bad Name'}]\n", "slots[0].name"),
    ],
)
def test_a_bad_import_file_names_the_place(text: str, field: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        check_document(load(text), discover())
    assert _field(error) == field
