"""Tokens that expire, and when each was last used, over HTTP and from the CLI, on the test's
database (SQLite, or PostgreSQL in CI). Time is moved through the token cache's clocks."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import cli
from settings import Settings
from storage import tokens
from tests.clock import ManualClock
from tests.service import Service, SQLLog, running_service

ROOT = Path(__file__).resolve().parents[1]
SAVED = "{ savedModels { modelId } }"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def service(settings: Settings, clock: ManualClock) -> AsyncIterator[Service]:
    """The service on a clock the test moves (its token cache reads it too)."""
    async with running_service(settings, clock=clock) as running:
        yield running


def wall(clock: ManualClock) -> datetime:
    return datetime.fromtimestamp(clock(), tz=UTC)


async def status(service: Service, token: str) -> int:
    return (await service.post(SAVED, token=token)).status_code


async def test_an_expired_token_is_refused_even_from_the_cache(
    service: Service, clock: ManualClock
) -> None:
    token = await tokens.create_token(
        "ci", ["ai.read"], expires_at=wall(clock) + timedelta(seconds=60)
    )
    assert await status(service, token) == 200
    clock.advance(59)  # cached for TOKEN_CACHE_TTL (30 s): looked up again, still valid
    assert await status(service, token) == 200
    clock.advance(2)  # now cached *and* expired: refused at once, not 30 s later
    assert await status(service, token) == 401
    gone = await tokens.create_token("old", ["ai.read"], expires_at=wall(clock))
    assert await status(service, gone) == 401


async def test_last_use_is_written_at_most_once_a_minute(
    service: Service, clock: ManualClock, sql: SQLLog
) -> None:
    token = await tokens.create_token("panel", ["ai.read"])
    sql.clear()
    for _ in range(20):
        assert await status(service, token) == 200
    token_writes = [w for w in sql.writes() if "ai_api_token" in w]
    assert len(token_writes) == 1  # the first lookup notes the use; 19 hits write nothing
    [info] = [t for t in await tokens.list_tokens() if t.name == "panel"]
    assert info.last_used_at == wall(clock)

    sql.clear()
    clock.advance(31)  # the cache misses: looked up, but used 31 s ago: no write
    assert await status(service, token) == 200
    assert [w for w in sql.writes() if "ai_api_token" in w] == []
    clock.advance(31)  # 62 s since the noted use: noted again
    assert await status(service, token) == 200
    assert len([w for w in sql.writes() if "ai_api_token" in w]) == 1
    [info] = [t for t in await tokens.list_tokens() if t.name == "panel"]
    assert info.last_used_at == wall(clock)


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "MIGRATE_ON_START": "true"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_the_cli_creates_expiring_tokens_and_lists_their_use(
    service: Service, database_url: str
) -> None:
    created = _cli(database_url, "token", "create", "pipeline", "--expires-in", "90d")
    assert created.returncode == 0, created.stderr
    expires = datetime.now(UTC) + timedelta(days=90)
    assert f"expires {expires:%Y-%m-%d}" in created.stderr
    token = created.stdout.strip()
    assert await status(service, token) == 200  # the server accepts it, and notes the use

    listed = _cli(database_url, "token", "list")
    assert listed.returncode == 0, listed.stderr
    header, *rows = listed.stdout.splitlines()
    assert header.split("\t") == ["name", "permissions", "state", "created", "expires", "last used"]
    by_name = {row.split("\t")[0]: row.split("\t") for row in rows}
    assert token not in listed.stdout  # a token is never shown again
    _, permissions, state, _, until, used = by_name["pipeline"]
    assert (permissions, state) == ("ai.manage", "active")
    assert until.startswith(f"{expires:%Y-%m-%d}") and used.startswith(f"{datetime.now(UTC):%Y}")
    assert by_name["reader"][5] == "never"  # the fixture's reader token was never used

    assert _cli(database_url, "token", "revoke", "pipeline").returncode == 0
    assert "\trevoked\t" in _cli(database_url, "token", "list").stdout


@pytest.mark.parametrize("value", ["90", "0d", "soon", "-1d"])
def test_a_bad_expiry_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["token", "create", "x", f"--expires-in={value}"])
    assert exited.value.code == 2 and "not a duration" in capsys.readouterr().err
