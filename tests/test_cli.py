"""The CLI as a pipeline runs it: a real process, a real SQLite file, the replay upstream."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.replay import ReplayServer, serve_catalogue

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def env(tmp_path: Path, replay: ReplayServer) -> dict[str, str]:
    bases = serve_catalogue(replay)
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite://{tmp_path / 'cli.sqlite3'}",
        "AI_PROVIDER_OPENROUTER_BASE_URL": bases["openrouter"],
        "HTTP_TOTAL_TIMEOUT": "2",
        "HTTP_RETRIES": "0",
    }


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def rows(env: dict[str, str], sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite://")) as db:
        return db.execute(sql).fetchall()


def test_sync_then_clear(env: dict[str, str]) -> None:
    synced = run(env, "sync", "openrouter", "--capability", "embedding", "--limit", "5")
    assert synced.returncode == 0, synced.stderr
    ids = synced.stdout.split()
    assert len(ids) == 5
    assert "5 created, 0 updated" in synced.stderr
    assert sorted(str(r[0]) for r in rows(env, "SELECT model_id FROM ai_model")) == sorted(ids)

    again = run(env, "sync", "openrouter", "--capability", "embedding", "--limit", "5")
    assert "0 created, 5 updated" in again.stderr

    cleared = run(env, "clear", "openrouter")
    assert cleared.returncode == 0
    assert "deleted 5 inactive models" in cleared.stderr
    assert rows(env, "SELECT count(*) FROM ai_model") == [(0,)]


def test_failures_exit_non_zero_with_the_reason(env: dict[str, str], replay: ReplayServer) -> None:
    replay.fail("/openrouter/api/v1/models", 502)
    failed = run(env, "sync", "openrouter")
    assert failed.returncode == 1
    assert "error: openrouter: HTTP 502" in failed.stderr
    assert "Traceback" not in failed.stderr
    unknown = run(env, "sync", "nope")
    assert unknown.returncode == 1 and "unknown provider 'nope'" in unknown.stderr
    usage = run(env, "sync")
    assert usage.returncode == 2


def test_token_is_printed_once_and_stored_hashed(env: dict[str, str]) -> None:
    created = run(env, "token", "create", "pipeline", "--permission", "ai.read")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert token.startswith("ams_") and len(token) > 40
    stored = rows(env, "SELECT name, token_hash, permissions FROM ai_api_token")
    assert len(stored) == 1
    name, token_hash, permissions = stored[0]
    assert name == "pipeline" and token not in str(stored)
    assert len(str(token_hash)) == 64 and "ai.read" in str(permissions)
    assert run(env, "token", "revoke", "pipeline").returncode == 0
    assert run(env, "token", "revoke", "pipeline").returncode == 1


def test_a_malformed_setting_is_named_not_a_traceback(env: dict[str, str]) -> None:
    bad = run({**env, "HTTP_RETRIES": "many"}, "clear", "openrouter")
    assert bad.returncode == 2
    assert "error: setting HTTP_RETRIES='many'" in bad.stderr
    assert "Traceback" not in bad.stderr
