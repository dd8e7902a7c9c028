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
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import FieldNode, GraphQLSchema, OperationType, get_operation_ast
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


class CachedResults(SchemaExtension):
    """Serves a stored result when the operation's fingerprint matches, else stores it.
    `fields`: the cacheable root fields, by name (`schema.build_schema` passes them)."""

    def __init__(self, fields: Mapping[str, CacheableField]) -> None:
        super().__init__()
        self.fields = fields

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
            field = self.fields.get(name)
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
