"""Mistral parser on the real captures `mistral/models-2025-05.json` (53 models) and
`mistral/models-2026-03.json` (56 entries, 54 distinct ids: two ids appear twice)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from providers import mistral
from providers._spec import Capability as C
from providers._spec import ModelRecord
from tests.providers._captures import capture, distinct_ids

OLD = "models-2025-05.json"
NEW = "models-2026-03.json"


def records(name: str) -> dict[str, ModelRecord]:
    return {record.id: record for record in mistral.parse_models(capture("mistral", name))}


@pytest.fixture(scope="module")
def old() -> dict[str, ModelRecord]:
    return records(OLD)


@pytest.fixture(scope="module")
def new() -> dict[str, ModelRecord]:
    return records(NEW)


@pytest.mark.parametrize(("name", "entries", "distinct"), [(OLD, 53, 53), (NEW, 56, 54)])
def test_one_record_per_distinct_id_and_none_lost(name: str, entries: int, distinct: int) -> None:
    raw: Any = capture("mistral", name)
    ids = distinct_ids(raw["data"])
    assert (len(raw["data"]), len(ids)) == (entries, distinct)
    parsed = [record.id for record in mistral.parse_models(raw)]
    assert parsed == ids  # every distinct id, once, in upstream order


def test_duplicates_keep_their_first_occurrence(new: dict[str, ModelRecord]) -> None:
    raw: Any = capture("mistral", NEW)
    repeated = {i for i, n in Counter(m["id"] for m in raw["data"]).items() if n > 1}
    assert repeated == {"voxtral-mini-2507", "voxtral-mini-latest"}
    # First `voxtral-mini-2507`: an audio chat model; the later one is the transcriber.
    first = new["voxtral-mini-2507"]
    assert first.capabilities == {C.AUDIO, C.CHAT, C.CONTENT}
    assert first.context_window == 32768
    assert first.name == "voxtral-mini-2507"
    assert new["voxtral-mini-latest"].context_window == 32768


def test_created_is_request_time_and_not_a_date(new: dict[str, ModelRecord]) -> None:
    raw: Any = capture("mistral", NEW)
    assert {m["created"] for m in raw["data"]} == {1772778306}  # one value for all 56
    for record in new.values():
        assert record.created_at is None
        assert "created_at" not in record.sources


def test_names_context_and_deprecation(
    old: dict[str, ModelRecord], new: dict[str, ModelRecord]
) -> None:
    assert new["codestral-2508"].context_window == 256000
    assert new["codestral-2508"].sources["context_window"] == "max_context_length"
    assert new["mistral-large-latest"].name == "mistral-large-2512"  # alias -> canonical name
    assert old["mistral-large-latest"].name == "mistral-large-2411"
    assert old["mistral-embed"].context_window == 32768
    ocr = new["mistral-ocr-2503"]
    assert ocr.expires_at == datetime(2026, 3, 31, 12, tzinfo=UTC)
    assert ocr.sources["expires_at"] == "deprecation"
    assert new["mistral-ocr-latest"].expires_at is None
    assert new["mistral-ocr-latest"].owned_by == "mistralai"


@pytest.mark.parametrize(
    ("model_id", "expected"),
    [
        ("pixtral-large-2411", {C.CHAT, C.CONTENT, C.TOOLS, C.VISION}),
        ("open-mistral-nemo", {C.CHAT, C.CONTENT, C.TOOLS}),
        ("mistral-embed", {C.EMBEDDING}),
        ("codestral-embed", {C.EMBEDDING}),
        ("mistral-moderation-latest", {C.MODERATION}),
        ("mistral-ocr-latest", {C.TOOLS, C.VISION}),
        ("voxtral-mini-transcribe-2507", {C.AUDIO, C.TRANSCRIPTION}),
        ("voxtral-small-2507", {C.AUDIO, C.TOOLS}),
    ],
)
def test_capabilities_from_flags(
    new: dict[str, ModelRecord], model_id: str, expected: set[C]
) -> None:
    assert new[model_id].capabilities == expected


def test_flags_beat_keywords_and_sources_say_which(new: dict[str, ModelRecord]) -> None:
    pixtral = new["pixtral-large-2411"]
    assert pixtral.sources["capability.vision"] == "capabilities.vision"
    assert pixtral.sources["capability.tools"] == "capabilities.function_calling"
    assert pixtral.sources["capability.chat"] == "capabilities.completion_chat"
    # `voxtral` is a transcription keyword, but this model's flag says no.
    assert C.TRANSCRIPTION not in new["voxtral-small-2507"].capabilities
    transcriber = new["voxtral-mini-transcribe-2507"]
    assert transcriber.sources["capability.transcription"] == "capabilities.audio_transcription"
    # No embedding flag exists: the keyword fills the gap, and says so.
    assert new["mistral-embed"].sources["capability.embedding"] == "keyword:embed"
    assert new["mistral-moderation-latest"].sources["capability.moderation"] == (
        "capabilities.moderation"
    )


def test_older_schema_falls_back_to_keywords_where_no_flag_exists(
    old: dict[str, ModelRecord],
) -> None:
    moderation = old["mistral-moderation-latest"]
    assert moderation.capabilities == {C.MODERATION}
    assert moderation.sources["capability.moderation"] == "keyword:moderation"
    # Every flag of the 2025-05 OCR entries is false: nothing is claimed.
    assert old["mistral-ocr-latest"].capabilities == frozenset()


def test_no_prices(old: dict[str, ModelRecord], new: dict[str, ModelRecord]) -> None:
    for record in [*old.values(), *new.values()]:
        assert record.input_price is None and record.output_price is None


def test_spec() -> None:
    spec = mistral.SPEC
    assert (spec.kind, spec.base_url, spec.models_path) == (
        "mistral",
        "https://api.mistral.ai/v1",
        "/models",
    )
    assert spec.needs_key
    assert spec.auth_headers("k") == {"Authorization": "Bearer k"}
