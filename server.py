"""Builds the ASGI app from `Settings`: GraphQL (with GraphiQL) at /graphql, the admin console
at /admin, /healthz (alive), /readyz (dependencies), /metrics (when `METRICS` says so); every
request with an id (`telemetry.logs`), traced when the `OTEL_*` variables ask for it."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypedDict, cast

import orjson
from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from catalog import health
from catalog.access import AUTHENTICATION_REQUIRED, TokenCache
from catalog.clock import Clock
from catalog.health import Health
from catalog.metrics import Metrics
from catalog.request_id import current_request_id
from catalog.runtime import open_catalog
from catalog.service import Catalog
from catalog.watch.scheduler import Scheduler
from schema import build_schema
from schema.context import Context
from schema.errors import ErrorCode
from schema.limits import Limits
from schema.live.loaders import Loaders
from schema.live.views import ModelViews
from schema.observed import UNKNOWN
from schema.result_cache.early import early_response
from schema.result_cache.encoding import encode_response, encoded
from schema.result_cache.store import ResultCache
from schema.transport import GraphQLOverHTTP, RefusedRequest
from settings import Settings, settings_or_exit
from telemetry import exposition, logs
from web import Pages
from web import routes as web_routes


@dataclass(frozen=True, slots=True)
class Services:
    """The app's long-lived parts, created in `lifespan` and shared by every request."""

    catalog: Catalog
    tokens: TokenCache
    results: ResultCache
    views: ModelViews
    health: Health
    scheduler: Scheduler


class State(TypedDict):
    services: Services


