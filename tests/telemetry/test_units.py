"""The parts of `telemetry` a worker process runs, in this process: the JSON log line, the
separate metrics port, the multiprocess exposition."""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from catalog.metrics import Metrics
from catalog.request_id import request_scope
from settings import Settings
from telemetry import exposition, logs
from tests.backends import free_port
from tests.service import running_service


def _record(message: str, *args: object, exc: bool = False) -> logging.LogRecord:
    info = None
    if exc:
        try:
            raise ValueError("boom")
        except ValueError:
            info = sys.exc_info()
    record = logging.LogRecord("ams.test", logging.WARNING, __file__, 1, message, args, info)
    logs.WithRequestId().filter(record)
    return record


def test_a_json_line_has_the_request_id_and_the_traceback() -> None:
    with request_scope("req-7"):
        line = json.loads(logs.JsonFormatter().format(_record("hello %s", "you", exc=True)))
    assert line["message"] == "hello you" and line["level"] == "WARNING"
    assert line["request_id"] == "req-7" and "ValueError: boom" in line["exception"]
    outside = json.loads(logs.JsonFormatter().format(_record("later")))
    assert outside["request_id"] == "-" and "exception" not in outside


@pytest.fixture
def root_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    access = logging.getLogger("uvicorn.access")
    try:
        yield
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
        access.disabled = False


@pytest.mark.usefixtures("root_logging")
def test_configure_installs_one_handler_in_the_format_asked() -> None:
    logs.configure(Settings(log_format="JSON", log_level="WARNING"))
    (handler,) = logging.getLogger().handlers
    assert isinstance(handler.formatter, logs.JsonFormatter)
    assert logging.getLogger("uvicorn.access").disabled
    logs.configure(Settings())
    (handler,) = logging.getLogger().handlers
    assert not isinstance(handler.formatter, logs.JsonFormatter)


async def test_the_separate_port_serves_only_metrics(settings: Settings) -> None:
    port = free_port()
    on_port = dataclasses.replace(settings, metrics="PORT", metrics_port=port)
    async with running_service(on_port) as service:
        await service.gql("{ viewer { name } }")
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as scraper:
            scraped = await scraper.get("/metrics")
            other = await scraper.get("/graphql")
        assert (await service.http.get("/metrics")).status_code == 404  # not on the API's port
    assert scraped.status_code == 200 and "ams_graphql_requests_total" in scraped.text
    assert other.status_code == 404


def test_the_multiprocess_exposition_reads_the_directory(tmp_path: Path) -> None:
    settings = Settings(prometheus_multiproc_dir=str(tmp_path))
    assert exposition.exposition(settings, Metrics()) == b""  # no worker wrote yet
    exposition.worker_stopped(settings)  # nothing to mark: no error either
