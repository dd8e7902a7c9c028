"""The GraphQL schema: composes each domain's root types; holds no logic of its own."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from schema.audit.queries import AuditQuery
from schema.catalogs.queries import CatalogsQuery
from schema.changes.mutations import ChangesMutation
from schema.changes.queries import ChangesQuery
from schema.compiled.executor import executor_class
from schema.curation.mutations import CurationMutation
from schema.curation.queries import CurationQuery
from schema.curation.transfer import TransferMutation, TransferQuery
from schema.errors import ErrorCodes
from schema.limits import Limits
from schema.live.mutations import LiveMutation
from schema.live.queries import CACHEABLE as LIVE_CACHEABLE
from schema.live.queries import LiveQuery
from schema.observed import Observed
from schema.parsing import CachedDocuments, DocumentCache
from schema.providers.mutations import ProvidersMutation
from schema.providers.queries import ProvidersQuery
from schema.result_cache.early import EarlyHits
from schema.result_cache.extension import Arguments, CacheableField, CachedResults
from schema.saved.mutations import SavedMutation
from schema.saved.queries import SavedQuery
from schema.viewer import ViewerQuery
from schema.watching.mutations import WatchingMutation
from schema.watching.queries import WatchingQuery

__all__ = ["Mutation", "Query", "build_schema"]


@strawberry.type(
    description=(
        "Reading: live model lists, saved models, slots and routes, how saved models have "
        "drifted, the provider instances, the sync log and change feed, webhooks, the price "
        "catalogs, who is calling, and who changed what (the audit log)."
    )
)
class Query(
    LiveQuery,
    SavedQuery,
    CurationQuery,
    TransferQuery,
    ChangesQuery,
    ProvidersQuery,
    WatchingQuery,
    CatalogsQuery,
    ViewerQuery,
    AuditQuery,
):
    pass


@strawberry.type(
    description=(
        "Writing: saving, syncing, curating and clearing models, slots, probes, applying "
        "upstream changes, managing provider instances and webhook endpoints."
    )
)
class Mutation(
    SavedMutation,
    CurationMutation,
    TransferMutation,
    LiveMutation,
    ChangesMutation,
    ProvidersMutation,
    WatchingMutation,
):
    pass


class Schema(strawberry.Schema):
    """`early_hits`: the result cache's early answer (`schema.result_cache.early`), or None
    when the schema has extensions it would skip (tracing)."""

    def __init__(
        self, *args: Any, hide_suggestions: bool, early_hits: EarlyHits | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.hide_suggestions = hide_suggestions
        self.early_hits = early_hits

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Logging of errors happens once, in `ErrorCodes`, for unexpected ones only."""

    def _get_custom_context_kwargs(
        self, operation_extensions: dict[str, Any] | None = None, *, sync: bool = False
    ) -> dict[str, Any]:
        """What Strawberry passes to graphql-core's `execute`: with introspection off, also
        `hide_suggestions`, so coercing variables says no "Did you mean" either (validation
        is told in `schema.parsing`). A test proves it, should Strawberry stop passing these."""
        kwargs = super()._get_custom_context_kwargs(operation_extensions, sync=sync)
        if self.hide_suggestions:
            kwargs["hide_suggestions"] = True
        return kwargs


def build_schema(
    extra: Sequence[Callable[[], SchemaExtension] | type[SchemaExtension]] = (),
    *,
    limits: Limits | None = None,
    compiled: bool = True,
) -> Schema:
    """The schema, with the abuse `limits` (the settings' defaults when omitted); the result
    cache is told here, and nowhere else, which root fields it may serve (`CACHEABLE`).
    `compiled=False`: graphql-core completes every field (what `tests/compiled` compares with)."""
    limits = limits or Limits.from_settings()
    documents, arguments = DocumentCache(limits), Arguments()
    extensions: list[Any] = [
        Observed,
        partial(CachedDocuments, cache=documents),
        ErrorCodes,
        partial(CachedResults, CACHEABLE, arguments),
        *extra,
    ]
    return Schema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        hide_suggestions=limits.hide_suggestions,
        early_hits=None if extra else EarlyHits(documents, arguments, CACHEABLE),
        execution_context_class=executor_class() if compiled else None,
    )


CACHEABLE: Mapping[str, CacheableField] = {**LIVE_CACHEABLE}
"""Every root field whose result the result cache may serve, from each domain's table."""