class GraphQLApp(GraphQLOverHTTP):
    """The GraphQL-over-HTTP view (`schema.transport`): our context, a faster JSON encoder."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            build_schema(_traced(settings), limits=Limits.from_settings(settings)),
            graphql_ide="graphiql" if settings.graphiql else None,
            max_body_bytes=settings.max_body_bytes,
        )
        self.settings = settings
        self.pages = Pages(console=settings.admin_console, graphiql=settings.graphiql)

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL served from this service's own files under a same-origin-only CSP
        (Strawberry's page loads React and GraphiQL from a CDN)."""
        return self.pages.graphiql_page(request)

    async def admit(self, request: Request) -> None:
        """Only a caller with a valid token gets its request read (`schema.transport`)."""
        services: Services = request.state.services
        principal = await services.tokens.principal(request.headers.get("authorization"))
        if principal is None:
            raise RefusedRequest(
                401,
                AUTHENTICATION_REQUIRED,
                {"WWW-Authenticate": 'Bearer realm="ai-model-sync"'},
                code=ErrorCode.UNAUTHENTICATED,
            )
        request.state.principal = principal

    async def early(self, request: Request) -> Response | Context | None:
        """A stored result served before Strawberry's per-operation work (`EarlyHits`)."""
        hits = self.schema.early_hits  # type: ignore[attr-defined]
        return None if hits is None else await early_response(self, hits, request, self._context)

    def refusal(self, request: Request, refused: HTTPException) -> Response:
        """Counted (operation unknown: nothing was parsed) and carrying the request id."""
        response = super().refusal(request, refused)
        services: Services | None = getattr(request.state, "services", None)
        code = getattr(refused, "code", ErrorCode.BAD_REQUEST)
        if services is not None:
            services.catalog.metrics.requests.labels(UNKNOWN, code.value).inc()
        request_id = current_request_id()
        if request_id is not None:
            body = orjson.loads(response.body)
            body["errors"][0]["extensions"]["requestId"] = request_id
            response.body = orjson.dumps(body)
            response.headers["content-length"] = str(len(response.body))
        return response

    async def get_context(self, request: Request, response: object) -> Context:  # type: ignore[override]
        return await self._context(request)

    async def _context(self, request: Request) -> Context:
        services: Services = request.state.services
        principal = getattr(request.state, "principal", None)  # set by `admit`
        return Context(
            request=request,
            settings=self.settings,
            catalog=services.catalog,
            principal=principal,
            loaders=Loaders.for_request(services.catalog),
            results=services.results,
            views=services.views,
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
    """Liveness: the process serves requests (restart it when this stops answering)."""
    return JSONResponse({"status": "alive"})


async def readyz(request: Request) -> Response:
    """Readiness: each dependency (database, cache, migrations at head) and whether it
    answers; 503 when one does not (take the worker out of the balancer, do not restart it)."""
    services: Services = request.state.services
    report = await services.health.report()
    return JSONResponse(report.as_json(), status_code=200 if report.ok else 503)


@asynccontextmanager
async def running(scheduler: Scheduler) -> AsyncIterator[None]:
    """The scheduler's loop for the app's lifetime, cancelled at shutdown. With `REFRESH=off`
    it refreshes nothing but still sends the webhook deliveries that are due."""
    task = asyncio.create_task(scheduler.run())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def build_app(
    settings: Settings, *, clock: Clock = time.time, freeze_heap: bool = False
) -> Starlette:
    """The app; `clock` is the time the catalog reads (tests pass one they move).
    `freeze_heap`: the process serves this app only (`serve`, each `--factory` worker), so
    what startup built is frozen (`freeze_startup_heap`)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[State]:
        async with AsyncExitStack() as stack:
            catalog = await stack.enter_async_context(open_catalog(settings, clock=clock))
            if settings.metrics == "PORT":
                await stack.enter_async_context(exposition.separate_port(settings, catalog.metrics))
            stack.callback(exposition.worker_stopped, settings)
            if settings.tracing:
                from telemetry import tracing

                stack.callback(tracing.shutdown)
            scheduler = Scheduler(catalog, catalog.watch.deliverer, refresh=settings.refresh)
            await stack.enter_async_context(running(scheduler))
            if freeze_heap:
                freeze_startup_heap()
            yield {
                "services": Services(
                    catalog=catalog,
                    tokens=TokenCache(settings.token_cache_ttl, clock),
                    results=ResultCache(settings.result_cache_size),
                    views=ModelViews(),
                    health=health.of_catalog(catalog.lists.cache),
                    scheduler=scheduler,
                )
            }

    app = Starlette(routes=_routes(settings), lifespan=lifespan)
    app.add_middleware(logs.RequestIds)
    return app


YOUNG_THRESHOLD = 5_000
"""A serving process's young-generation threshold (CPython's default is 700). A request that
builds a large response (549 models: ~20,000 objects, nearly all freed by reference counting
as soon as it is sent) set off ~2.7 young collections each (and every tenth of them a middle
one), walking objects about to die anyway. Measured per uncached 549-model request: 700 ->
0.55 ms of collections, 2,000 -> 0.55 (one inside nearly every request), 3,000 -> 0.28,
5,000 -> 0.22, 10,000 -> 0.37 (fewer, longer pauses: p95 up 2 ms); peak RSS the same."""


def freeze_startup_heap() -> None:
    """Move everything startup built (modules, the schema, the ORM's models: ~120,000
    objects) out of the garbage collector's sight, as `gc.freeze` is meant for. Otherwise
    each full collection walks them all again, ~60-140 ms with the event loop stopped, every
    few requests that build a large list (the tail under load). Collected first, so no
    garbage is frozen; what is frozen lives as long as the process anyway. Then the young
    generation's threshold is raised (`YOUNG_THRESHOLD`), the older ones' kept."""
    gc.collect()
    gc.freeze()
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(YOUNG_THRESHOLD, young), middle, old)


def _routes(settings: Settings) -> list[BaseRoute]:
    routes: list[BaseRoute] = [
        Route("/graphql", GraphQLApp(settings), methods=["GET", "POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        *web_routes(console=settings.admin_console, graphiql=settings.graphiql),
    ]
    if settings.metrics == "TOKEN":
        endpoint = exposition.token_route(settings, _metrics_of)
        routes.append(Route("/metrics", endpoint, methods=["GET"]))
    return routes


def _metrics_of(request: Request) -> Metrics:
    services: Services = request.state.services
    services.catalog.metrics.sample_pool()
    return services.catalog.metrics


def _traced(settings: Settings) -> list[Any]:
    """The schema's tracing extension, when tracing is on; OpenTelemetry is imported only then."""
    if not settings.tracing:
        return []
    from telemetry import tracing

    return tracing.configure(settings)


def configure_logging(settings: Settings) -> None:
    """One format for every process that serves (`serve`, `--factory` workers, the bench)."""
    logs.configure(settings)


def app_from_env() -> Starlette:
    """The app for `uvicorn --factory server:app_from_env --workers N`: each worker process
    reads the environment once and builds its own app (a bad setting: one line, exit 2)."""
    settings = settings_or_exit(os.environ)
    configure_logging(settings)
    return build_app(settings, freeze_heap=True)


def main(settings: Settings | None = None) -> None:
    import uvicorn

    settings = settings or settings_or_exit(os.environ)
    configure_logging(settings)
    uvicorn.run(
        build_app(settings, freeze_heap=True),
        host=settings.host,
        port=settings.port,
        log_config=None,
    )


if __name__ == "__main__":
    main()
