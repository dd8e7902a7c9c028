"""``python -m bench.watching``: what the sync log costs a fetch of OpenRouter's 549-model list.

Every fetch records a run: the kept last list read, compared with the new one, the run (and,
when the list changed, its changes and the new kept list) written. This measures that
recording alone, on a fresh SQLite file, for the common case (the same list again) and the
rare one (the 2025-05 list, then 2026-08: 300+ changes). `--check` fails when the common case's
median is over `TARGET_MS`; `--quick` takes fewer samples (CI, the test that keeps it working).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable

from catalog.runtime import open_catalog
from catalog.snapshot import Snapshot
from providers import openrouter
from settings import Settings
from tests.replay import fixture_path

TARGET_MS = 40.0
"""Recording a refresh that found the same 549 models: at most this median (SQLite)."""
MAY, AUGUST = "models-2025-05.json", "models-all-output-modalities-2026-08.json"


def _snapshot(capture: str) -> Snapshot:
    payload = json.loads(fixture_path("openrouter", capture).read_bytes())
    return Snapshot.fetched_now("openrouter", openrouter.parse_models(payload), 600, time.time)


async def _median_ms(
    samples: int, run: Callable[[], Awaitable[None]], before: Callable[[], Awaitable[None]]
) -> float:
    times = []
    for _ in range(samples):
        await before()
        started = time.perf_counter()
        await run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def measure(samples: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite://{folder}/bench.sqlite3", migrate_on_start=True)
        async with open_catalog(settings) as catalog:
            provider = catalog.resolve("openrouter", None)
            record = catalog.watch.recorder
            may, august = _snapshot(MAY), _snapshot(AUGUST)

            async def nothing() -> None:
                return None

            async def fetched(snapshot: Snapshot) -> None:
                await record.fetched(provider, None, snapshot, 0.0)

            await fetched(august)  # the baseline
            same = await _median_ms(samples, lambda: fetched(august), nothing)
            era = await _median_ms(samples, lambda: fetched(august), lambda: fetched(may))
    return {"same_list_ms": round(same, 1), "era_change_ms": round(era, 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.watching")
    parser.add_argument("--check", action="store_true", help=f"fail over {TARGET_MS} ms")
    parser.add_argument("--quick", action="store_true", help="3 samples instead of 15")
    args = parser.parse_args(argv)
    figures = asyncio.run(measure(3 if args.quick else 15))
    print(json.dumps(figures))
    if args.check and figures["same_list_ms"] > TARGET_MS:
        sys.exit(f"recording the same list took {figures['same_list_ms']} ms > {TARGET_MS} ms")


if __name__ == "__main__":
    main()
