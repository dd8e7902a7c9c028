"""What every resolver receives: the request, the app's services, the caller, the loaders."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry
from starlette.requests import Request

from catalog.access import Principal
from catalog.audit import Actor
from catalog.service import Catalog
from schema.live.loaders import Loaders
from schema.live.views import ModelViews
from schema.result_cache.store import ResultCache
from settings import Settings


@dataclass(frozen=True, slots=True)
class Context:
    request: Request
    settings: Settings
    catalog: Catalog
    principal: Principal | None
    loaders: Loaders
    results: ResultCache
    views: ModelViews

    @property
    def actor(self) -> Actor:
        """Who the audit log names for a change: the token's name (a permission class has
        checked there is a principal before any mutation runs)."""
        assert self.principal is not None
        return Actor(self.principal.name, "graphql")


Info = strawberry.Info[Context, None]
