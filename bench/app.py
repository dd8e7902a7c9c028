"""The service as production builds it (`server.build_app`), plus bench-only routes.

Run by the bench as ``uvicorn bench.app:create_app --factory``; settings come from the same
environment variables as ``ai-model-sync serve``. Nothing here is mounted in production.

- ``PUT /bench/floor`` stores a body that ``POST /bench/floor`` then serves as is: the floor,
  what a bare Starlette route costs to take the very request the GraphQL endpoint takes (its
  body read, not parsed) and send the very bytes it sends. ``GET /bench/floor`` serves them too,
  to a bodiless request.
- ``GET /bench/naive?provider=P``: the naive design, the old REST endpoint's: the cached list
  through the catalog, then one database query per model for its saved state.
- ``POST /bench/sql/start`` / ``POST /bench/sql/stop``: count the SQL statements in between.
- ``POST /bench/forget``: forget every stored result, view and compiled completer (the
  uncached case: nothing reusable but the cached upstream list).
- ``POST /bench/timings``: the server's own time per route since the last call (median ms until
  the response starts, and until its last byte is handed to the socket), by `Timings`.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bench.sqlcount import SQLCounter
from catalog.service import Catalog
from providers import ModelRecord
from server import Services, build_app, configure_logging
from settings import Settings
from storage.models import SavedModel

JSON_TYPE = "application/json"


def create_app(environ: Mapping[str, str] | None = None) -> Timings:
    """The production app from the environment, with the bench routes added, timed."""
    settings = Settings.from_env(os.environ if environ is None else environ)
    configure_logging(settings)
    timings = Timings()
    timings.app = with_bench_routes(build_app(settings, freeze_heap=True), timings)
    return timings


class Timings:
    """An ASGI wrapper timing each request inside the server, apart from the network and the
    client: until the response starts (the work) and until its body is handed over."""

    def __init__(self) -> None:
        self.app: ASGIApp | None = None
        self.samples: defaultdict[str, list[tuple[float, float]]] = defaultdict(list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        started = start

        async def timed_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = time.perf_counter()
            await send(message)

        await self.app(scope, receive, timed_send)
        key = f"{scope['method']} {scope['path']}"
        self.samples[key].append((started - start, time.perf_counter() - start))

    def report(self) -> dict[str, dict[str, float]]:
        """Median milliseconds per route since the last report, then forget them."""
        out = {
            key: {
                "n": len(samples),
                "until_start_ms": statistics.median(s[0] for s in samples) * 1000,
                "total_ms": statistics.median(s[1] for s in samples) * 1000,
            }
            for key, samples in self.samples.items()
        }
        self.samples.clear()
        return out


def with_bench_routes(app: Starlette, timings: Timings | None = None) -> Starlette:
    floor = _Floor()
    counter = SQLCounter()

    async def timings_report(request: Request) -> Response:
        return _json(timings.report() if timings else {})

    async def forget(request: Request) -> Response:
        """Nothing reusable but the cached upstream list: no stored result, no view, no
        compiled completer (and so none of their kept fields)."""
        services: Services = request.state.services
        services.results.clear()
        services.views.clear()
        for route in app.router.routes:
            executor = getattr(getattr(route, "endpoint", None), "schema", None)
            compiled = getattr(executor, "execution_context_class", None)
            if compiled is not None and hasattr(compiled, "compiler"):
                compiled.compiler.clear()
        return _json({"forgotten": True})

    async def sql_start(request: Request) -> Response:
        counter.start()
        return _json({"counting": True})

    async def sql_stop(request: Request) -> Response:
        return _json({"statements": counter.stop()})

    app.router.routes.extend(
        [
            Route("/bench/floor", floor.get, methods=["GET"]),
            Route("/bench/floor", floor.post, methods=["POST"]),
            Route("/bench/floor", floor.put, methods=["PUT"]),
            Route("/bench/naive", naive, methods=["GET"]),
            Route("/bench/sql/start", sql_start, methods=["POST"]),
            Route("/bench/sql/stop", sql_stop, methods=["POST"]),
            Route("/bench/timings", timings_report, methods=["POST"]),
            Route("/bench/forget", forget, methods=["POST"]),
        ]
    )
    return app


class _Floor:
    def __init__(self) -> None:
        self.body = b"{}"

    async def put(self, request: Request) -> Response:
        self.body = await request.body()
        return _json({"bytes": len(self.body)})

    async def get(self, request: Request) -> Response:
        return Response(self.body, media_type=JSON_TYPE)

    async def post(self, request: Request) -> Response:
        await request.body()
        return Response(self.body, media_type=JSON_TYPE)


async def naive(request: Request) -> Response:
    """The list annotated with one `SavedModel` query per model, as the old REST endpoint did."""
    services: Services = request.state.services
    catalog: Catalog = services.catalog
    slug = request.query_params.get("provider", "openrouter")
    _, snapshot = await catalog.live(slug)
    models = []
    for record in snapshot.models:
        row = await SavedModel.get_or_none(provider__slug=slug, model_id=record.id)
        models.append(model_json(record, row))
    listing = {
        "provider": slug,
        "count": len(models),
        "fetchedAt": snapshot.fetched_at_datetime.isoformat(),
        "stale": snapshot.stale,
        "error": snapshot.error,
        "models": models,
    }
    return _json({"data": {"availableModels": listing}})


def model_json(record: ModelRecord, row: SavedModel | None) -> dict[str, Any]:
    """One model as the GraphQL `AvailableModel` type shows it, every field selected."""
    return {
        "modelId": record.id,
        "name": record.name,
        "description": record.description,
        "capabilities": [cap.name for cap in sorted(record.capabilities)],
        "inputPrice": _str(record.input_price),
        "outputPrice": _str(record.output_price),
        "contextWindow": record.context_window,
        "maxOutputTokens": record.max_output_tokens,
        "createdAt": record.created_at.isoformat() if record.created_at else None,
        "expiresAt": record.expires_at.isoformat() if record.expires_at else None,
        "ownedBy": record.owned_by,
        "inputModalities": list(record.input_modalities),
        "outputModalities": list(record.output_modalities),
        "sources": [{"field": name, "origin": origin} for name, origin in record.sources.items()],
        "raw": record.raw,
        "savedInDb": row is not None,
        "isActiveInDb": bool(row is not None and row.is_active),
        "dbId": str(row.id) if row is not None else None,
    }


def _str(value: object | None) -> str | None:
    return None if value is None else str(value)


def _json(data: object) -> Response:
    return Response(orjson.dumps(data), media_type=JSON_TYPE)
