"""Parsing and validating each query text once per process, in a cache bounded in bytes.

Strawberry's `ParserCache` and `ValidationCache` keep up to 128 documents each, whatever their
size, with their whole text: 60 unique 10 MB documents held 700 MiB, never released. Here one
LRU keeps, per query text, the parsed document and its validation errors, and is bounded by
what it holds: the text plus an estimate of the syntax tree (`_NODE_BYTES` per token, measured
on real documents), `DOCUMENT_CACHE_BYTES` in all. With `MAX_QUERY_LENGTH` and `MAX_TOKENS`
(the parser's own options) no single entry can be large either.

A text that fails to parse is not cached: Strawberry's own parse step parses it again, with the
same options, and reports the error properly (with a code; see `schema.errors`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass

from graphql import DocumentNode, GraphQLError, GraphQLSchema, Source, validate
from graphql.language.parser import Parser
from strawberry.extensions import SchemaExtension

from schema.inputs import StorableLiterals, unstorable_variable
from schema.limits import Limits, shape_errors

DOCUMENT_CACHE_BYTES = 16 * 1024 * 1024
_NODE_BYTES = 700
"""What a parsed document holds per token, measured with tracemalloc (50-77 bytes per
character of a dense document, about 7 characters per token), rounded up."""


@dataclass(slots=True)
class _Entry:
    document: DocumentNode
    weight: int
    errors: list[GraphQLError] | None = None  # once validated


class DocumentCache:
    """Query text -> its parsed document and validation errors, least recently used first out.

    One per schema: it holds the `limits`, the parser options and validation rules they make.

    >>> cache = DocumentCache(Limits.from_settings(), max_bytes=10_000)
    >>> cache.document("{ a }") is cache.document("{ a }")
    True
    >>> cache.size  # its text, and 700 bytes for each of its 3 tokens
    2105
    """

    def __init__(self, limits: Limits, max_bytes: int = DOCUMENT_CACHE_BYTES) -> None:
        self.limits = limits
        self.rules = (*limits.rules(), StorableLiterals)
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[str, _Entry] = OrderedDict()

    def __contains__(self, text: object) -> bool:
        return text in self._entries

    def document(self, text: str) -> DocumentNode:
        """The parsed `text`; raises `GraphQLError` when it does not parse."""
        entry = self._entries.get(text)
        if entry is not None:
            self._entries.move_to_end(text)
            return entry.document
        parser = Parser(Source(text), **self.limits.parse_options)
        document = parser.parse_document()
        weight = len(text) + _NODE_BYTES * parser.token_count
        if weight <= self.max_bytes:
            self._entries[text] = _Entry(document, weight)
            self.size += weight
            while self.size > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self.size -= evicted.weight
        return document

    def validated(self, text: str) -> DocumentNode | None:
        """`text`'s document when it is cached and was validated without an error, else None
        (`schema.result_cache.early`: then the request takes the usual way)."""
        entry = self._entries.get(text)
        if entry is None or entry.errors is None or entry.errors:
            return None
        self._entries.move_to_end(text)
        return entry.document

    def errors(
        self, text: str, document: DocumentNode, schema: GraphQLSchema
    ) -> list[GraphQLError]:
        """`document`'s validation errors, computed once per cached text."""
        entry = self._entries.get(text)
        if entry is not None and entry.document is document and entry.errors is not None:
            return entry.errors
        hide = self.limits.hide_suggestions
        errors = shape_errors(document, self.limits) or validate(
            schema, document, self.rules, hide_suggestions=hide
        )
        if entry is not None and entry.document is document:
            entry.errors = errors
        return errors


class CachedDocuments(SchemaExtension):
    """Parses and validates through a `DocumentCache`, with its limits' parser options and
    rules; then refuses variables holding strings no database can store (`schema.inputs`)."""

    def __init__(self, *, cache: DocumentCache) -> None:
        self.cache = cache

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        # for Strawberry's own parse, which reports a document that does not parse
        context.parse_options.update(self.cache.limits.parse_options)  # type: ignore[typeddict-item]
        if context.query is not None:
            with suppress(GraphQLError):  # Strawberry parses it again and makes it an error
                context.graphql_document = self.cache.document(context.query)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document, text = context.graphql_document, context.query
        if document is not None and text is not None:
            errors = list(self.cache.errors(text, document, context.schema._schema))
            if not errors:
                refused = unstorable_variable(context.variables, document)
                errors = [refused] if refused is not None else []
            context.pre_execution_errors = errors
        yield
