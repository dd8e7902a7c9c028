"""`CachedResults`: answering a query from the result cache when nothing it shows has changed.

A query is answered from the cache when every root field is in the schema's cacheable table
(`CacheableField`, composed in `schema.build_schema`) with a fingerprint: a value that changes
whenever anything that field shows could change (for `availableModels`: the list's fetch
version and the provider's saved-state, read with the request's one database query). The key
also holds the query text, variables and the caller's permissions, and only error-free results
are stored, so a caller never receives what it was not allowed to see.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import (
    FieldNode,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from strawberry.extensions import SchemaExtension

from schema.context import Context
from schema.result_cache.store import CachedResult

Fingerprint = Callable[[Context, dict[str, Any]], Awaitable[Hashable | None]]


@dataclass(frozen=True, slots=True)
class CacheableField:
    """A root field whose result is a pure function of `fingerprint` (None: do not cache)."""

    permission: str
    fingerprint: Fingerprint


_Wanted = tuple[tuple[str, dict[str, Any]], ...] | None
"""An operation's root fields with their coerced arguments (None: not cacheable)."""


class Arguments:
    """The root fields' coerced arguments of each (operation, variables) seen lately: a pure
    function of them, and coercing the variables and arguments again was ~15% of a hit.
    Keeps each operation alive, so its id stays unique (as `schema.compiled` does)."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._seen: OrderedDict[tuple[int, bytes], tuple[OperationDefinitionNode, _Wanted]] = (
            OrderedDict()
        )

    def get(self, operation: OperationDefinitionNode, variables: bytes) -> tuple[bool, _Wanted]:
        """Whether these were seen, and their arguments then."""
        found = self._seen.get((id(operation), variables))
        if found is None or found[0] is not operation:
            return False, None
        self._seen.move_to_end((id(operation), variables))
        return True, found[1]

    def put(self, operation: OperationDefinitionNode, variables: bytes, wanted: _Wanted) -> None:
        self._seen[(id(operation), variables)] = (operation, wanted)
        while len(self._seen) > self.size:
            self._seen.popitem(last=False)


class CachedResults(SchemaExtension):
    """Serves a stored result when the operation's fingerprint matches, else stores it.
    `fields`: the cacheable root fields, by name (`schema.build_schema` passes them), and
    `arguments` the schema's memo of their coerced arguments."""

    def __init__(
        self, fields: Mapping[str, CacheableField], arguments: Arguments | None = None
    ) -> None:
        super().__init__()
        self.fields = fields
        self.arguments = Arguments() if arguments is None else arguments

    async def on_execute(self) -> AsyncIterator[None]:
        context: Context = self.execution_context.context
        key = await self._key(context)
        if key is not None:
            hit = context.results.get(key)
            context.catalog.metrics.result_cache.labels("miss" if hit is None else "hit").inc()
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
        document = ec.graphql_document
        if document is None or context.principal is None:
            return None
        operation = get_operation_ast(document, ec.operation_name)
        if operation is None or operation.operation is not OperationType.QUERY:
            return None
        variables = ec.variables or {}
        variables_key = key_of_variables(variables)
        seen, wanted = self.arguments.get(operation, variables_key)
        if not seen:
            wanted = self._arguments(ec.schema._schema, operation, variables)
            self.arguments.put(operation, variables_key, wanted)
        if wanted is None:
            return None
        return await result_key(
            self.fields, context, (ec.query, ec.operation_name, variables_key), wanted
        )

    def _arguments(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        variables: dict[str, Any],
    ) -> _Wanted:
        """The cacheable root fields' coerced arguments (shared by the requests that reuse
        them: read, never changed), or None when one is not cacheable or the variables are
        invalid (execution reports them)."""
        root = schema.query_type
        coerced = get_variable_values(schema, operation.variable_definitions or (), variables)
        if not isinstance(coerced, VariableValues) or root is None:
            return None
        wanted: list[tuple[str, dict[str, Any]]] = []
        for node in operation.selection_set.selections:
            if not isinstance(node, FieldNode):
                return None
            name = node.name.value
            if name == "__typename":
                continue
            if name not in self.fields:
                return None
            wanted.append((name, get_argument_values(root.fields[name], node, coerced)))
        return tuple(wanted)


def key_of_variables(variables: Mapping[str, Any]) -> bytes:
    """The variables as a key: equal values, equal bytes (JSON, keys sorted)."""
    return orjson.dumps(variables, option=orjson.OPT_SORT_KEYS, default=str)


async def result_key(
    table: Mapping[str, CacheableField],
    context: Context,
    request: tuple[str | None, str | None, bytes],
    wanted: tuple[tuple[str, dict[str, Any]], ...],
) -> Hashable | None:
    """The result cache's key of an operation whose root fields are `wanted` (each in
    `table`): `request` (query text, operation name, `key_of_variables`), the caller's
    permissions and each field's fingerprint; None when the caller may not read a field or a
    fingerprint is None (then the operation executes)."""
    principal = context.principal
    if principal is None:
        return None
    fields = [(table[name], args) for name, args in wanted]
    if not all(principal.may(field.permission) for field, _ in fields):
        return None
    # at once, as execution would resolve them: one slow provider delays no other list
    if len(fields) == 1:
        field, args = fields[0]
        prints: tuple[Hashable | None, ...] = (await field.fingerprint(context, args),)
    else:
        prints = tuple(
            await asyncio.gather(*(field.fingerprint(context, args) for field, args in fields))
        )
    if any(fingerprint is None for fingerprint in prints):
        return None
    return (*request, tuple(sorted(principal.permissions)), prints)
