"""The replay catalogue: every capture served where its provider serves it, byte for byte."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.replay import (
    ENDPOINTS,
    GEMINI_PAGE2_TOKEN,
    GEMINI_PAGED,
    LATEST,
    ReplayServer,
    archive_bases,
    base_url,
    fixture_path,
    models_route,
    models_url,
    serve_era,
)
from tests.replay.catalogue import FIXTURES, REPLAYED

ROOT = Path(__file__).resolve().parent.parent


# -- the catalogue -----------------------------------------------------------------------------


@pytest.mark.parametrize("provider", sorted(LATEST))
def test_catalogue_serves_the_exact_capture_bytes(replay: ReplayServer, provider: str) -> None:
    response = httpx.get(models_url(replay.url, provider))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == fixture_path(provider, LATEST[provider]).read_bytes()


def test_catalogue_base_urls_mirror_the_real_providers(replay: ReplayServer) -> None:
    assert base_url(replay.url, "openrouter") == replay.url + "/openrouter/api/v1"
    assert models_route("groq") == "/groq/openai/v1/models"
    assert models_route("ollama") == "/ollama/api/tags"
    assert set(ENDPOINTS) == set(REPLAYED)  # each read from its provider's SPEC
    for provider, endpoint in ENDPOINTS.items():
        assert endpoint.real_base.endswith(endpoint.base_path), provider


def test_openrouter_all_output_modalities_is_routed_by_query(replay: ReplayServer) -> None:
    url = models_url(replay.url, "openrouter")
    everything = httpx.get(url, params={"output_modalities": "all", "x": "1"}).content
    text_only = httpx.get(url, params={"output_modalities": "text"}).content
    name = "models-all-output-modalities-2026-08.json"
    assert everything == fixture_path("openrouter", name).read_bytes()
    assert text_only == fixture_path("openrouter", LATEST["openrouter"]).read_bytes()


def test_gemini_paged_route_follows_the_page_token(replay: ReplayServer) -> None:
    url = base_url(replay.url, "gemini", GEMINI_PAGED) + "/models"
    page1 = httpx.get(url, params={"pageSize": "50"}).json()
    assert page1["nextPageToken"] == GEMINI_PAGE2_TOKEN
    page2 = httpx.get(url, params={"pageSize": "50", "pageToken": page1["nextPageToken"]}).json()
    assert "nextPageToken" not in page2
    names = [m["name"] for m in page2["models"]]
    assert names == [
        "models/imagen-4.0-fast-generate-001",
        "models/veo-2.0-generate-001",
        "models/veo-3.0-generate-001",
    ]
    assert not set(names) & {m["name"] for m in page1["models"]}


def test_older_captures_are_served_under_archive(replay: ReplayServer) -> None:
    bases = archive_bases(replay.url)
    url = bases["openrouter/models-data-array-2024-09"] + "/models"
    expected = fixture_path("openrouter", "models-data-array-2024-09.json").read_bytes()
    assert httpx.get(url).content == expected
    assert "groq/models-2025-01" in bases


def test_every_fixture_is_valid_json_and_documented() -> None:
    readme = (FIXTURES / "README.md").read_text()
    files = sorted(FIXTURES.glob("*/*.json"))
    captures = [path for path in files if "constructed" not in path.name]
    assert len(captures) == 14
    for path in captures:
        json.loads(path.read_bytes())
        assert f"`{path.parent.name}/{path.name}`" in readme
    for path in set(files) - set(captures):  # built from an API reference: say so beside it
        json.loads(path.read_bytes())
        assert "CONSTRUCTED" in (path.parent / "README.md").read_text().upper()


def test_main_serves_the_catalogue_until_sigterm() -> None:
    command = [sys.executable, "-m", "tests.replay", "--port", "0"]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        lines = []
        while (line := child.stdout.readline().strip()) != "ready":
            assert line, "server exited before it was ready"
            lines.append(line)
        bases = dict(re.split(r"\s+", line, maxsplit=1) for line in lines)
        assert set(LATEST) | {GEMINI_PAGED} <= set(bases)
        response = httpx.get(bases["groq"] + "/models")
        assert response.content == fixture_path("groq", LATEST["groq"]).read_bytes()
        child.terminate()
        assert child.wait(timeout=5) == 0


def test_a_provider_switches_capture_eras_under_its_own_prefix() -> None:
    with ReplayServer() as fresh:
        old = serve_era(fresh, "openrouter", "models-2025-05.json", "era-test")
        url = old + "/models"
        may_2025 = fixture_path("openrouter", "models-2025-05.json").read_bytes()
        assert httpx.get(url, params={"output_modalities": "all"}).content == may_2025
        assert httpx.get(url).content == may_2025
        assert serve_era(fresh, "openrouter", "models-2026-08.json", "era-test") == old
        august_2026 = fixture_path("openrouter", "models-2026-08.json").read_bytes()
        assert httpx.get(url, params={"output_modalities": "all"}).content == august_2026
        assert httpx.get(base_url(fresh.url, "openrouter") + "/models").status_code == 404
