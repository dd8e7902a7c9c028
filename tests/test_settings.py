"""The settings: declared once, checked at start, and the README's tables printed from them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import cli
from setting_tables import limits_table, settings_table
from settings import PROVIDER_DECLARATIONS, Settings, SettingsError, declared

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_migrate_on_start_defaults_to_the_embedded_database_only() -> None:
    assert Settings.from_env({}).migrate_on_start is True
    postgres = Settings.from_env({"DATABASE_URL": "postgres://app@db:5432/app"})
    assert postgres.migrate_on_start is False
    forced = {"DATABASE_URL": "postgres://app@db:5432/app", "MIGRATE_ON_START": "true"}
    assert Settings.from_env(forced).migrate_on_start is True
    assert Settings.from_env({"MIGRATE_ON_START": "false"}).migrate_on_start is False
    assert Settings.from_env({"MIGRATE_ON_START": ""}).migrate_on_start is True  # unset
    # built directly (as tests do), the same rule
    assert Settings(database_url="postgres://app@db/app").migrate_on_start is False


def test_secret_keys_are_a_comma_separated_list_and_never_printed() -> None:
    key = "pRS1JPwdU1dr8XhQwC0N2GmXrYEhAHSgjZTrByvPLC0="
    other = "Z2mLVgEyMrJbO5d0VBdRmPzLJ1f0x1ZmQKq3YhM7WnI="
    settings = Settings.from_env({"SECRET_KEYS": f" {key} , {other} ,", "CACHE_URL": "redis://r"})
    assert [str(k) for k in settings.secret_keys] == [key, other]
    assert key not in repr(settings)
    assert settings.cache_url == "redis://r" and settings.cache_namespace == "ams"
    assert Settings.from_env({}).secret_keys == ()


@pytest.mark.parametrize(
    ("variable", "value", "allowed"),
    [
        ("LIST_TTL", "ten", "a whole number from 1 to 604800 (seconds)"),
        ("LIST_TTL", "0", "a whole number from 1 to 604800"),
        ("STALE_TTL", "-5", "a whole number from 0 to"),
        ("PORT", "http", "a whole number from 1 to 65535"),
        ("PORT", "70000", "a whole number from 1 to 65535"),
        ("GRAPHIQL", "maybe", "true or false"),
        ("HTTP_TOTAL_TIMEOUT", "soon", "a number above 0 up to 600 (seconds)"),
        ("HTTP_TOTAL_TIMEOUT", "-1", "a number above 0"),
        ("HTTP_CONNECT_TIMEOUT", "0", "a number above 0"),
        ("HTTP_TOTAL_TIMEOUT", "nan", "a number above 0"),
        ("HTTP_RETRIES", "-1", "a whole number from 0 to 10"),
        ("RESULT_CACHE_SIZE", "lots", "a whole number from 0 to 10000"),
        ("MIGRATE_ON_START", "perhaps", "true or false"),
        ("MAX_PAGE_SIZE", "-1", "a whole number from 1 to 10000"),
        ("LOG_LEVEL", "chatty", "one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("DATABASE_URL", "garbage", "sqlite://<file> or postgres://"),
        ("DATABASE_URL", "mysql://db/app", "sqlite://<file> or postgres://"),
        ("CACHE_URL", "memcached://cache", "memory:// or redis://"),
        ("CACHE_NAMESPACE", "a b", "1-64 letters, digits"),
        ("FAILURE_RETRY", "0", "a whole number from 1 to 86400"),
        ("AI_PROVIDER_GROQ_TTL", "soon", "a whole number from 10 to 604800 (seconds)"),
        ("AI_PROVIDER_GROQ_TTL", "-60", "a whole number from 10 to 604800"),
        ("AI_PROVIDER_OPENAI_BASE_URL", "api.openai.com", "an http:// or https:// URL"),
        ("MAX_BODY_BYTES", "1", "a whole number from 1024 to"),
    ],
)
def test_a_bad_value_names_the_variable_the_value_and_what_is_allowed(
    variable: str, value: str, allowed: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({variable: value})
    [problem] = raised.value.problems
    assert problem.startswith(f"{variable}={value!r}: ")
    assert allowed in problem and problem.endswith(" is allowed")


def test_every_bad_variable_is_reported_and_secrets_are_not_echoed() -> None:
    secret = "not-a-fernet-key-but-maybe-a-password"
    env = {"PORT": "x", "SECRET_KEYS": secret, "AI_PROVIDER_GROQ_API_KEY": "has spaces in it"}
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(env)
    problems = raised.value.problems
    named = [problem.split("=")[0] for problem in problems]
    assert named == ["PORT", "SECRET_KEYS", "AI_PROVIDER_GROQ_API_KEY"]
    assert secret not in str(raised.value) and "has spaces" not in str(raised.value)
    assert "SECRET_KEYS=(hidden)" in problems[1]


def test_an_echoed_value_is_bounded() -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"PORT": "9" * 100_000})
    assert len(str(raised.value)) < 300


def test_every_declared_setting_is_read_and_every_field_is_declared() -> None:
    env = {item.metadata["declaration"].variable: "" for item in declared()}
    assert len(env) == len(declared())  # no variable declared twice
    undeclared = [
        item.name
        for item in Settings.__dataclass_fields__.values()
        if "declaration" not in item.metadata and item.name != "providers"
    ]
    assert undeclared == []
    for item in declared():  # each default is one its own form accepts
        form = item.metadata["declaration"].form
        if item.default not in (None, ()):
            assert form.parse(form.show(item.default)) == item.default, item.name


def test_the_readme_tables_are_printed_from_the_declarations() -> None:
    """Regenerate with `python -m settings` and paste into the README."""
    assert settings_table(declared(), PROVIDER_DECLARATIONS) in README
    assert limits_table(declared()) in README


def test_the_readme_production_table_names_declared_settings_only() -> None:
    section = README[README.index("### Settings\n") : README.index("### Deployment recipe")]
    named = set(re.findall(r"^\| `([A-Z_]+)`", section, flags=re.MULTILINE))
    known = {item.metadata["declaration"].variable for item in declared()}
    assert named and named <= known


COMMANDS = [
    ["serve"],
    ["migrate"],
    ["sync", "openrouter"],
    ["clear", "openrouter"],
    ["list", "openrouter"],
    ["drift", "openrouter"],
    ["sync-saved", "openrouter"],
    ["rotate-keys"],
    ["token", "create", "admin"],
    ["token", "revoke", "admin"],
    ["token", "list"],
]


LIST_TTL_ZERO = "error: setting LIST_TTL='0': a whole number from 1 to 604800 (seconds) is allowed"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_refuses_a_bad_setting_with_one_line(
    command: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite://{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv("LIST_TTL", "0")
    with pytest.raises(SystemExit) as exited:
        cli.main(command)
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines() == [LIST_TTL_ZERO]
    assert not (tmp_path / "x.sqlite3").exists()  # refused before anything was opened


@pytest.mark.parametrize("command", [["serve"], ["token", "create", "admin"]], ids=" ".join)
def test_a_real_process_exits_2_with_one_line(command: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite://{tmp_path / 'x.sqlite3'}", "LIST_TTL": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "cli", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr.splitlines()) == (2, [LIST_TTL_ZERO])


def test_uvicorn_factory_refuses_a_bad_setting_with_one_line() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": "garbage"}
    done = subprocess.run(
        [sys.executable, "-m", "uvicorn", "--factory", "server:app_from_env", "--port", "0"],
        cwd=ROOT,  # where coverage, when it measures the child, finds its settings
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "error: setting DATABASE_URL='garbage': sqlite://<file> or postgres://" in done.stderr
