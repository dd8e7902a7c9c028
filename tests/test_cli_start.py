"""What an `ai-model-sync` process imports before it does its work (`cli/common.py`): the
parser (`--help`, a usage error) loads neither the database layer nor HTTP, and a command
on the in-process cache loads no Redis client. Each start costs every command of a pipeline
and every CLI process the suite runs; the figures are in the README's "Command line"."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.processes import ROOT, child_environment

PARSER_NEVER = ("tortoise", "aiohttp", "redis", "aiocache", "yaml", "prometheus_client")
"""What building the parser never loads: the ORM, HTTP, the caches, YAML, the metrics."""

MEMORY_CACHE_NEVER = ("redis", "aiocache", "opentelemetry", "yaml")
"""What a command never loads when `CACHE_URL` is `memory://` (and no file is read or written
as YAML): redis-py, which aiocache imports on its own import, and OpenTelemetry, which
redis-py imports."""

_LOADED = "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"


def _loaded(code: str, **env: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"import json, sys\n{code}\n{_LOADED}"],
        cwd=ROOT,
        env=child_environment(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_parser_loads_no_database_http_or_cache() -> None:
    loaded = _loaded("import cli\ncli._parser().format_help()")
    assert "cli" in loaded  # the probe works: it sees what was imported
    assert not loaded & set(PARSER_NEVER), sorted(loaded & set(PARSER_NEVER))


def test_a_command_on_the_memory_cache_loads_no_redis(tmp_path: Path) -> None:
    database = f"sqlite://{tmp_path / 'start.sqlite3'}"
    code = "import cli\nassert cli.main(['token', 'list']) == 0"
    loaded = _loaded(code, DATABASE_URL=database, CACHE_URL="memory://")
    assert {"tortoise", "aiohttp"} <= loaded  # it did open the catalog
    assert not loaded & set(MEMORY_CACHE_NEVER), sorted(loaded & set(MEMORY_CACHE_NEVER))
