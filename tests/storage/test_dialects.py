"""One process, two dialects: the CLI's tests and a test run open SQLite and PostgreSQL one
after the other; what Tortoise built for one must never be sent to the other."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from storage.database import open_database
from storage.synclog import last_seen, record_seen
from tests.backends import fresh_postgres_database

AT = datetime(2026, 8, 19, tzinfo=UTC)


async def test_a_write_on_sqlite_then_on_postgres_in_one_process(tmp_path: Path) -> None:
    models = [{"id": "openai/gpt-4o", "name": "GPT-4o"}]
    async with open_database(f"sqlite://{tmp_path / 'first.sqlite3'}", migrate_schema=True):
        await record_seen("openrouter", models, AT)  # Tortoise builds its INSERT for SQLite
    async with (
        fresh_postgres_database() as url,
        open_database(url, migrate_schema=True),
    ):
        await record_seen("openrouter", models, AT)  # was: syntax error at or near ","
        assert await last_seen("openrouter") == models
