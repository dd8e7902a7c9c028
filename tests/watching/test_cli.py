"""The CLI's watching commands as a pipeline runs them (real processes, a real SQLite file, the
replay upstream): `refresh` for cron, `sync-log`, `webhook add|list|test|remove`, `rotate-keys`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.backends import TEST_SECRET_KEY
from tests.live import cli, environment
from tests.processes import ROOT
from tests.replay import ReplayServer, models_route, serve_catalogue


@pytest.fixture
def env(tmp_path: Path, replay: ReplayServer) -> dict[str, str]:
    bases = serve_catalogue(replay)
    return environment(
        DATABASE_URL=f"sqlite://{tmp_path / 'cli.sqlite3'}",
        AI_PROVIDER_OPENROUTER_BASE_URL=bases["openrouter"],
        HTTP_TOTAL_TIMEOUT="2",
        HTTP_RETRIES="0",
        SECRET_KEYS=TEST_SECRET_KEY,
        WEBHOOK_TIMEOUT="0.5",  # the test event's host name may take long not to resolve
    )


def test_refresh_logs_each_run_and_sync_log_prints_them(
    env: dict[str, str], replay: ReplayServer
) -> None:
    cli(env, "sync", "openrouter", "--limit", "2")  # a stored instance now
    done = cli(env, "refresh")  # another process: it compares with the list the sync saw
    assert done.stdout.startswith("openrouter\tok\t549 models\t+0 -0 ~0 (0 cosmetic)")
    assert "refreshed 1 providers (0 failed)" in done.stderr
    replay.fail(models_route("openrouter"), 503, times=1)
    assert cli(env, "refresh", "openrouter", check=False).returncode == 1  # for cron: exit 1
    lines = cli(env, "sync-log", "openrouter").stdout.splitlines()
    assert [line.split("\t")[1:3] for line in lines] == [
        ["cli", "openrouter"],
        ["cli", "openrouter"],
        ["request", "openrouter"],  # the sync's own fetch
    ]
    assert "\tfailed\t" in lines[0] and "HTTP 503" in lines[0]


def test_webhook_commands(env: dict[str, str]) -> None:
    url = "https://hooks.example.invalid/x"
    out = cli(env, "webhook", "add", url, "--event", "model.missing").stdout.splitlines()
    assert out[0] == f"1\t{url}\tmodel.missing"
    secret = out[1]
    assert secret.startswith("whsec_")
    listed = cli(env, "webhook", "list").stdout
    assert f"1\tactive\t{url}" in listed and secret not in listed
    tested = cli(env, "webhook", "test", "1", check=False)  # no such host: pending, retried
    assert tested.returncode == 1 and "\tpending\t" in tested.stdout
    cli(env, "webhook", "remove", "1")


def test_the_sync_log_bench_runs() -> None:
    """`python -m bench.watching` cannot rot: its quick mode measures both cases."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.watching", "--quick"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert set(figures) == {"same_list_ms", "era_change_ms"} and figures["same_list_ms"] > 0
