"""``python -m bench.console [--check]``: the admin console's figures in a real browser.

They are measured by the browser tests (`tests/browser/test_performance.py`: chromium against a
real uvicorn on the replay upstream, median of 5 runs each) and recorded in
`artifacts/browser/timings.json`; this prints them beside issue 15's targets. Run the
measurement with ``REQUIRE_BROWSER=1 .venv/bin/python -m pytest tests/browser/test_performance.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TIMINGS = ROOT / "artifacts" / "browser" / "timings.json"

COLD, WARM = "console_cold_browser_cache", "console_warm_browser_cache"
FCP = "first_contentful_paint_ms"
TARGETS = (
    # (what, section, figure, target in ms)
    ("console first paint, warm server", COLD, FCP, 300),
    ("549-model list rendered", "models_549", "render_549_ms", 200),
)
ROWS = (
    ("first contentful paint (cold browser cache)", COLD, FCP),
    ("first contentful paint (warm browser cache)", WARM, FCP),
    ("  a plain text file, same browser (the floor)", "plain_text_file", FCP),
    ("first model row shown (cold cache)", COLD, "first_model_row_ms"),
    ("first model row shown (warm cache)", WARM, "first_model_row_ms"),
    ("render 549 rows (JS: data in hand → rows in the DOM)", "models_549", "render_549_ms"),
    (
        "'Per page: All' → first 100 rows laid out",
        "models_549",
        "select_all_to_first_rows_laid_out_ms",
    ),
    ("'Per page: All' → all 549 rows laid out", "models_549", "select_all_to_549_rows_laid_out_ms"),
)


def report(figures: dict[str, Any]) -> tuple[str, bool]:
    lines = [
        f"measured {figures['measured']}, median of {figures['runs']} runs, "
        f"chromium {figures['browser']}, {figures['machine']['cpus']} CPUs, load average "
        f"{' '.join(map(str, figures['machine'].get('load_average', [])))}"
    ]
    width = max(len(label) for label, _, _ in ROWS)
    lines += [f"{label:<{width}}  {figures[section][key]:8.1f} ms" for label, section, key in ROWS]
    met = True
    for label, section, key, target in TARGETS:
        value = figures[section][key]
        ok = value < target
        met &= ok
        lines.append(f"target: {label} < {target} ms: {value:.1f} ms {'met' if ok else 'MISSED'}")
    return "\n".join(lines), met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.console", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if not TIMINGS.is_file():
        print(
            f"no {TIMINGS.relative_to(ROOT)}: run the browser tests first (see --help)",
            file=sys.stderr,
        )
        return 2
    text, met = report(json.loads(TIMINGS.read_text()))
    print(text)
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    sys.exit(main())
