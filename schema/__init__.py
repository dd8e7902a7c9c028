"""The GraphQL schema: composes each domain's root types; holds no logic of its own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension, ValidationCache
from strawberry.types import ExecutionContext

from schema.errors import ErrorCodes
from schema.limits import Limits
from schema.models.drift import DriftMutation, DriftQuery
from schema.models.mutations import ModelsMutation
from schema.models.queries import ModelsQuery
from schema.parsing import SafeParserCache
from schema.providers.mutations import ProvidersMutation
from schema.providers.queries import ProvidersQuery
from schema.result_cache import CachedResults
from schema.viewer import ViewerQuery

__all__ = ["Mutation", "Query", "build_schema"]


@strawberry.type(
    description=(
        "Reading: live model lists, saved models, how saved models have drifted, the "
        "provider instances, and who is calling."
    )
)
class Query(ModelsQuery, DriftQuery, ProvidersQuery, ViewerQuery):
    pass


@strawberry.type(
    description=(
        "Writing: saving, syncing and clearing models, applying upstream changes, and "
        "managing provider instances."
    )
)
class Mutation(ModelsMutation, DriftMutation, ProvidersMutation):
    pass


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Logging of errors happens once, in `ErrorCodes`, for unexpected ones only."""


def build_schema(
    extra: Sequence[Callable[[], SchemaExtension] | type[SchemaExtension]] = (),
    *,
    limits: Limits | None = None,
) -> Schema:
    """The schema, with the abuse `limits` (the settings' defaults when omitted)."""
    extensions: list[Any] = [
        SafeParserCache,
        *(limits or Limits.from_settings()).extensions(),
        ValidationCache,
        ErrorCodes,
        CachedResults,
        *extra,
    ]
    return Schema(query=Query, mutation=Mutation, extensions=extensions)
