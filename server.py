"""Builds the ASGI app from `Settings`: GraphQL (with GraphiQL) at /graphql, /healthz."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypedDict, cast

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult
from tortoise import connections

from catalog.access import TokenCache
from catalog.clock import Clock
from catalog.runtime import open_catalog
from catalog.service import Catalog
from schema import build_schema
from schema.context import Context
from schema.limits import Limits
from schema.live.loaders import Loaders
from schema.result_cache.encoding import encode_response, encoded
from schema.result_cache.store import ResultCache
from schema.transport import GraphQLOverHTTP
from settings import Settings


@dataclass(frozen=True, slots=True)
class Services:
    """The app's long-lived parts, created in `lifespan` and shared by every request."""

    catalog: Catalog
    tokens: TokenCache
    results: ResultCache


class State(TypedDict):
    services: Services


class GraphQLApp(GraphQLOverHTTP):
    """The GraphQL-over-HTTP view (`schema.transport`): our context, a faster JSON encoder."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            build_schema(limits=Limits.from_settings(settings)),
            graphql_ide="graphiql" if settings.graphiql else None,
        )
        self.settings = settings

    async def get_context(self, request: Request, response: object) -> Context:  # type: ignore[override]
        services: Services = request.state.services
        principal = await services.tokens.principal(request.headers.get("authorization"))
        return Context(
            request=request,
            settings=self.settings,
            catalog=services.catalog,
            principal=principal,
            loaders=Loaders.for_request(services.catalog),
            results=services.results,
        )

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        services: Services = request.state.services
        return cast(GraphQLHTTPResponse, encoded(services.results, cast(dict[str, Any], response)))

    def encode_json(self, data: object) -> bytes:
        """orjson; a cached result's response is encoded once, then its bytes are reused."""
        return encode_response(data, orjson.dumps)


async def healthz(request: Request) -> Response:
    """Liveness and readiness: the process answers and the database does too."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:  # any driver failure means "not ready"; the detail goes to the log
        logging.getLogger(__name__).exception("health check: database unreachable")
        return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
    return JSONResponse({"status": "ok"})


def build_app(settings: Settings, *, clock: Clock = time.time) -> Starlette:
    """The app; `clock` is the time the catalog reads (tests pass one they move)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[State]:
        async with open_catalog(settings, clock=clock) as catalog:
            yield {
                "services": Services(
                    catalog=catalog,
                    tokens=TokenCache(settings.token_cache_ttl),
                    results=ResultCache(settings.result_cache_size),
                )
            }

    return Starlette(
        routes=[
            Route("/graphql", GraphQLApp(settings), methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


def configure_logging(settings: Settings) -> None:
    """One format for every process that serves (`serve`, `--factory` workers, the bench)."""
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def app_from_env() -> Starlette:
    """The app for `uvicorn --factory server:app_from_env --workers N`: each worker process
    reads the environment once and builds its own app."""
    settings = Settings.from_env(os.environ)
    configure_logging(settings)
    return build_app(settings)


def main() -> None:
    import uvicorn

    settings = Settings.from_env(os.environ)
    configure_logging(settings)
    uvicorn.run(build_app(settings), host=settings.host, port=settings.port, log_level="info")


if __name__ == "__main__":
    main()
