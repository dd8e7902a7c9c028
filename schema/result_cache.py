"""Not re-executing an unchanged result: the catalog's hot path.

Executing a 350-model list costs graphql-core ~4 µs per resolved field (~25 ms); serving the
same result again costs almost nothing. A query is answered from this cache when every root
field is registered in `CACHEABLE` with a fingerprint: a value that changes whenever anything
that field shows could change (for `availableModels`: the list's fetch version and the
provider's saved-state, read with the request's one database query). The key also holds the
query text, variables and the caller's permissions, and only error-free results are stored, so
a caller never receives what it was not allowed to see.

A hit also skips the response's encoding: each entry keeps the bytes of its `{"data": ...}`
response, encoded once by the view (`EncodedResponse`), because encoding a 549-model list
with its `raw` objects (1.5 MB of JSON) costs more than everything else a hit does.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from graphql import ExecutionResult as CoreResult
from graphql import FieldNode, GraphQLSchema, OperationType, get_operation_ast
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

if TYPE_CHECKING:
    from schema.context import Context

CachedResult = ExecutionResult | CoreResult
Fingerprint = Callable[["Context", dict[str, Any]], Awaitable[Hashable | None]]


@dataclass(frozen=True, slots=True)
class CacheableField:
    """A root field whose result is a pure function of `fingerprint` (None: do not cache)."""

    permission: str
    fingerprint: Fingerprint


CACHEABLE: dict[str, CacheableField] = {}


@dataclass(slots=True)
class _Entry:
    result: CachedResult
    body: bytes | None = None  # the encoded `{"data": result.data}`, once the view encoded it


class ResultCache:
    """A bounded LRU of execution results, one per process, with their encoded responses."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._by_data: dict[int, _Entry] = {}  # id(result.data) -> its entry, for the view
        self.hits = 0

    def get(self, key: Hashable) -> CachedResult | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry.result

    def put(self, key: Hashable, result: CachedResult) -> None:
        if self.size <= 0:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._by_data.pop(id(old.result.data), None)
        entry = self._entries[key] = _Entry(result)
        self._by_data[id(result.data)] = entry
        while len(self._entries) > self.size:
            _, evicted = self._entries.popitem(last=False)
            self._by_data.pop(id(evicted.result.data), None)

    def encoded(self, response: dict[str, Any]) -> dict[str, Any]:
        """`response` as `EncodedResponse` when it is exactly a cached result's `{"data": ...}`.

        Matched by identity: a cached result's `data` object is only ever the one stored
        here (an entry keeps it alive, so its id cannot be reused while the entry lives).
        """
        data = response.get("data")
        entry = self._by_data.get(id(data)) if len(response) == 1 else None
        if entry is None or entry.result.data is not data:
            return response
        return EncodedResponse(response, entry)


class EncodedResponse(dict[str, Any]):
    """A response whose JSON bytes are kept in its cache entry: encoded once, then reused."""

    def __init__(self, response: dict[str, Any], entry: _Entry) -> None:
        super().__init__(response)
        self._entry = entry

    def encode(self, dumps: Callable[[object], bytes]) -> bytes:
        if self._entry.body is None:
            self._entry.body = dumps(dict(self))
        return self._entry.body


def encode_response(data: object, dumps: Callable[[object], bytes]) -> bytes:
    """The view's JSON encoder: an `EncodedResponse`'s kept bytes, else `dumps(data)`."""
    if isinstance(data, EncodedResponse):
        return data.encode(dumps)
    return dumps(data)


class CachedResults(SchemaExtension):
    """Serves a stored result when the operation's fingerprint matches, else stores it."""

    async def on_execute(self) -> AsyncIterator[None]:
        context: Context = self.execution_context.context
        key = await self._key(context)
        if key is not None:
            hit = context.results.get(key)
            if hit is not None:
                self.execution_context.result = hit
                yield
                return
        yield
        result = self.execution_context.result
        if key is not None and isinstance(result, CachedResult) and not result.errors:
            context.results.put(key, result)

    async def _key(self, context: Context) -> Hashable | None:
        ec = self.execution_context
        document, principal = ec.graphql_document, context.principal
        if document is None or principal is None:
            return None
        operation = get_operation_ast(document, ec.operation_name)
        if operation is None or operation.operation is not OperationType.QUERY:
            return None
        schema: GraphQLSchema = ec.schema._schema
        root = schema.query_type
        variables = ec.variables or {}
        coerced = get_variable_values(schema, operation.variable_definitions or (), variables)
        if not isinstance(coerced, VariableValues):
            return None  # invalid variables: execution reports them
        wanted: list[tuple[CacheableField, dict[str, Any]]] = []
        for node in operation.selection_set.selections:
            if not isinstance(node, FieldNode) or root is None:
                return None
            name = node.name.value
            if name == "__typename":
                continue
            field = CACHEABLE.get(name)
            if field is None or not principal.may(field.permission):
                return None
            wanted.append((field, get_argument_values(root.fields[name], node, coerced)))
        # at once, as execution would resolve them: one slow provider delays no other list
        prints = await asyncio.gather(*(field.fingerprint(context, args) for field, args in wanted))
        if any(fingerprint is None for fingerprint in prints):
            return None
        variables_key = orjson.dumps(variables, option=orjson.OPT_SORT_KEYS, default=str)
        permissions = tuple(sorted(principal.permissions))
        return (ec.query, ec.operation_name, variables_key, permissions, tuple(prints))
