"""Hugging Face parser on a CONSTRUCTED fixture, NOT a capture.

No real `GET /api/models` response was found, so `tests/fixtures/providers/huggingface/` holds
pages written by hand from the Hub's API reference (see the README there). These tests show the
parser reads what the reference documents; they say nothing about a live response's quirks.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from providers import huggingface
from providers._spec import Capability, ModelRecord
from tests.providers._captures import FIXTURES, capture

PAGE1 = "models-constructed.json"
PAGE2 = "models-constructed-page2.json"
NEXT = (
    "https://huggingface.co/api/models?sort=downloads&direction=-1&limit=12"
    "&cursor=eyJfaWQiOiIwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMGMifQ"
)
# The capabilities each pipeline tag stands for, written out independently of the parser.
BY_TAG = {
    "text-generation": {Capability.CONTENT},
    "image-text-to-text": {Capability.CONTENT, Capability.VISION},
    "text-to-image": {Capability.IMAGE},
    "automatic-speech-recognition": {Capability.AUDIO, Capability.TRANSCRIPTION},
    "text-to-speech": {Capability.AUDIO, Capability.SPEECH},
    "feature-extraction": {Capability.EMBEDDING},
    "sentence-similarity": {Capability.EMBEDDING},
    "text-ranking": {Capability.RERANK},
    "text-to-video": {Capability.VIDEO},
}


def parsed(name: str) -> dict[str, ModelRecord]:
    return {r.id: r for r in huggingface.parse_models(capture("huggingface", name))}


def test_fixture_is_labelled_constructed_everywhere() -> None:
    readme = (FIXTURES / "huggingface" / "README.md").read_text(encoding="utf-8")
    assert "CONSTRUCTED, not captured" in readme
    assert "CONSTRUCTED" in (huggingface.__doc__ or "")
    assert "https://huggingface.co/docs/hub/api" in (huggingface.__doc__ or "")
    assert "CONSTRUCTED" in (__doc__ or "")
    assert Path(FIXTURES / "huggingface" / PAGE1).is_file()  # committed, not only shared


@pytest.mark.parametrize(("name", "size"), [(PAGE1, 12), (PAGE2, 2)])
def test_every_model_is_parsed(name: str, size: int) -> None:
    raw_ids = [model["id"] for model in capture("huggingface", name)]
    assert [r.id for r in huggingface.parse_models(capture("huggingface", name))] == raw_ids
    assert len(set(raw_ids)) == size


def test_pipeline_tag_is_the_capability() -> None:
    records = parsed(PAGE1) | parsed(PAGE2)
    for raw in capture("huggingface", PAGE1) + capture("huggingface", PAGE2):
        record = records[raw["id"]]
        expected = set(BY_TAG.get(raw.get("pipeline_tag"), set()))
        if expected & {Capability.CONTENT} and "conversational" in raw["tags"]:
            expected.add(Capability.CHAT)
        if "guard" in raw["id"].lower():
            expected.add(Capability.MODERATION)
        assert record.capabilities == expected, raw["id"]
        for cap in expected - {Capability.MODERATION}:
            assert record.sources[f"capability.{cap.value}"] == "pipeline_tag"


def test_chat_only_for_conversational_text_generators() -> None:
    records = parsed(PAGE1)
    assert Capability.CHAT in records["meta-llama/Llama-3.1-8B-Instruct"].capabilities
    assert records["openai-community/gpt2"].capabilities == {Capability.CONTENT}
    assert records["Qwen/Qwen2.5-VL-7B-Instruct"].capabilities == {
        Capability.CHAT,
        Capability.CONTENT,
        Capability.VISION,
    }
    assert records["example-org/lora-adapter"].capabilities == frozenset()  # no pipeline_tag


def test_popularity_dates_owner_and_no_prices() -> None:
    records = parsed(PAGE1)
    llama = records["meta-llama/Llama-3.1-8B-Instruct"]
    assert llama.popularity == 6000000
    assert llama.created_at == datetime(2024, 7, 18, 8, 56, tzinfo=UTC)
    assert llama.owned_by == "meta-llama"
    assert llama.input_modalities == ("text",)
    assert dict(llama.sources) == {
        "created_at": "createdAt",
        "owned_by": "id",
        "popularity": "downloads",
        "input_modalities": "pipeline_tag",
        "output_modalities": "pipeline_tag",
        "capability.chat": "pipeline_tag",
        "capability.content": "pipeline_tag",
    }
    assert records["example-org/lora-adapter"].popularity == 0  # zero is a count, not unknown
    for record in records.values():
        assert (record.input_price, record.output_price, record.context_window) == (None,) * 3


def test_the_pre_2022_created_at_placeholder_is_unknown() -> None:
    records = parsed(PAGE1) | parsed(PAGE2)
    assert records["openai-community/gpt2"].created_at is None
    assert "created_at" not in records["openai-community/gpt2"].sources
    assert records["google-bert/bert-base-uncased"].created_at is None
    minilm = records["sentence-transformers/all-MiniLM-L6-v2"]  # one second later: a real date
    assert minilm.created_at == datetime(2022, 3, 2, 23, 29, 5, tzinfo=UTC)


def test_author_wins_over_the_id_prefix() -> None:
    (record,) = huggingface.parse_models([{"id": "org/m", "author": "Org Inc"}])
    assert (record.owned_by, record.sources["owned_by"]) == ("Org Inc", "author")


def test_duplicates_and_junk() -> None:
    page = [{"id": "a/b", "downloads": 1}, "x", {"modelId": "no-id"}, {"id": "a/b", "downloads": 2}]
    (record,) = huggingface.parse_models(page)
    assert record.popularity == 1
    assert record.sources["duplicates"] == "later entries with this id ignored: 1"
    with pytest.raises(ValueError):
        huggingface.parse_models({"error": "Invalid cursor"})


def test_paging_follows_the_link_header() -> None:
    page1 = capture("huggingface", PAGE1)
    link = f'<{NEXT}>; rel="next"'
    assert huggingface.next_page(page1, {"Link": link}) == NEXT
    assert huggingface.next_page(page1, {"link": link}) == NEXT  # header case does not matter
    both = f'<https://huggingface.co/api/models?p=0>; rel="prev", <{NEXT}>; rel=next'
    assert huggingface.next_page(page1, {"Link": both}) == NEXT
    relative = '</api/models?cursor=abc>; rel="next"'
    assert huggingface.next_page(page1, {"Link": relative}) == "/api/models?cursor=abc"
    assert huggingface.next_page(capture("huggingface", PAGE2), {}) is None
    assert huggingface.next_page(page1, {"Link": '<https://x.example/p>; rel="prev"'}) is None
    assert huggingface.next_page(page1, {"Link": "<javascript:alert(1)>; rel=next"}) is None
    assert huggingface.next_page(page1, {"Link": "not a link header"}) is None


def test_spec_asks_once_per_app_pipeline_tag_with_bounds() -> None:
    spec = huggingface.SPEC
    assert (spec.kind, spec.base_url, spec.models_path) == (
        "huggingface",
        "https://huggingface.co/api",
        "/models",
    )
    tags = [params["pipeline_tag"] for params in spec.requests]
    assert len(tags) == len(set(tags))
    assert {
        "text-generation",
        "image-text-to-text",
        "text-to-image",
        "automatic-speech-recognition",
        "text-to-speech",
        "feature-extraction",
        "sentence-similarity",
    } <= set(tags)
    assert set(tags) <= set(huggingface.PIPELINES)  # every requested tag is mapped
    for params in spec.requests:
        assert (params["sort"], params["direction"]) == ("downloads", "-1")
        assert 0 < int(params["limit"]) <= 100
    assert 1 <= spec.max_pages <= 5
    assert spec.needs_key is False
