"""`Observed`: every GraphQL operation counted and timed (`catalog.metrics`), by its root
fields and its outcome, and every error given the request's id (`extensions.requestId`).

Listed first among the extensions, so it sees the result after `ErrorCodes` has coded it.
The operation label is the sorted set of the operation's root field names (`availableModels`,
`saveModel`), which the schema bounds; never the client's `operationName`, which it does not.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from graphql import FieldNode, GraphQLError, OperationDefinitionNode, get_operation_ast
from strawberry.extensions import SchemaExtension

from catalog.metrics import Metrics
from catalog.request_id import current_request_id
from schema.context import Context

UNKNOWN = "-"
"""The operation label of a document that did not parse or names no operation."""


class Observed(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        ec = self.execution_context
        result = ec.result
        errors = (
            list(result.errors or ()) if result is not None else list(ec.pre_execution_errors or ())
        )
        request_id = current_request_id()
        if request_id is not None:
            for error in errors:
                _add_request_id(error, request_id)
        context: Context = ec.context
        seconds = time.perf_counter() - started
        observe(context.catalog.metrics, self.operation_label(), _outcome(errors), seconds)

    def operation_label(self) -> str:
        ec = self.execution_context
        if ec.graphql_document is None:
            return UNKNOWN
        try:
            operation = get_operation_ast(ec.graphql_document, ec.operation_name)
        except GraphQLError:  # pragma: no cover (graphql-core returns None instead)
            return UNKNOWN
        return operation_label(operation)


def operation_label(operation: OperationDefinitionNode | None) -> str:
    """The sorted root field names of `operation` (`UNKNOWN` for none)."""
    if operation is None:
        return UNKNOWN
    selections = operation.selection_set.selections
    names = {node.name.value for node in selections if isinstance(node, FieldNode)}
    return ",".join(sorted(names)) or UNKNOWN


def observe(metrics: Metrics, operation: str, outcome: str, seconds: float) -> None:
    """One operation counted and timed (`Observed`, and a stored result served early)."""
    metrics.requests.labels(operation, outcome).inc()
    metrics.request_seconds.labels(operation).observe(seconds)
    metrics.sample_pool()


def _outcome(errors: list[GraphQLError]) -> str:
    if not errors:
        return "ok"
    code = (errors[0].extensions or {}).get("code")
    return str(code) if code else "INTERNAL_SERVER_ERROR"


def _add_request_id(error: GraphQLError, request_id: str) -> None:
    error.extensions = {**(error.extensions or {}), "requestId": request_id}
