"""The CLI's writes are logged too, as `cli:<user>`, and `ai-model-sync audit` prints the log;
every subcommand is either a write that logs or listed as read-only."""

from __future__ import annotations

import argparse
import json
import os
import pwd
from pathlib import Path

import cli
from tests.backends import TEST_SECRET_KEY
from tests.replay import ReplayServer
from tests.test_cli import env, run  # noqa: F401 (the fixture)

WRITES: dict[str, tuple[str, ...]] = {
    "sync": ("sync", "openrouter", "--limit", "3"),
    "sync-saved": ("sync-saved", "openrouter"),
    "import": ("import", "{file}"),  # an empty configuration: nothing to change, still logged
    "probe": ("probe", "openrouter", "{model}"),  # the first model synced
    "clear": ("clear", "openrouter", "--all"),
    "rotate-keys": ("rotate-keys",),
    "token create": ("token", "create", "pipeline"),
    "token revoke": ("token", "revoke", "pipeline"),
    "refresh": ("refresh", "openrouter"),
    "webhook add": ("webhook", "add", "http://127.0.0.1:9/hook"),
    "webhook test": ("webhook", "test", "1"),  # the receiver is down: a failed delivery
    "webhook remove": ("webhook", "remove", "1"),
}
"""A call of every CLI command that writes, in an order that succeeds."""
READ_ONLY = {"serve", "migrate", "list", "drift", "audit", "token list", "sync-log", "webhook list",
             "catalogs show", "export", "route"}  # fmt: skip
LOGGED_ELSEWHERE = {"catalogs update"}
"""Writes whose entry is checked beside their own server (tests/catalog/test_catalogs_update.py
serves the constructed catalog data)."""
OPERATIONS = ["bulkSync", "syncSavedModels", "importConfiguration", "testModel", "clearModels",
              "rotateKeys", "createToken", "revokeTokens", "refreshModels", "registerWebhook",
              "sendTestWebhook",
              "removeWebhook"]  # fmt: skip


def _commands(parser: argparse.ArgumentParser, prefix: str = "") -> set[str]:
    found: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                inner = _commands(sub, f"{prefix}{name} ")
                found |= inner or {f"{prefix}{name}"}
    return found


def test_every_cli_write_is_logged(
    env: dict[str, str],  # noqa: F811
    replay: ReplayServer,
    tmp_path: Path,
) -> None:
    classified = set(WRITES) | READ_ONLY | LOGGED_ELSEWHERE
    assert _commands(cli._parser()) == classified, "classify the new command"
    env = {**env, "SECRET_KEYS": TEST_SECRET_KEY, "WEBHOOK_ALLOW_PRIVATE": "true"}
    empty = tmp_path / "empty.json"
    empty.write_text('{"version": 1, "providers": [], "models": [], "slots": []}')
    filled = {"{file}": str(empty)}
    for name, args in WRITES.items():
        done = run(env, *(filled.get(arg, arg) for arg in args))
        if name == "sync":
            filled["{model}"] = done.stdout.split()[0]
        assert done.returncode in ((0, 1) if name == "webhook test" else (0,)), done.stderr
    printed = run(env, "audit", "--json")
    assert printed.returncode == 0, printed.stderr
    entries = [json.loads(line) for line in printed.stdout.splitlines()]
    assert [entry["operation"] for entry in entries] == OPERATIONS[::-1]  # newest first
    user = pwd.getpwuid(os.getuid()).pw_name
    assert {(entry["actor"], entry["via"]) for entry in entries} == {(f"cli:{user}", "cli")}
    synced = entries[-1]
    registered = entries[2]
    assert registered["changes"][-1] == {
        "modelId": None,
        "field": "secret",
        "before": None,
        "after": "set",
    }
    assert len(synced["modelIds"]) == 3 and synced["details"]["created"] == 3
    created = entries[5]
    assert created["details"]["name"] == "pipeline" and "ams_" not in printed.stdout
    text = run(env, "audit", "--since", "1h", "--operation", "bulkSync")
    assert text.returncode == 0 and text.stdout.count("\n") == 1
    assert "bulkSync\topenrouter\t" in text.stdout and "(+" not in text.stdout
    later = run(env, "audit", "--since", "2999-01-01")
    assert later.returncode == 0 and later.stdout == ""
    bad = run(env, "audit", "--since", "yesterday")
    assert bad.returncode == 2 and "neither a duration" in bad.stderr
