"""The CLI's curation commands in real processes: export, import (plan, dry run), route, probe."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.test_cli import env, rows, run

__all__ = ["env"]  # the fixture, shared with tests/test_cli.py


def test_export_import_route_and_probe(env: dict[str, str], tmp_path: Path) -> None:
    synced = run(
        env, "sync", "openrouter", "--capability", "chat", "--limit", "2", "--activate-first"
    )
    assert synced.returncode == 0, synced.stderr
    first, second = synced.stdout.split()
    exported = run(env, "export")
    assert exported.returncode == 0, exported.stderr
    document = yaml.safe_load(exported.stdout)
    for model in document["models"]:
        model["isActive"] = True
    document["slots"] = [
        {
            "name": "chat",
            "capability": "chat",
            "models": [{"provider": "openrouter", "modelId": m} for m in (first, second)],
        }
    ]
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")

    dry = run(env, "import", str(path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "create\tslot\tchat" in dry.stdout and "nothing written" in dry.stderr
    assert rows(env, "SELECT count(*) FROM ai_slot") == [(0,)]
    applied = run(env, "import", str(path))
    assert "applied" in applied.stderr and rows(env, "SELECT count(*) FROM ai_slot") == [(1,)]

    routed = run(env, "route", "chat")
    assert routed.returncode == 0, routed.stderr
    assert routed.stdout.startswith(f"route\topenrouter\t{first}")
    probed = run(env, "probe", "openrouter", first)
    assert probed.returncode == 0, probed.stderr
    assert probed.stdout.startswith("ok\t200\t")
    limited = run(env, "probe", "openrouter", first)
    assert limited.returncode == 1 and "PROBE_INTERVAL" in limited.stderr
    unknown = run(env, "route", "nope")
    assert unknown.returncode == 1 and "no slot 'nope'" in unknown.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nproviders: [{kind: nonsense}]\n", encoding="utf-8")
    refused = run(env, "import", str(bad))
    assert refused.returncode == 1 and "providers[0].kind" in refused.stderr
