"""The service's Prometheus series, declared once, in one registry per process.

Labels are bounded and never secret: operation names are the schema's root fields, outcomes
are error codes or HTTP statuses, providers are instance slugs; never a key, a token, a URL
or a model id. With `PROMETHEUS_MULTIPROC_DIR` set (several uvicorn workers), prometheus-client
itself writes every value to that directory and `/metrics` sums the workers' files
(`telemetry.exposition`); gauges then say how to combine (`multiprocess_mode`).

The age of a provider's list is `time() - ams_list_fetched_timestamp_seconds`, the usual
Prometheus form of an age (a timestamp does not go stale between scrapes).
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from storage import database

_LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_FETCH = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


class Metrics:
    """Every series; one per process (the catalog's), so a test's app counts only its own."""

    def __init__(self) -> None:
        self.registry = r = CollectorRegistry()
        self.requests = Counter(
            "ams_graphql_requests",
            "GraphQL requests, by operation (its root fields) and outcome (ok or an error code).",
            ["operation", "outcome"],
            registry=r,
        )
        self.request_seconds = Histogram(
            "ams_graphql_request_duration_seconds",
            "Time to answer a GraphQL request, by operation.",
            ["operation"],
            buckets=_LATENCY,
            registry=r,
        )
        self.upstream_fetches = Counter(
            "ams_upstream_fetches",
            "Model-list fetches from providers, by instance and outcome (ok, http_<status>, "
            "or the failure's kind).",
            ["provider", "outcome"],
            registry=r,
        )
        self.upstream_seconds = Histogram(
            "ams_upstream_fetch_duration_seconds",
            "Time a provider took to give its list (retries included), by instance.",
            ["provider"],
            buckets=_FETCH,
            registry=r,
        )
        self.list_cache = Counter(
            "ams_list_cache_lookups",
            "List cache lookups: hit (fresh), miss (fetched), stale (served stale), bypass.",
            ["result"],
            registry=r,
        )
        self.result_cache = Counter(
            "ams_result_cache_lookups",
            "Result cache lookups of cacheable queries: hit or miss.",
            ["result"],
            registry=r,
        )
        self.single_flight_waits = Counter(
            "ams_single_flight_waits",
            "Requests that waited for a fetch already under way: in this process or another "
            "worker's (through the shared cache).",
            ["scope"],
            registry=r,
        )
        self.scheduled_refreshes = Counter(
            "ams_scheduled_refreshes",
            "Refreshes the scheduler ran, by instance and outcome.",
            ["provider", "outcome"],
            registry=r,
        )
        self.scheduler_ticks = Counter(
            "ams_scheduler_ticks",
            "Scheduler ticks this process completed (one each REFRESH_POLL seconds in every "
            "worker; only the lease holder refreshes): a loop that stopped stops counting.",
            registry=r,
        )
        self.list_fetched_at = Gauge(
            "ams_list_fetched_timestamp_seconds",
            "When each provider's list now cached was fetched (Unix time; age: time() - it).",
            ["provider"],
            multiprocess_mode="max",
            registry=r,
        )
        self.webhook_deliveries = Counter(
            "ams_webhook_deliveries",
            "Webhook deliveries, by outcome (ok, http_<status>, or the failure's kind).",
            ["outcome"],
            registry=r,
        )
        self.db_connections_in_use = Gauge(
            "ams_db_connections_in_use",
            "Database connections in use (PostgreSQL pool; SQLite: its one connection busy).",
            multiprocess_mode="livesum",
            registry=r,
        )
        self.audit_entries = Counter(
            "ams_audit_entries",
            "Audit-log entries written, by operation.",
            ["operation"],
            registry=r,
        )

    def sample_pool(self) -> None:
        """Read how many database connections are busy now (cheap: no query)."""
        self.db_connections_in_use.set(database.connections_in_use())


def outcome_of(error: BaseException) -> str:
    """A bounded label for a failure: `http_<status>` when there is one, else its kind.

    >>> from errors import ProviderError
    >>> outcome_of(TimeoutError()), outcome_of(ProviderError("groq", "x"))
    ('timeout_error', 'provider_error')
    """
    status = getattr(error, "status", None)
    if isinstance(status, int):
        return f"http_{status}"
    name = type(error).__name__
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
