"""The LIVE server the generated client's tests drive: a real uvicorn process on a free port,
a real SQLite file, the replay upstream; one for the whole package."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from ai_model_sync_client import (
    AiModelSyncClient,
)

from tests.backends import TEST_SECRET_KEY, free_port
from tests.client._live import LiveServer
from tests.replay import (
    ReplayServer,
    base_url,
    models_route,
    serve_catalogue,
)
from tests.service import GROQ_KEY

ROOT = Path(__file__).resolve().parents[2]


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture(scope="package")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, replay_server: ReplayServer
) -> Iterator[LiveServer]:
    bases = serve_catalogue(replay_server)
    prefix = f"live-{uuid.uuid4().hex[:10]}"
    bases["openrouter"] = base_url(replay_server.url, "openrouter", prefix)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite://{tmp_path_factory.mktemp('live') / 'live.sqlite3'}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "HTTP_TOTAL_TIMEOUT": "5",
        "LOG_LEVEL": "WARNING",
        "AI_PROVIDER_GROQ_API_KEY": GROQ_KEY,
        "SECRET_KEYS": TEST_SECRET_KEY,  # provider instances' API keys are stored encrypted
        "CATALOG_DIR": str(tmp_path_factory.mktemp("catalogs")),  # the installed data only
        "WEBHOOK_ALLOW_PRIVATE": "true",  # the webhook tests' receiver is on loopback
        **{f"AI_PROVIDER_{slug.upper()}_BASE_URL": url for slug, url in bases.items()},
    }
    admin = _cli(env, "token", "create", "admin")
    reader = _cli(env, "token", "create", "dashboard", "--permission", "ai.read")
    log = tmp_path_factory.mktemp("live-log") / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "server.py")], env=env, stdout=output, stderr=output
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not start:\n{log.read_text()}")
            time.sleep(0.1)
        served = LiveServer(
            f"{url}/graphql",
            admin,
            reader,
            replay_server,
            models_route("openrouter", prefix),
            bases["openai"],
            models_route("openai"),
        )
        served.serve()
        yield served
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
async def client(live_server: LiveServer) -> AsyncIterator[AiModelSyncClient]:
    headers = {"Authorization": f"Bearer {live_server.admin_token}"}
    async with AiModelSyncClient(url=live_server.url, headers=headers) as client:
        await client.clear_models("openrouter", keep_active=False)
        yield client
