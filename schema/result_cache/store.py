"""`ResultCache`: execution results kept by key (LRU), each with room for its encoded bytes."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from graphql import ExecutionResult as CoreResult
from strawberry.types import ExecutionResult

CachedResult = ExecutionResult | CoreResult


@dataclass(slots=True)
class Entry:
    result: CachedResult
    body: bytes | None = None  # the encoded `{"data": result.data}`, once encoded


RESULT_CACHE_BYTES = 64 * 1024 * 1024
"""The most encoded response bytes kept, whatever `size` allows: a list can be 32 MB."""


class ResultCache:
    """A bounded LRU of execution results, one per process, with their encoded responses:
    at most `size` entries and `max_bytes` of encoded responses.

    >>> cache = ResultCache(size=1)
    >>> cache.put("a", ExecutionResult(data={"n": 1}, errors=None))
    >>> cache.get("a").data, cache.get("b"), cache.hits
    ({'n': 1}, None, 1)
    """

    def __init__(self, size: int, max_bytes: int = RESULT_CACHE_BYTES) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()
        self._by_data: dict[int, Entry] = {}  # id(result.data) -> its entry, for the encoder
        self.hits = 0

    def clear(self) -> None:
        """Forget every entry (the bench's uncached case)."""
        self._entries.clear()
        self._by_data.clear()
        self.bytes = 0

    def get(self, key: Hashable) -> CachedResult | None:
        entry = self.entry(key)
        return None if entry is None else entry.result

    def entry(self, key: Hashable) -> Entry | None:
        """`get`, with the entry (and so its encoded bytes, once encoded)."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry

    def put(self, key: Hashable, result: CachedResult, body: bytes | None = None) -> None:
        """Keep `result` under `key`; `body`: its response's bytes, when already encoded."""
        if self.size <= 0:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._forget(old)
        entry = self._entries[key] = Entry(result)
        self._by_data[id(result.data)] = entry
        while len(self._entries) > self.size:
            self._forget(self._entries.popitem(last=False)[1])
        if body is not None:
            self.weigh(entry, body)

    def weigh(self, entry: Entry, body: bytes) -> None:
        """Keep `body` as `entry`'s encoded response and count it; evict the oldest while over
        `max_bytes` (the entry itself too, if it alone is over: it was served already)."""
        entry.body = body
        if self._by_data.get(id(entry.result.data)) is not entry:
            return  # evicted meanwhile: not counted, nothing to make room for
        self.bytes += len(body)
        while self.bytes > self.max_bytes and self._entries:
            self._forget(self._entries.popitem(last=False)[1])

    def _forget(self, entry: Entry) -> None:
        self._by_data.pop(id(entry.result.data), None)
        self.bytes -= len(entry.body or b"")

    def entry_for(self, data: object) -> Entry | None:
        """The entry whose result's `data` is this very object (identity, not equality: an
        entry keeps its data alive, so the id cannot be reused while the entry lives)."""
        entry = self._by_data.get(id(data))
        return entry if entry is not None and entry.result.data is data else None
