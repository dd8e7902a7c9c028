"""`ai-model-sync drift` / `sync-saved` run as a pipeline runs them: a real child process.

The database is a SQLite file seeded here with what a May 2025 sync stored; the child process
reads its settings from the environment and fetches OpenRouter from the replay server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from catalog.saving import to_values
from providers import Capability
from storage import saved
from storage.database import open_database
from storage.models import SavedModel
from tests.drift._data import (
    GEMINI_PREVIEW,
    GROK_3_BETA,
    HAIKU_3,
    LIVE_CAPTURE,
    NEMO,
    O3,
    SAVED_CAPTURE,
    SONNET_37,
    records,
)
from tests.drift.conftest import Upstream
from tests.replay import ReplayServer

ROOT = Path(__file__).resolve().parents[2]


async def seed(database_url: str, active: tuple[str, ...]) -> None:
    """Six models as a May 2025 sync stored them; `active` are switched on."""
    may = records(SAVED_CAPTURE)
    async with open_database(database_url, migrate_schema=True):
        provider_id = await saved.ensure_provider("openrouter", "openrouter", "OpenRouter")
        ids = (O3, SONNET_37, GROK_3_BETA, HAIKU_3, NEMO)
        values = [to_values(may[model_id], None) for model_id in ids]
        await saved.bulk_upsert(provider_id, values, activate_first=False)
        gemini = to_values(may[GEMINI_PREVIEW], [Capability.CHAT, Capability.VISION])
        await saved.save_model(provider_id, gemini, is_active=False, overridden=True)
        await SavedModel.filter(model_id__in=active).update(is_active=True)


def run(
    database_url: str, upstream: Upstream, *args: str, migrate: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AI_PROVIDER_")}
    env.update(
        DATABASE_URL=database_url,
        MIGRATE_ON_START="true" if migrate else "false",
        AI_PROVIDER_OPENROUTER_BASE_URL=upstream.base_url,
        HTTP_RETRIES="0",
        HTTP_TOTAL_TIMEOUT="5",
    )
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def live(upstream: Upstream) -> Upstream:
    upstream.serve(LIVE_CAPTURE)
    return upstream


async def test_drift_exits_3_when_an_active_model_disappeared(
    database_url: str, live: Upstream
) -> None:
    await seed(database_url, active=(O3, SONNET_37, NEMO))
    done = run(database_url, live, "drift", "openrouter")
    assert done.returncode == 3, done.stderr
    out = done.stdout
    assert "6 saved models" in out
    assert "3 changed, 2 missing (1 active), 1 unchanged" in out
    assert (
        "!! ACTIVE model 'anthropic/claude-3.7-sonnet' is no longer offered by openrouter: "
        "requests to it will fail"
    ) in out
    assert "ACTIVE MISSING  anthropic/claude-3.7-sonnet" in out
    assert "missing  x-ai/grok-3-beta" in out
    o3 = out[out.index("changed  openai/o3") :]
    assert "input_price        10 -> 2" in o3
    assert "output_price       40 -> 8" in o3
    assert "chat,content,tools,vision -> chat,content,reasoning,tools,vision" in o3
    assert "[admin override kept]" in out  # Gemini's capabilities
    assert "unchanged  anthropic/claude-3-haiku" in out


async def test_drift_json_for_machines(database_url: str, live: Upstream) -> None:
    await seed(database_url, active=(O3, SONNET_37, NEMO))
    done = run(database_url, live, "drift", "openrouter", "--json")
    assert done.returncode == 3, done.stderr
    report = json.loads(done.stdout)
    assert (report["activeMissing"], report["changed"], report["missing"]) == (1, 3, 2)
    assert report["models"][0]["modelId"] == SONNET_37
    assert report["models"][0]["activeMissing"] is True
    o3 = next(m for m in report["models"] if m["modelId"] == O3)
    prices = {c["field"]: (c["old"], c["new"]) for c in o3["changes"]}
    assert prices["INPUT_PRICE"] == ("10", "2") and prices["OUTPUT_PRICE"] == ("40", "8")


async def test_drift_exits_0_when_no_active_model_is_missing(
    database_url: str, live: Upstream
) -> None:
    await seed(database_url, active=(O3,))  # changed, but still offered
    done = run(database_url, live, "drift", "openrouter")
    assert done.returncode == 0, done.stderr
    assert "2 missing (0 active)" in done.stdout
    assert "ACTIVE" not in done.stdout


async def test_sync_saved_applies_and_still_alerts(database_url: str, live: Upstream) -> None:
    await seed(database_url, active=(O3, SONNET_37, NEMO))
    done = run(database_url, live, "sync-saved", "openrouter")
    assert done.returncode == 3, done.stderr
    assert done.stdout.split() == [GEMINI_PREVIEW, NEMO, O3]
    assert "updated 3, unchanged 1, missing 2 (1 active, left as they are)" in done.stderr
    assert "ACTIVE model 'anthropic/claude-3.7-sonnet'" in done.stderr

    after = run(database_url, live, "drift", "openrouter", "--json")
    report = json.loads(after.stdout)
    assert (report["changed"], report["unchanged"], report["missing"]) == (0, 4, 2)
    async with open_database(database_url):
        o3 = await SavedModel.get(model_id=O3)
        sonnet = await SavedModel.get(model_id=SONNET_37)
        gemini = await SavedModel.get(model_id=GEMINI_PREVIEW)
    assert (o3.input_price, o3.output_price) == (Decimal("2"), Decimal("8"))
    assert o3.is_active and sonnet.is_active
    assert gemini.capabilities == ["chat", "vision"] and gemini.capabilities_overridden


async def test_upstream_failure_exits_1_and_writes_nothing(
    database_url: str, live: Upstream, replay: ReplayServer
) -> None:
    await seed(database_url, active=(O3,))
    replay.fail(live.route, 500)
    for command in ("drift", "sync-saved"):
        done = run(database_url, live, command, "openrouter")
        assert done.returncode == 1
        assert done.stderr.splitlines()[-1].startswith("error: openrouter: HTTP 500")
    async with open_database(database_url):
        o3 = await SavedModel.get(model_id=O3)
    assert o3.input_price == Decimal("10")


def test_unknown_provider_and_usage_errors(database_url: str, upstream: Upstream) -> None:
    unmigrated = run(database_url, upstream, "drift", "nope", migrate=False)
    if not database_url.startswith("sqlite"):  # SQLite migrates itself by default
        assert unmigrated.returncode == 1 and "Traceback" not in unmigrated.stderr
        assert "has `ai-model-sync migrate` been run?" in unmigrated.stderr
    unknown = run(database_url, upstream, "drift", "nope")
    assert unknown.returncode == 1 and "unknown provider 'nope'" in unknown.stderr
    usage = run(database_url, upstream, "drift")
    assert usage.returncode == 2
    window = run(database_url, upstream, "drift", "openrouter", "--retire-within", "99999")
    assert window.returncode == 1 and "retirement window must be 0 to 3650 days" in window.stderr
