"""Versioned migrations on the test's real database (SQLite file, or PostgreSQL in CI): a
database made by the first migration keeps every row through the upgrade to the latest."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from tortoise import Tortoise, connections
from tortoise.migrations.autodetector import MigrationAutodetector

from errors import ConfigError
from storage import tokens
from storage.database import applied_migrations, migrate, open_database, tortoise_apps
from storage.models import ApiToken, Provider, SavedModel
from tests.processes import child_environment

TOKEN = "ams_upgrade_test_token"
ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = sorted(path.stem for path in (ROOT / "storage" / "migrations").glob("0*.py"))
"""Every migration, oldest first (read from the files): what an upgrade from the first applies
after it, whichever a later change adds."""


async def _execute(sql: str) -> None:
    await connections.get("default").execute_script(sql)


async def _insert_at_initial_schema() -> None:
    """Rows as release 0001 wrote them: plain SQL, since today's models have other columns."""
    now = "CURRENT_TIMESTAMP"
    await _execute(
        "INSERT INTO ai_provider (slug, kind, display_name, base_url, ttl, is_active, created_at,"
        f" updated_at) VALUES ('openrouter', 'openrouter', 'OpenRouter', NULL, 300, TRUE, {now},"
        f" {now}), ('gw', 'openai_compatible', 'Gateway', 'http://gw.local/v1', NULL, FALSE,"
        f" {now}, {now})"
    )
    await _execute(
        "INSERT INTO ai_model (provider_id, model_id, name, description, capabilities,"
        " capabilities_overridden, input_price, output_price, context_window, max_output_tokens,"
        " sources, upstream, is_active, created_at, updated_at) SELECT id, 'openai/gpt-4o',"
        " 'GPT-4o', 'omni', '[\"chat\", \"vision\"]', TRUE, 2.5, 0.000150, 128000, NULL,"
        ' \'{"input_price": "pricing.prompt"}\', \'{"id": "openai/gpt-4o"}\', TRUE,'
        f" {now}, {now} FROM ai_provider WHERE slug = 'openrouter'"
    )
    await _execute(
        "INSERT INTO ai_api_token (name, token_hash, permissions, created_at) VALUES"
        f" ('admin', '{tokens.hash_token(TOKEN)}', '[\"ai.manage\"]', {now})"
    )


async def test_upgrading_from_the_first_migration_keeps_every_row(database_url: str) -> None:
    async with open_database(database_url):
        assert MIGRATIONS[:2] == ["0001_initial", "0002_provider_key_encrypted"]
        assert await migrate("0001_initial") == ["0001_initial"]
        await _insert_at_initial_schema()
        assert await migrate() == MIGRATIONS[1:]
        assert await applied_migrations() == MIGRATIONS
        assert await migrate() == []  # at the latest already: nothing to do

        providers = {p.slug: p for p in await Provider.all()}
        assert set(providers) == {"openrouter", "gw"}
        assert providers["openrouter"].ttl == 300 and providers["openrouter"].is_active
        assert providers["gw"].base_url == "http://gw.local/v1" and not providers["gw"].is_active
        assert providers["gw"].api_key_encrypted is None and providers["gw"].api_key_last4 is None

        model = await SavedModel.get(model_id="openai/gpt-4o").select_related("provider")
        assert model.provider.slug == "openrouter" and model.name == "GPT-4o"
        assert model.capabilities == ["chat", "vision"] and model.capabilities_overridden
        assert model.input_price == Decimal("2.5") and model.output_price == Decimal("0.00015")
        assert model.context_window == 128000 and model.max_output_tokens is None
        assert model.sources == {"input_price": "pricing.prompt"}
        assert model.upstream == {"id": "openai/gpt-4o"} and model.is_active

        token = await tokens.find_token(TOKEN, datetime.now(UTC))
        assert token is not None and token.permissions == frozenset({"ai.manage"})
        assert token.expires_at is None and token.last_used_at is None  # 0003: never expires
        assert await ApiToken.all().count() == 1


async def test_a_clear_key_stops_the_upgrade_instead_of_being_lost(database_url: str) -> None:
    async with open_database(database_url):
        await migrate("0001_initial")
        await _insert_at_initial_schema()
        await _execute("UPDATE ai_provider SET api_key = 'sk-in-clear' WHERE slug = 'gw'")
        with pytest.raises(ConfigError, match="gw hold an API key in clear"):
            await migrate()
        assert await applied_migrations() == ["0001_initial"]
        _, rows = await connections.get("default").execute_query(
            "SELECT api_key FROM ai_provider WHERE slug = 'gw'"
        )
        assert rows[0]["api_key"] == "sk-in-clear"


async def test_a_database_from_before_migrations_is_adopted(database_url: str) -> None:
    async with open_database(database_url):
        await migrate("0001_initial")
        await _insert_at_initial_schema()
        await _execute("DELETE FROM tortoise_migrations")  # as `generate_schemas` left it
        assert await migrate() == MIGRATIONS[1:]
        assert await applied_migrations() == MIGRATIONS
        assert await SavedModel.all().count() == 1


async def test_the_models_and_the_migrations_agree(database_url: str) -> None:
    """A change to storage/models/ without its migration fails here."""
    async with open_database(database_url):
        assert Tortoise.apps is not None
        writers = await MigrationAutodetector(Tortoise.apps, tortoise_apps()).changes()
        assert [writer.name for writer in writers] == []


async def test_workers_migrating_at_once_take_turns(database_url: str) -> None:
    """Every worker of a rollout with MIGRATE_ON_START=true migrates on start: one applies,
    the others find nothing to do (PostgreSQL advisory lock; a lock file beside SQLite)."""
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "cli",
            "migrate",
            cwd=ROOT,
            env=child_environment(DATABASE_URL=database_url),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(3)
    ]
    outputs = [await process.communicate() for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], outputs
    applied = sorted(stdout.decode().split() for stdout, _ in outputs)
    assert applied == [[], [], MIGRATIONS]
    async with open_database(database_url):
        assert await applied_migrations() == MIGRATIONS
