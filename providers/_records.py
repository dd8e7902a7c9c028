"""What every provider parser shares: reading list entries, and assembling a record with sources.

`parse_entries` walks a list response (a `{"<key>": [...]}` object or a bare array), skips entries
that are not objects or carry no id, and keeps the *first* occurrence of a repeated id (Mistral's
list repeats ids). `Draft` collects a `ModelRecord`'s figures together with where each came from:
a figure that is `None` records no source, so `sources` never claims a value the upstream lacked.
Capabilities are settled by `providers._capabilities.settle` before `Draft.build`.

`openai_draft` reads OpenAI's `GET /v1/models` entry (`{"id", "object": "model", "created",
"owned_by"}` under `data`), which OpenAI, Mistral, vLLM, LM Studio and the LiteLLM proxy return
(Together as a bare array); each provider adds its own extras.
Reference: https://platform.openai.com/docs/api-reference/models/list
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from providers._capabilities import Detected, as_sources
from providers._convert import mapping, text_or_none, timestamp
from providers._spec import JSON, ModelRecord

Entry = Mapping[str, Any]
"""One model object of an upstream list, as sent."""


def parse_entries(
    payload: JSON, key: str, build: Callable[[Entry], ModelRecord | None]
) -> list[ModelRecord]:
    """One record per distinct id, in upstream order; a repeated id keeps its first occurrence.

    Nothing passes in silence: a payload without the list (a 200 `{"error": ...}`) raises
    `ValueError`, which the fetch loop reports as unreadable, because an empty list would
    replace a good cached one; a record whose id repeats counts the ignored repeats in `sources`.
    """
    items = payload if isinstance(payload, list) else mapping(payload).get(key)
    if not isinstance(items, list):
        raise ValueError(f"expected a JSON array or an object with a {key!r} array")
    records: dict[str, ModelRecord] = {}
    repeats: Counter[str] = Counter()
    for item in items:
        record = build(item) if isinstance(item, Mapping) else None
        if record is not None and record.id in records:
            repeats[record.id] += 1
        elif record is not None:
            records[record.id] = record
    for model_id, count in repeats.items():
        record, note = records[model_id], f"later entries with this id ignored: {count}"
        records[model_id] = replace(record, sources={**record.sources, "duplicates": note})
    return list(records.values())


def release_time(value: Any) -> datetime | None:
    """A timestamp, except the Unix epoch that some upstreams send for "unknown"."""
    moment = timestamp(value)
    return moment if moment is not None and moment.year > 1970 else None


class Draft:
    """A `ModelRecord` being assembled, with the source of every figure it holds.

    >>> draft = Draft("m-1", {"id": "m-1", "ctx": 4096})
    >>> draft.put("context_window", 4096, "ctx")
    >>> draft.put("input_price", None, "pricing.input")
    >>> dict(draft.build({}).sources)
    {'context_window': 'ctx'}
    """

    def __init__(self, model_id: str, raw: Entry) -> None:
        self.id = model_id
        self.sources: dict[str, str] = {}
        self._fields: dict[str, Any] = {"id": model_id, "name": model_id}
        self._raw = raw

    @classmethod
    def of(cls, entry: Entry) -> Draft | None:
        """A draft of an entry with a usable `id`; `None` (skip it) without one."""
        model_id = text_or_none(entry.get("id"))
        return None if model_id is None else cls(model_id, entry)

    @property
    def name(self) -> str:
        name: str = self._fields["name"]
        return name

    def put(self, field: str, value: object, source: str | None) -> None:
        """Set `field` to `value` taken from `source`; `None` or `()` leaves the field unset.

        A `None` source sets the figure without crediting it (Groq's and OpenRouter's `sources`
        have never named where `name` and `description` came from).
        """
        if value is not None and value != ():
            self._fields[field] = value
            if source is not None:
                self.sources[field] = source

    def build(self, detected: Detected) -> ModelRecord:
        sources = {**self.sources, **as_sources(detected)}
        return ModelRecord(
            **self._fields, capabilities=frozenset(detected), sources=sources, raw=self._raw
        )


def openai_draft(entry: Entry, *, created: bool = True) -> Draft | None:
    """`id`, `owned_by` and (unless the upstream's `created` is not a real date) `created_at`."""
    draft = Draft.of(entry)
    if draft is None:
        return None
    draft.put("owned_by", text_or_none(entry.get("owned_by")), "owned_by")
    if created:
        draft.put("created_at", release_time(entry.get("created")), "created")
    return draft
