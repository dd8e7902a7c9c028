"""`LOG_FORMAT=json` on a real server: every line one JSON object, the request id in the
response header, the error extensions and the request's log lines; no key or token logged."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.live import cli, environment, live_server
from tests.replay import ReplayServer, base_url

CANARY_KEY = "gsk-canary-logs-0123456789abcdef"


def test_json_lines_carry_the_request_id(
    database_url: str, replay: ReplayServer, tmp_path: Path
) -> None:
    env = {
        **environment(),
        "LOG_LEVEL": "INFO",
        "DATABASE_URL": database_url,
        "MIGRATE_ON_START": "false",
        "AI_PROVIDER_GROQ_BASE_URL": base_url(replay.url, "groq"),
        "AI_PROVIDER_GROQ_API_KEY": CANARY_KEY,
        "LOG_FORMAT": "json",
    }
    cli(env, "migrate")
    token = cli(env, "token", "create", "admin").stdout.strip()
    replay.fail("/groq/openai/v1/models", 401)
    log = tmp_path / "server.log"
    with live_server(env, log) as server:
        failed = httpx.post(
            f"{server.url}/graphql",
            json={"query": '{ availableModels(provider: "groq") { count } }'},
            headers={"Authorization": f"Bearer {token}", "X-Request-ID": "edge-42"},
        )
        anonymous = httpx.post(f"{server.url}/graphql", json={"query": "{ viewer { name } }"})
        forged = httpx.get(f"{server.url}/healthz", headers={"X-Request-ID": "bad id\\nx"})
    assert failed.headers["x-request-id"] == "edge-42"
    assert failed.json()["errors"][0]["extensions"]["requestId"] == "edge-42"
    generated = anonymous.headers["x-request-id"]
    assert anonymous.json()["errors"][0]["extensions"]["requestId"] == generated
    assert len(forged.headers["x-request-id"]) == 32  # not the forged one
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    assert all(
        {"time", "level", "logger", "message", "request_id"} <= line.keys() for line in lines
    )
    access = {
        line["request_id"]: line["message"] for line in lines if line["logger"].endswith("access")
    }
    assert access["edge-42"].startswith("POST /graphql 200")
    assert access[generated].startswith("POST /graphql 401")
    text = log.read_text()
    assert CANARY_KEY not in text and token not in text
