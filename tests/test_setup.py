"""The README's set-up is what CI runs: its test command stands, to the letter, in `.ci/run`."""

from __future__ import annotations

import re
from pathlib import Path

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
