"""``python -m bench.catalogs [--check]``: what the catalogs cost, per fetched list and at start.

Enrichment runs once per fetched list (`catalog.live`, before caching), never per request; this
times it on the real captures, as a cold fetch pays it (the first list after start) and as a
later fetch of the same provider does (the catalogs' lookups remembered), next to parsing the
same list. It also measures the catalogs' one-time load (importing genai-prices and reading
models.dev's copy, done in a worker thread on the first enriched list) and that importing the
server and the CLI does not load them (`python -X importtime`).

Targets (issue 11): the 549-model OpenRouter list and the 54-model Mistral list not measurably
slower: OpenRouter's enrichment under 1 ms (it is left as listed), Mistral's under 10% of its
cold fetch's reference (285 ms, README), and neither module imports genai-prices.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CAPTURES = (
    ("openrouter", "models-all-output-modalities-2026-08.json"),
    ("mistral", "models-2026-03.json"),
    ("openai", "models-2025-05.json"),
    ("gemini", "models-2026-03.json"),
    ("groq", "models-2026-03.json"),
    ("anthropic", "models-2025-05.json"),
)
COLD_FETCH_MS = 285.0  # README, case 4: a cold list, upstream +100 ms


def _ms(run: Callable[[], object], times: int = 5) -> float:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _imports_genai_prices(module: str) -> bool:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return "genai_prices" in done.stderr


def _time_list(
    kind: str,
    parse: Callable[[Any], list[Any]],
    body: Any,
    prices: Any,
    metadata: Any,
    now: datetime,
) -> dict[str, float]:
    from catalog.catalogs.enrich import enrich

    records = parse(body)
    first = _ms(lambda: enrich(kind, records, prices, metadata, now), times=1)
    return {
        "models": len(records),
        "parse_ms": round(_ms(lambda: parse(body)), 2),
        "enrich_first_ms": round(first, 2),
        "enrich_ms": round(_ms(lambda: enrich(kind, records, prices, metadata, now)), 2),
    }


def measure() -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    from catalog.catalogs.metadata import load_metadata
    from catalog.catalogs.prices import load_prices
    from providers import discover

    start = time.perf_counter()
    prices, metadata = load_prices(None), load_metadata(None)
    load_ms = (time.perf_counter() - start) * 1000
    kinds, now = discover(), datetime.now(UTC)
    lists = {}
    for kind, name in CAPTURES:
        spec = kinds.get(kind)
        assert spec is not None
        body = json.loads((ROOT / "tests/fixtures/providers" / kind / name).read_bytes())
        lists[kind] = _time_list(kind, spec.parse_models, body, prices, metadata, now)
    return {
        "catalogs_load_ms": round(load_ms, 1),
        "lists": lists,
        "server_imports_genai_prices": _imports_genai_prices("server"),
        "cli_imports_genai_prices": _imports_genai_prices("cli"),
    }


def verdicts(figures: dict[str, object]) -> list[tuple[str, bool]]:
    lists = figures["lists"]
    assert isinstance(lists, dict)
    return [
        ("OpenRouter (549) enrichment < 1 ms", lists["openrouter"]["enrich_first_ms"] < 1),
        (
            "Mistral (54) enrichment < 10% of a cold fetch",
            lists["mistral"]["enrich_first_ms"] < COLD_FETCH_MS / 10,
        ),
        ("server start does not import genai-prices", not figures["server_imports_genai_prices"]),
        ("CLI start does not import genai-prices", not figures["cli_imports_genai_prices"]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    figures = measure()
    print(f"catalogs loaded once: {figures['catalogs_load_ms']} ms")
    print("| list | models | parse | enrich, first list | enrich, later lists |")
    print("|---|---:|---:|---:|---:|")
    for kind, row in figures["lists"].items():  # type: ignore[attr-defined]
        print(
            f"| {kind} | {row['models']} | {row['parse_ms']} ms | {row['enrich_first_ms']} ms"
            f" | {row['enrich_ms']} ms |"
        )
    results = verdicts(figures)
    for what, met in results:
        print(f"{'met   ' if met else 'MISSED'} {what}")
    if args.check and not all(met for _, met in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
