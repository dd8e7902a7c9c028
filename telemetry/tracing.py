"""OpenTelemetry tracing, on only when the standard `OTEL_*` variables ask for it
(`Settings.tracing`); this module, and OpenTelemetry with it, is imported only then.

Spans: one per GraphQL operation and resolver (strawberry's `OpenTelemetryExtension`), one per
upstream request (aiohttp's instrumentation; the URL without its query, never a header), and
one per SQL statement on PostgreSQL (asyncpg's instrumentation: the statement with `$1`
placeholders, never the values). Exported over OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT`
(the exporter reads the other `OTEL_EXPORTER_OTLP_*` variables itself), or to stdout with
`OTEL_TRACES_EXPORTER=console`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from opentelemetry import trace
from opentelemetry.instrumentation.aiohttp_client import AioHttpClientInstrumentor
from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from strawberry.extensions.tracing import OpenTelemetryExtension

from settings import Settings

_installed: TracerProvider | None = None


def without_query(url: str) -> str:
    """What a span records of an upstream URL: no query string (page tokens, any key).

    >>> without_query("https://api.example.com/v1/models?key=sk-1&page=2")
    'https://api.example.com/v1/models'
    """
    parts = urlsplit(str(url))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def install(settings: Settings, processor: SpanProcessor | None = None) -> TracerProvider:
    """The process's tracer provider and instrumentations, once (OpenTelemetry's provider is
    global); `processor` instead of the exporter the settings name (tests pass one)."""
    global _installed
    if _installed is not None:
        return _installed
    provider = TracerProvider(
        resource=Resource.create({"service.name": settings.otel_service_name})
    )
    provider.add_span_processor(processor or BatchSpanProcessor(_exporter(settings)))
    trace.set_tracer_provider(provider)
    AioHttpClientInstrumentor().instrument(tracer_provider=provider, url_filter=without_query)
    AsyncPGInstrumentor().instrument(tracer_provider=provider)  # type: ignore[no-untyped-call]
    _installed = provider
    return provider


def _exporter(settings: Settings) -> SpanExporter:
    if settings.otel_traces_exporter == "console":
        return ConsoleSpanExporter()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    endpoint = f"{settings.otel_endpoint}/v1/traces" if settings.otel_endpoint else None
    return OTLPSpanExporter(endpoint=endpoint)


def configure(settings: Settings) -> list[Any]:
    """Tracing installed; the schema extensions that trace GraphQL operations."""
    install(settings)
    return [OpenTelemetryExtension]


def shutdown() -> None:
    """Export what is buffered (a worker stopping)."""
    if _installed is not None:
        _installed.shutdown()
