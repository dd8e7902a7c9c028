"""Abuse limits: how deep, how aliased and how long a document may be; introspection on/off.

Each limit is a validation rule (tokens: a parser option), so a document over a limit is
refused before anything runs, with `extensions.code` `QUERY_TOO_COMPLEX` (`GRAPHQL_VALIDATION_
FAILED` for introspection when it is switched off). The rules are built once per schema: the
validation cache keys on the rule classes, so one set per process keeps it hitting.

Depth is counted by Strawberry's `QueryDepthLimiter` (introspection fields are not counted, so
GraphiQL's schema query passes); aliases by `MaxAliasesLimiter`, over the whole document;
tokens by graphql-core's parser (`max_tokens`), which stops reading a document past the limit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from graphql import ASTValidationRule, GraphQLError, ValidationContext
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, SchemaExtension
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

from schema.errors import ErrorCode
from settings import Settings


@dataclass(frozen=True, slots=True)
class Limits:
    """What a document may be (`from_settings()`: the settings' defaults)."""

    max_depth: int
    max_aliases: int
    max_tokens: int
    introspection: bool

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Limits:
        settings = settings or Settings()
        return cls(
            max_depth=settings.max_query_depth,
            max_aliases=settings.max_aliases,
            max_tokens=settings.max_tokens,
            introspection=settings.introspection,
        )

    def extensions(self) -> list[Callable[[], SchemaExtension]]:
        rules: list[type[ASTValidationRule]] = [
            coded(depth_rule(self.max_depth, None), ErrorCode.QUERY_TOO_COMPLEX),
            coded(aliases_rule(self.max_aliases), ErrorCode.QUERY_TOO_COMPLEX),
        ]
        if not self.introspection:
            rules.append(NoSchemaIntrospectionCustomRule)
        return [
            partial(AddValidationRules, rules),
            partial(MaxTokensLimiter, max_token_count=self.max_tokens),
        ]


class _CodingContext:
    """A validation context whose reported errors carry `extensions.code`."""

    def __init__(self, context: ValidationContext, code: ErrorCode) -> None:
        self._context = context
        self._code = code

    def report_error(self, error: GraphQLError) -> None:
        error.extensions = {**(error.extensions or {}), "code": self._code.value}
        self._context.report_error(error)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


def coded(rule: type[ASTValidationRule], code: ErrorCode) -> type[ASTValidationRule]:
    """`rule`, with every error it reports coded `code`."""

    class Coded(rule):  # type: ignore[valid-type,misc]
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(_CodingContext(context, code))

    Coded.__name__ = Coded.__qualname__ = f"Coded{rule.__name__}"
    return Coded
