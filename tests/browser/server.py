"""The service as an admin's browser meets it: `ai-model-sync serve` in a subprocess (real
uvicorn), its own database and cache, every provider on the replay upstream, OpenRouter under
a route of its own so a test can switch it to another capture era."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.backends import TEST_SECRET_KEY
from tests.live import environment as child_environment
from tests.live import live_server
from tests.processes import ROOT
from tests.replay import ReplayServer, base_url, models_route, serve_catalogue, serve_era
from tests.service import GROQ_KEY

LATEST_OPENROUTER = "models-all-output-modalities-2026-08.json"


@dataclass
class LiveConsole:
    url: str
    admin_token: str
    reader_token: str
    replay: ReplayServer
    prefix: str
    env: dict[str, str]

    @property
    def openrouter_route(self) -> str:
        return models_route("openrouter", self.prefix)

    def era(self, capture: str) -> None:
        """OpenRouter lists another recorded capture from now on."""
        serve_era(self.replay, "openrouter", capture, self.prefix)

    def gql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """What the API says, as the admin (to check what the console showed)."""
        response = httpx.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {self.admin_token}"},
            timeout=30,
        )
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data


def seed(env: dict[str, str]) -> tuple[str, str]:
    """Migrate the database; an admin's and a reader's token (`tests.browser.seed`)."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.browser.seed"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    admin, reader = done.stdout.split()[-2:]  # the two tokens come last, in that order
    return admin, reader


def environment(
    replay: ReplayServer,
    database_url: str,
    cache: tuple[str, str],
    prefix: str,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    bases = serve_catalogue(replay)
    bases["openrouter"] = base_url(replay.url, "openrouter", prefix)
    return child_environment(
        **{
            "DATABASE_URL": database_url,
            "CACHE_URL": cache[0],
            "CACHE_NAMESPACE": cache[1],
            "MIGRATE_ON_START": "true",
            "SECRET_KEYS": TEST_SECRET_KEY,
            "HTTP_TOTAL_TIMEOUT": "5",
            "HTTP_RETRIES": "0",
            "TOKEN_CACHE_TTL": "0",  # a revoked token is refused at once
            "AI_PROVIDER_GROQ_API_KEY": GROQ_KEY,
            **{f"AI_PROVIDER_{slug.upper()}_BASE_URL": url for slug, url in bases.items()},
            **(extra or {}),
        }
    )


@contextmanager
def live_console(
    replay: ReplayServer,
    database_url: str,
    cache: tuple[str, str],
    tmp_path: Path,
    *,
    capture: str = LATEST_OPENROUTER,
    extra: dict[str, str] | None = None,
) -> Iterator[LiveConsole]:
    """`extra`: more settings for the server (e.g. a short `REFRESH_POLL`)."""
    prefix = f"console-{uuid.uuid4().hex[:10]}"
    serve_era(replay, "openrouter", capture, prefix)
    env = environment(replay, database_url, cache, prefix, extra)
    admin, reader = seed(env)
    with live_server(env, tmp_path / "server.log") as server:
        yield LiveConsole(server.url, admin, reader, replay, prefix, env)
