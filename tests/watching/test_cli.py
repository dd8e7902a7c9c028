"""The CLI's watching commands in-process (`cli.main`), on a real SQLite file and the replay
upstream: `refresh` for cron, `sync-log`, `webhook add|list|test|remove`, `rotate-keys`."""

from __future__ import annotations

from pathlib import Path

import pytest

import cli
from tests.backends import TEST_SECRET_KEY
from tests.replay import ReplayServer, models_route, serve_catalogue


@pytest.fixture
def env(tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch) -> None:
    bases = serve_catalogue(replay)
    for name, value in {
        "DATABASE_URL": f"sqlite://{tmp_path / 'cli.sqlite3'}",
        "AI_PROVIDER_OPENROUTER_BASE_URL": bases["openrouter"],
        "HTTP_TOTAL_TIMEOUT": "2",
        "HTTP_RETRIES": "0",
        "SECRET_KEYS": TEST_SECRET_KEY,
    }.items():
        monkeypatch.setenv(name, value)


def test_refresh_logs_each_run_and_sync_log_prints_them(
    env: None, replay: ReplayServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["sync", "openrouter", "--limit", "2"]) == 0  # a stored instance now
    capsys.readouterr()
    assert cli.main(["refresh"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("openrouter\tok\t549 models\t+0 -0 ~0 (0 cosmetic)")
    assert "refreshed 1 providers (0 failed)" in err
    replay.fail(models_route("openrouter"), 503, times=1)
    assert cli.main(["refresh", "openrouter"]) == 1  # for cron: a failed refresh is exit 1
    assert cli.main(["sync-log", "openrouter"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[1:3] for line in lines] == [
        ["cli", "openrouter"],
        ["cli", "openrouter"],
        ["request", "openrouter"],  # the sync's own fetch
    ]
    assert "\tfailed\t" in lines[0] and "HTTP 503" in lines[0]


def test_webhook_commands(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        cli.main(["webhook", "add", "https://hooks.example.invalid/x", "--event", "model.missing"])
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "1\thttps://hooks.example.invalid/x\tmodel.missing"
    secret = out[1]
    assert secret.startswith("whsec_")
    assert cli.main(["webhook", "list"]) == 0
    listed = capsys.readouterr().out
    assert "1\tactive\thttps://hooks.example.invalid/x" in listed and secret not in listed
    assert cli.main(["webhook", "test", "1"]) == 1  # the name does not resolve: pending, retried
    assert "\tpending\t" in capsys.readouterr().out
    assert cli.main(["rotate-keys"]) == 0
    assert "and 1 webhook secret(s)" in capsys.readouterr().err
    assert cli.main(["webhook", "remove", "1"]) == 0
    assert cli.main(["webhook", "remove", "1"]) == 1  # gone
    assert "no webhook endpoint 1" in capsys.readouterr().err
    refused = cli.main(["webhook", "add", "http://127.0.0.1/x"])
    assert refused == 1 and "WEBHOOK_ALLOW_PRIVATE" in capsys.readouterr().err
