"""The shared reading helpers in `providers/_records.py` and `settle` in `_capabilities.py`."""

from __future__ import annotations

import pytest

from providers._capabilities import settle
from providers._records import Draft, Entry, parse_entries, release_time
from providers._spec import Capability as C
from providers._spec import ModelRecord


def test_draft_records_sources_only_for_known_figures() -> None:
    draft = Draft("m", {"id": "m"})
    draft.put("context_window", 8192, "ctx")
    draft.put("input_price", None, "pricing.input")
    draft.put("input_modalities", (), "modalities")
    draft.put("description", "uncredited", None)
    record = draft.build({C.CHAT: "flags.chat"})
    assert record.name == "m"
    assert record.context_window == 8192 and record.input_price is None
    assert (record.description, record.input_modalities) == ("uncredited", ())
    assert dict(record.sources) == {"context_window": "ctx", "capability.chat": "flags.chat"}


def _build(entry: Entry) -> ModelRecord | None:
    name = entry.get("id")
    return ModelRecord(id=name, name=str(entry.get("n"))) if isinstance(name, str) else None


def test_parse_entries_keeps_first_occurrence_and_skips_garbage() -> None:
    payload = {"data": [{"id": "a", "n": 1}, 7, {"id": "a", "n": 2}, {"n": 3}, {"id": "b"}]}
    records = parse_entries(payload, "data", _build)
    assert [(r.id, r.name) for r in records] == [("a", "1"), ("b", "None")]
    assert records[0].sources["duplicates"] == "later entries with this id ignored: 1"
    assert "duplicates" not in records[1].sources


def test_parse_entries_refuses_a_payload_without_the_list() -> None:
    """An empty list would replace a good cached one: a 200 `{"error": ...}` must fail."""
    for payload in ("garbage", {"error": "rate limited"}, {"data": "oops"}, None):
        with pytest.raises(ValueError, match="'data'"):
            parse_entries(payload, "data", _build)


def test_declared_flags_silence_keywords() -> None:
    guessed = settle({}, "voxtral-small")
    assert C.TRANSCRIPTION in guessed
    declared = settle({C.AUDIO: "capabilities.audio"}, "voxtral-small", declared={C.TRANSCRIPTION})
    assert C.TRANSCRIPTION not in declared
    assert declared[C.AUDIO] == "capabilities.audio"


def test_release_time_ignores_the_epoch() -> None:
    assert release_time("1970-01-01T00:00:00Z") is None
    assert release_time(0) is None
    moment = release_time("2025-05-22T00:00:00Z")
    assert moment is not None and moment.year == 2025
