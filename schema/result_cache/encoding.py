"""The response encoder's shortcut: a stored result's response is encoded once, then its bytes
are reused, because encoding a 549-model list with its `raw` objects (1.5 MB of JSON) costs
more than everything else a hit does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schema.result_cache.store import Entry, ResultCache


class EncodedResponse(dict[str, Any]):
    """A response whose JSON bytes are kept in its cache entry: encoded once, then reused."""

    def __init__(self, response: dict[str, Any], entry: Entry, cache: ResultCache) -> None:
        super().__init__(response)
        self._entry = entry
        self._cache = cache

    def encode(self, dumps: Callable[[object], bytes]) -> bytes:
        body = self._entry.body
        if body is None:
            body = dumps(dict(self))
            self._cache.weigh(self._entry, body)
        return body


def encoded(cache: ResultCache, response: dict[str, Any]) -> dict[str, Any]:
    """`response` as `EncodedResponse` when it is exactly a cached result's `{"data": ...}`."""
    entry = cache.entry_for(response.get("data")) if len(response) == 1 else None
    return response if entry is None else EncodedResponse(response, entry, cache)


def encode_response(data: object, dumps: Callable[[object], bytes]) -> bytes:
    """The view's JSON encoder: an `EncodedResponse`'s kept bytes, else `dumps(data)`."""
    if isinstance(data, EncodedResponse):
        return data.encode(dumps)
    return dumps(data)
