"""Parsing each query text once per process.

Strawberry's `ParserCache` parses in its hook's entry, so a syntax error escapes the operation
before other extensions see it (the client then gets an error without a code). This one leaves
a query that fails to parse to Strawberry's own parse step, which reports it properly.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress

from graphql import GraphQLError
from strawberry.extensions import ParserCache


class SafeParserCache(ParserCache):
    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        # on a syntax error, Strawberry parses again, uncached, and makes it an error result
        with suppress(GraphQLError):
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        yield
