"""`/metrics` in the Prometheus text format, as `METRICS` says: `OFF` (no endpoint), `TOKEN`
(on the service's port, for `Authorization: Bearer $METRICS_TOKEN` only) or `PORT` (open, on
`METRICS_HOST:METRICS_PORT` alone, which every worker binds with `SO_REUSEPORT`; keep that
address private).

With `PROMETHEUS_MULTIPROC_DIR`, whichever worker answers sums every worker's files, so one
scrape sees the whole deployment; a worker that stops marks its live gauges dead.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from catalog.metrics import Metrics
from settings import Settings

log = logging.getLogger(__name__)

MetricsOf = Callable[[Request], Metrics]
Endpoint = Callable[[Request], Awaitable[Response]]


def exposition(settings: Settings, metrics: Metrics) -> bytes:
    """The text a scrape gets: this process's registry, or every worker's files."""
    if settings.prometheus_multiproc_dir is None:
        return generate_latest(metrics.registry)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=settings.prometheus_multiproc_dir)  # type: ignore[no-untyped-call]
    return generate_latest(registry)


def token_route(settings: Settings, metrics_of: MetricsOf) -> Endpoint:
    """`/metrics` on the service's port, behind `METRICS_TOKEN`."""
    expected = f"Bearer {settings.metrics_token}" if settings.metrics_token else None

    async def metrics(request: Request) -> Response:
        given = request.headers.get("authorization", "")
        if expected is None or not hmac.compare_digest(given.encode(), expected.encode()):
            return JSONResponse(
                {"error": "send Authorization: Bearer <METRICS_TOKEN>"},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
        body = exposition(settings, metrics_of(request))
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return metrics


@asynccontextmanager
async def separate_port(settings: Settings, metrics: Metrics) -> AsyncIterator[None]:
    """`METRICS=PORT`: a bare HTTP listener answering `GET /metrics`, for this block."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=5)
            method, path, *_ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
            if method == "GET" and path.split("?")[0] == "/metrics":
                metrics.sample_pool()
                status, kind, body = "200 OK", CONTENT_TYPE_LATEST, exposition(settings, metrics)
            else:
                status, kind, body = "404 Not Found", "text/plain", b"only GET /metrics\n"
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n"
                "Connection: close\r\n\r\n".encode()
                + body
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(
        answer, settings.metrics_host, settings.metrics_port, reuse_port=True
    )
    log.info("metrics on http://%s:%s/metrics", settings.metrics_host, settings.metrics_port)
    try:
        yield
    finally:
        server.close()
        await server.wait_closed()


def worker_stopped(settings: Settings) -> None:
    """A worker's live gauges leave the sum when it stops (multiprocess mode)."""
    if settings.prometheus_multiproc_dir is not None:
        multiprocess.mark_process_dead(os.getpid(), settings.prometheus_multiproc_dir)  # type: ignore[no-untyped-call]
