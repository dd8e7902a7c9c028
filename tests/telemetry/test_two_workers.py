"""Two real worker processes writing to one `PROMETHEUS_MULTIPROC_DIR`: a scrape of the
shared metrics port, whichever worker answers it, counts the requests both served."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import httpx

from tests.backends import free_port
from tests.live import cli, environment, live_server
from tests.replay import ReplayServer, base_url
from tests.telemetry.scrape import value

LIST = '{ availableModels(provider: "openrouter") { count } }'
CANARY_KEY = "sk-canary-metrics-0123456789abcdef"


def test_a_scrape_counts_the_requests_of_both_workers(
    database_url: str, replay: ReplayServer, tmp_path: Path
) -> None:
    shared = tmp_path / "prometheus"
    shared.mkdir()
    metrics_port = free_port()
    env = environment(
        DATABASE_URL=database_url,
        MIGRATE_ON_START="false",
        AI_PROVIDER_OPENROUTER_BASE_URL=base_url(replay.url, "openrouter"),
        AI_PROVIDER_GROQ_API_KEY=CANARY_KEY,
        METRICS="PORT",
        METRICS_PORT=str(metrics_port),
        PROMETHEUS_MULTIPROC_DIR=str(shared),
    )
    cli(env, "migrate")
    token = cli(env, "token", "create", "admin").stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    with ExitStack() as stack:
        workers = [
            stack.enter_context(live_server(env, tmp_path / f"worker{n}.log")) for n in (1, 2)
        ]
        for n, worker in enumerate(workers):
            for _ in range(3 + n):  # 3 on the first, 4 on the second
                answer = httpx.post(f"{worker.url}/graphql", json={"query": LIST}, headers=headers)
                assert answer.status_code == 200 and "errors" not in answer.json()
        httpx.post(f"{workers[1].url}/graphql", json={"query": LIST})  # no token: 401
        scrapes = [
            httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5).text for _ in range(4)
        ]
    for text in scrapes:  # the same totals, whichever worker answered
        ok = {"operation": "availableModels", "outcome": "ok"}
        assert value(text, "ams_graphql_requests_total", **ok) == 7
        assert value(text, "ams_graphql_requests_total", outcome="UNAUTHENTICATED") == 1
        # a memory cache each: each worker fetched the list once
        assert value(text, "ams_upstream_fetches_total", provider="openrouter", outcome="ok") == 2
        assert value(text, "ams_list_cache_lookups_total", result="hit") == 5
        assert token not in text and CANARY_KEY not in text
    assert sorted(path.name.split("_")[0] for path in shared.iterdir())  # files per worker
