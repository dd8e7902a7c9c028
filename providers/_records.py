"""Reading helpers every provider parser shares: list entries, a record draft, declared flags.

`parse_entries` walks a list response (a `{"<key>": [...]}` object or a bare array), skips entries
that are not objects or carry no id, and keeps the *first* occurrence of a repeated id (Mistral's
list repeats ids). `Draft` collects a `ModelRecord`'s figures together with where each came from:
a figure that is `None` records no source, so `sources` never claims a value the upstream lacked.
Capabilities are settled by `providers._capabilities.settle` before `Draft.build`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any

from providers._capabilities import Detected, as_sources
from providers._convert import mapping, timestamp
from providers._spec import JSON, ModelRecord

Entry = Mapping[str, Any]
"""One model object of an upstream list, as sent."""


def entries(payload: JSON, key: str) -> Iterator[Entry]:
    """The JSON objects under `payload[key]`, or in `payload` itself when it is a bare array."""
    items = payload if isinstance(payload, list) else mapping(payload).get(key)
    if isinstance(items, list):
        yield from (item for item in items if isinstance(item, Mapping))


def parse_entries(
    payload: JSON, key: str, build: Callable[[Entry], ModelRecord | None]
) -> list[ModelRecord]:
    """One record per distinct id, in upstream order; a repeated id keeps its first occurrence."""
    records: dict[str, ModelRecord] = {}
    for item in entries(payload, key):
        record = build(item)
        if record is not None:
            records.setdefault(record.id, record)
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
        self._fields: dict[str, Any] = {"id": model_id, "name": model_id}
        self._sources: dict[str, str] = {}
        self._raw = raw

    @property
    def name(self) -> str:
        name: str = self._fields["name"]
        return name

    def put(self, field: str, value: object, source: str) -> None:
        """Set `field` to `value` taken from `source`; a `None` value leaves the field unset."""
        if value is not None:
            self._fields[field] = value
            self._sources[field] = source

    def build(self, detected: Detected) -> ModelRecord:
        sources = {**self._sources, **as_sources(detected)}
        return ModelRecord(
            **self._fields, capabilities=frozenset(detected), sources=sources, raw=self._raw
        )
