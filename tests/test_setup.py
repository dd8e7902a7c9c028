"""The README's set-up is what CI runs: its test command stands, to the letter, in `.ci/run`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import BACKEND_FIXTURES

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readmes_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme[readme.index("## Set-up") : readme.index("Every operation needs")]
    commands = re.findall(r"```bash\n(.+?)\n```", setup)
    assert len(commands) == 2, commands  # one installs and serves, one runs the tests
    serve, test = commands
    assert serve.endswith("ai-model-sync serve")
    assert "coverage run -m pytest" in test and test.endswith("coverage report")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci


def test_every_fixture_that_reads_the_backend_settings_marks_its_tests() -> None:
    """CI's PostgreSQL + Redis run selects `-m backends`: the tests whose fixtures read
    `TEST_DATABASE` or `TEST_CACHE`. A new such fixture outside that set would leave its tests
    out of that run."""
    reading = set()
    for path in sorted((ROOT / "tests").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            fixture = any("fixture" in ast.unparse(d) for d in node.decorator_list)
            body = ast.get_source_segment(source, node) or ""
            if fixture and ("TEST_DATABASE" in body or "TEST_CACHE" in body):
                reading.add(node.name)
    assert reading == BACKEND_FIXTURES
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "TEST_DATABASE=postgres TEST_CACHE=redis .venv/bin/python -m pytest" in ci
    assert "-m backends" in ci
