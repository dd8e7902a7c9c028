"""`/readyz`: each dependency reported (database, cache, migrations at head), 503 when one is
down, each outage logged once; `/healthz`: the process is alive, whatever they say.

Real outages: a Redis server of the test's own, stopped and started again, and a PostgreSQL
database that stops accepting connections."""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import pytest
from tortoise import connections

from settings import Settings
from storage import database
from storage.database import shipped_migrations
from tests.backends import POSTGRES_ADMIN_URL, free_port
from tests.service import Service, running_service

HEALTH_LOG = "catalog.health"


async def health(service: Service) -> tuple[int, dict[str, object]]:
    response = await service.http.get("/readyz")
    alive = await service.http.get("/healthz")
    assert (alive.status_code, alive.json()) == (200, {"status": "alive"})  # never restarted
    return response.status_code, response.json()


async def test_every_dependency_is_reported(service: Service, settings: Settings) -> None:
    status, body = await health(service)
    database = "postgres" if settings.database_url.startswith("postgres") else "sqlite"
    cache = "redis" if settings.cache_url.startswith("redis") else "memory"
    assert (status, body) == (
        200,
        {
            "status": "ok",
            "checks": {
                "database": {"status": "up", "backend": database},
                "cache": {"status": "up", "backend": cache},
                "migrations": {"status": "up", "backend": shipped_migrations()[-1]},
            },
        },
    )


@contextmanager
def redis_server(port: int, directory: Path) -> Iterator[None]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("no redis-server binary")
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(directory),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                ["redis-cli", "-p", str(port), "ping"], capture_output=True, check=False
            ).stdout.strip()
            != b"PONG"
        ):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def outage_lines(caplog: pytest.LogCaptureFixture, name: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == HEALTH_LOG and r.getMessage().startswith(name)
    ]


async def test_redis_down_is_503_and_logged_once(
    settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger=HEALTH_LOG)
    port = free_port()
    redis = dataclasses.replace(settings, cache_url=f"redis://127.0.0.1:{port}/0")
    with redis_server(port, tmp_path):
        async with running_service(redis) as service:
            assert (await health(service))[0] == 200
    # the same deployment, its Redis gone
    async with running_service(redis) as service:
        for _ in range(5):  # a load balancer probing every few seconds
            status, body = await health(service)
            assert status == 503 and body["status"] == "unavailable"
            assert body["checks"]["cache"]["status"] == "down"  # type: ignore[index]
            assert body["checks"]["database"]["status"] == "up"  # type: ignore[index]
        with redis_server(port, tmp_path):
            assert (await health(service))[0] == 200
            assert (await health(service))[0] == 200
    lines = outage_lines(caplog, "cache (redis)")
    assert len(lines) == 2, lines  # one when it went, one when it came back
    assert (
        lines[0].startswith("cache (redis) is down: ConnectionError")
        and "Traceback" not in caplog.text
    )
    assert lines[1] == "cache (redis) is back"


@pytest.mark.skipif(
    os.environ.get("TEST_DATABASE") != "postgres",
    reason="a database server that goes away: the PostgreSQL run (one dialect per process)",
)
async def test_database_down_is_503_and_logged_once(
    service: Service, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger=HEALTH_LOG)
    name = settings.database_url.rsplit("/", 1)[1]
    assert (await health(service))[0] == 200
    admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
            name,
        )
        for _ in range(3):
            status, body = await health(service)
            assert status == 503
            assert body["checks"]["database"]["status"] == "down"  # type: ignore[index]
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        assert (await health(service))[0] == 200  # the driver's pool reconnects on next use
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await admin.close()
    lines = outage_lines(caplog, "database (postgres)")
    assert len(lines) == 2 and lines[1] == "database (postgres) is back", lines


async def test_a_database_behind_the_code_is_not_ready(service: Service) -> None:
    await connections.get("default").execute_query(
        "DELETE FROM tortoise_migrations WHERE name = ?"
        if database.dialect() == "sqlite"
        else "DELETE FROM tortoise_migrations WHERE name = $1",
        [shipped_migrations()[-1]],
    )
    status, body = await health(service)
    assert status == 503
    assert body["checks"]["migrations"] == {  # type: ignore[index]
        "status": "down",
        "backend": shipped_migrations()[-1],
        "error": "PendingMigrations",
    }
