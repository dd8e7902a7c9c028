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


class ResultCache:
    """A bounded LRU of execution results, one per process, with their encoded responses.

    >>> cache = ResultCache(size=1)
    >>> cache.put("a", ExecutionResult(data={"n": 1}, errors=None))
    >>> cache.get("a").data, cache.get("b"), cache.hits
    ({'n': 1}, None, 1)
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()
        self._by_data: dict[int, Entry] = {}  # id(result.data) -> its entry, for the encoder
        self.hits = 0

    def get(self, key: Hashable) -> CachedResult | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry.result

    def put(self, key: Hashable, result: CachedResult, body: bytes | None = None) -> None:
        """Keep `result` under `key`; `body`: its response's bytes, when already encoded."""
        if self.size <= 0:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._by_data.pop(id(old.result.data), None)
        entry = self._entries[key] = Entry(result, body)
        self._by_data[id(result.data)] = entry
        while len(self._entries) > self.size:
            _, evicted = self._entries.popitem(last=False)
            self._by_data.pop(id(evicted.result.data), None)

    def entry_for(self, data: object) -> Entry | None:
        """The entry whose result's `data` is this very object (identity, not equality: an
        entry keeps its data alive, so the id cannot be reused while the entry lives)."""
        entry = self._by_data.get(id(data))
        return entry if entry is not None and entry.result.data is data else None
