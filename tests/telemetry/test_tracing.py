"""Tracing: off, OpenTelemetry is not even imported; on (the standard `OTEL_*` variables), a
real server exports its spans over OTLP/HTTP to a receiver of the test's own: the operation,
the upstream call (its URL without query), SQL on PostgreSQL; never a key or a token."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from tests.live import cli, environment, live_server
from tests.processes import ROOT
from tests.replay import ReplayServer, base_url

CANARY_KEY = "sk-canary-trace-0123456789abcdef"
LIST = '{ availableModels(provider: "openrouter") { count } }'


TRACING_MODULES = (
    "telemetry.tracing",
    "opentelemetry.sdk.trace",
    "opentelemetry.exporter",
    "opentelemetry.instrumentation",
    "strawberry.extensions.tracing",
)
"""What tracing loads. (redis-py imports OpenTelemetry's metrics API for its own optional
observability whenever OpenTelemetry is installed: not ours to prevent, and no tracing.)"""


def test_without_otel_variables_no_tracing_is_imported() -> None:
    code = (
        "import sys, server; from settings import Settings; server.build_app(Settings()); "
        f"print(sorted(m for m in sys.modules if m.startswith({TRACING_MODULES!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


class Receiver:
    """An OTLP/HTTP trace receiver: every span exported to it, decoded."""

    def __init__(self) -> None:
        self.requests: list[ExportTraceServiceRequest] = []
        received = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                request = ExportTraceServiceRequest()
                request.ParseFromString(body)
                received.append(request)
                self.send_response(200)
                self.send_header("content-type", "application/x-protobuf")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def spans(self) -> list[tuple[str, dict[str, str]]]:
        found = []
        for request in self.requests:
            for resource in request.resource_spans:
                for scope in resource.scope_spans:
                    for span in scope.spans:
                        attributes = {a.key: str(a.value) for a in span.attributes}
                        found.append((span.name, attributes))
        return found


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def test_spans_reach_the_collector_without_secrets(
    database_url: str, replay: ReplayServer, receiver: Receiver, tmp_path: Path
) -> None:
    env = environment(
        DATABASE_URL=database_url,
        MIGRATE_ON_START="false",
        AI_PROVIDER_OPENROUTER_BASE_URL=base_url(replay.url, "openrouter"),
        AI_PROVIDER_OPENROUTER_API_KEY=CANARY_KEY,
        OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url,
        OTEL_SERVICE_NAME="ams-test",
        OTEL_BSP_SCHEDULE_DELAY="100",
    )
    cli(env, "migrate")
    token = cli(env, "token", "create", "admin").stdout.strip()
    with live_server(env, tmp_path / "server.log") as server:
        answer = httpx.post(
            f"{server.url}/graphql",
            json={"query": LIST},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 200 and "errors" not in answer.json(), answer.text
    # the server has stopped: its last spans were flushed on the way out
    spans = receiver.spans()
    names = [name for name, _ in spans]
    assert "GraphQL Query" in names, names
    upstream = [attrs for name, attrs in spans if name.startswith("GET")]
    assert upstream and any("/openrouter/api/v1/models" in str(a) for a in upstream), spans
    if database_url.startswith("postgres"):
        assert any("db.statement" in attrs or "db.query.text" in attrs for _, attrs in spans)
    text = str(receiver.requests)
    assert CANARY_KEY not in text and token not in text
    assert "ams-test" in text  # OTEL_SERVICE_NAME


CONSOLE_RUN = """
import asyncio, sys
from settings import Settings
from tests.service import running_service

async def run() -> None:
    settings = Settings(database_url=sys.argv[1], migrate_on_start=True,
                        otel_traces_exporter="console", otel_service_name="ams-console")
    async with running_service(settings) as service:
        await service.gql("{ viewer { name } }")
        print("TOKENS", service.manager_token, service.reader_token, file=sys.stderr)

asyncio.run(run())
"""


def test_the_console_exporter_prints_the_spans(tmp_path: Path) -> None:
    """`OTEL_TRACES_EXPORTER=console`, in a process of its own (the provider is global): the
    spans are printed when the app stops, the token in none of them."""
    done = subprocess.run(
        [sys.executable, "-c", CONSOLE_RUN, f"sqlite://{tmp_path / 'db.sqlite3'}"],
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert '"name": "GraphQL Query"' in done.stdout and "ams-console" in done.stdout
    tokens = done.stderr.split("TOKENS ", 1)[1].split()
    assert tokens and not any(token in done.stdout for token in tokens)
