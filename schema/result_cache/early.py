"""A stored result served before any of Strawberry's per-operation work: the warm hit.

`CachedResults` answers a hit inside Strawberry's execution: the view's request parsing and
context, the extension hooks, parsing and validation (each from its cache), then the key;
that machinery was a third of a hit's own work (in-process, 0.35 → 0.24 ms once it was
skipped). `EarlyHits` recognizes the same hit first, from what those steps already decided
about this very request and kept:

- the query text is in the schema's `DocumentCache`, validated without an error (the limits
  of `schema.limits` included), and its operation (the one `operationName` names, as
  Strawberry picks it) is a query whose variables hold no string a database refuses
  (`schema.inputs`);
- `CachedResults`' `Arguments` has seen this operation with these variables: every root
  field is cacheable, and their coerced arguments are known;
- the caller may read every root field, and the key (`result_key`, the one `CachedResults`
  computes, fingerprints read through the request's loaders) has a stored result.

Then the response is that result's stored bytes, counted as `Observed` and `CachedResults`
count a hit. Anything else, a miss included, takes the usual way, with the context built
here (its loaders keep what the fingerprints read: nothing is read twice). Only a POST of
JSON without `extensions`, to a schema without extra extensions (tracing), is answered early:
the same bytes, headers and metrics as the usual way gives, which `tests/graphql` compares.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from graphql import DocumentNode, OperationDefinitionNode, OperationType, get_operation_ast
from starlette.requests import Request
from starlette.responses import Response
from strawberry.http.parse_content_type import parse_content_type
from strawberry.utils.operation import get_first_operation

from schema.context import Context
from schema.inputs import unstorable_variable
from schema.observed import observe, operation_label
from schema.parsing import DocumentCache
from schema.result_cache.encoding import EncodedResponse
from schema.result_cache.extension import (
    Arguments,
    CacheableField,
    key_of_variables,
    result_key,
)

if TYPE_CHECKING:
    from schema.transport import GraphQLOverHTTP

JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Plan:
    """A request the usual way has validated and found cacheable before."""

    request: tuple[str, str | None, bytes]  # query, operation name, variables' key
    wanted: tuple[tuple[str, dict[str, Any]], ...]
    label: str  # `Observed`'s operation label


class EarlyHits:
    """The schema's caches, read to recognize a hit early (one per schema)."""

    def __init__(
        self,
        documents: DocumentCache,
        arguments: Arguments,
        fields: Mapping[str, CacheableField],
    ) -> None:
        self.documents = documents
        self.arguments = arguments
        self.fields = fields

    def plan(self, data: Mapping[str, Any]) -> Plan | None:
        """The plan of a request body (a JSON object), or None: not known to be cacheable."""
        query, variables, name = data.get("query"), data.get("variables"), data.get("operationName")
        if data.get("extensions") is not None or not isinstance(query, str):
            return None
        if not isinstance(variables, dict | None) or not isinstance(name, str | None):
            return None
        document = self.documents.validated(query)
        if document is None:
            return None
        name = _operation_name(document, name)
        operation = get_operation_ast(document, name)
        if operation is None or operation.operation is not OperationType.QUERY:
            return None
        if unstorable_variable(variables, document) is not None:
            return None
        variables_key = key_of_variables(variables or {})
        seen, wanted = self.arguments.get(operation, variables_key)
        if not seen or wanted is None:
            return None
        return Plan((query, name, variables_key), wanted, operation_label(operation))

    async def body(self, context: Context, plan: Plan) -> bytes | None:
        """The stored response's bytes for `plan`, counted as a hit; None: not stored."""
        started = time.perf_counter()
        key = await result_key(self.fields, context, plan.request, plan.wanted)
        entry = None if key is None else context.results.entry(key)
        if entry is None:
            return None
        result = entry.result
        metrics = context.catalog.metrics
        metrics.result_cache.labels("hit").inc()
        body = EncodedResponse({"data": result.data}, entry, context.results).encode(orjson.dumps)
        observe(metrics, plan.label, "ok", time.perf_counter() - started)
        return body


def _operation_name(document: DocumentNode, given: str | None) -> str | None:
    """The operation name Strawberry executes: the given one, else the first operation's."""
    if given is not None:
        return given
    first: OperationDefinitionNode | None = get_first_operation(document)
    return first.name.value if first is not None and first.name is not None else None


async def early_response(
    view: GraphQLOverHTTP,
    hits: EarlyHits,
    request: Request,
    context_of: Callable[[Request], Awaitable[Context]],
) -> Response | Context | None:
    """A stored result's response for `request`, if it is a hit; else the context built to
    find out (`context_of`: the view's; the usual way reuses it), or None when none was."""
    content_type = request.headers.get("content-type", "")
    if content_type != JSON:  # the usual header as is; parsed (slow: `email`) otherwise
        content_type = parse_content_type(content_type)[0]
    if request.method != "POST" or content_type != JSON:
        return None
    if view._get_stream_transport_from_headers(request.headers) is not None:
        return None  # pragma: no cover (this view has no streaming transport, SSE or multipart)
    data = view.parse_json(await request.body())  # refused as the usual way refuses it
    plan = hits.plan(data) if isinstance(data, dict) else None
    if plan is None:
        return None
    context = await context_of(request)
    body = await hits.body(context, plan)
    if body is None:
        return context
    return Response(body, status_code=200, media_type=JSON)
