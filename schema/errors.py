"""How failures reach clients: a GraphQL error with a stable `extensions.code`, mapped here once.

Service errors keep their message (written for people, free of secrets). Anything unexpected is
masked to "Internal server error" and logged once with its traceback, server-side only. Every
message is bounded here (`errors.shorten`), whoever wrote it, so none echoes an unbounded input
back: graphql-core's own messages quote the names and values a request sent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from errors import (
    MAX_MESSAGE,
    AuthenticationError,
    ConfigError,
    ConflictError,
    DatabaseBusyError,
    InvalidInputError,
    NotFoundError,
    ProviderError,
    RateLimitedError,
    ServiceError,
    shorten,
)

log = logging.getLogger("ai_model_sync.errors")

OVER_LIMITS = ("Document contains more than", "Source contains more than")
"""How graphql-core's parser starts its message for a document over `max_tokens` or
`max_source_length`."""


class ErrorCode(StrEnum):
    """Every `extensions.code` a client can see (the README says what to do for each)."""

    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    UPSTREAM_ERROR = "UPSTREAM_ERROR"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    DATABASE_BUSY = "DATABASE_BUSY"
    CONFLICT = "CONFLICT"
    RATE_LIMITED = "RATE_LIMITED"
    BAD_REQUEST = "BAD_REQUEST"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


_CODES: tuple[tuple[type[ServiceError], ErrorCode], ...] = (
    (ProviderError, ErrorCode.UPSTREAM_ERROR),
    (NotFoundError, ErrorCode.NOT_FOUND),
    (ConfigError, ErrorCode.BAD_USER_INPUT),
    (ConflictError, ErrorCode.CONFLICT),
    (InvalidInputError, ErrorCode.BAD_USER_INPUT),
    (RateLimitedError, ErrorCode.RATE_LIMITED),
    (AuthenticationError, ErrorCode.UNAUTHENTICATED),
    (DatabaseBusyError, ErrorCode.DATABASE_BUSY),
)


def code_for(error: ServiceError) -> ErrorCode:
    return next(code for kind, code in _CODES if isinstance(error, kind))


def _extensions(error: ServiceError) -> dict[str, object]:
    extensions: dict[str, object] = {"code": code_for(error).value}
    if isinstance(error, ProviderError):
        extensions["provider"] = error.provider
        status = getattr(error, "status", None)
        if status is not None:
            extensions["upstreamStatus"] = status
    field = getattr(error, "field", None)
    if field is not None:
        extensions["field"] = field
    if isinstance(error, RateLimitedError):
        extensions["retryAfter"] = round(error.retry_in, 1)
    return extensions


def with_code(error: GraphQLError, *, validation_failed: bool) -> GraphQLError:
    """The error a client sees for `error`."""
    original = error.original_error
    if isinstance(original, GraphQLError) and "code" in (original.extensions or {}):
        return _bounded(error)  # a permission class set its code (and message) already
    if original is None and "code" in (error.extensions or {}):
        return _bounded(error)  # a validation rule set its code (see `schema.limits`)
    if isinstance(original, ServiceError):
        code: dict[str, object] = _extensions(original)
        message = str(original)
    elif original is None or (
        error.path is None and isinstance(original, GraphQLError | ValueError | TypeError)
    ):
        # before execution: the document or the variables are wrong
        kind = (
            ErrorCode.GRAPHQL_VALIDATION_FAILED if validation_failed else ErrorCode.BAD_USER_INPUT
        )
        if error.message.startswith("Syntax Error"):
            kind = ErrorCode.GRAPHQL_PARSE_FAILED
            if any(limit in error.message for limit in OVER_LIMITS):
                kind = ErrorCode.QUERY_TOO_COMPLEX  # the parser's limits stopped it
        code, message = {"code": kind.value}, error.message
    else:
        log.error("unexpected error in %s", error.path, exc_info=original)
        code, message = {"code": ErrorCode.INTERNAL_SERVER_ERROR.value}, "Internal server error"
    return _rebuilt(error, message, {**(error.extensions or {}), **code})


def _bounded(error: GraphQLError) -> GraphQLError:
    if len(error.message) <= MAX_MESSAGE:
        return error
    return _rebuilt(error, error.message, error.extensions)


def _rebuilt(error: GraphQLError, message: str, extensions: dict[str, Any] | None) -> GraphQLError:
    return GraphQLError(
        shorten(message),
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )


class ErrorCodes(SchemaExtension):
    """Gives every error of the response its code; masks the unexpected ones."""

    def on_validate(self) -> Iterator[None]:
        yield
        self.validation_failed = bool(self.execution_context.pre_execution_errors)

    def on_operation(self) -> Iterator[None]:
        self.validation_failed = False
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [
                with_code(error, validation_failed=self.validation_failed)
                for error in result.errors
            ]
