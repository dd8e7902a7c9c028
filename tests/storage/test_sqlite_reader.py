"""The hot path's one query on SQLite (`storage.sqlite.Client.read_rows`), read at once on a
connection of its own to the same file: it still sees what any other connection or process
committed, on the very next read; a transaction still reads its own uncommitted writes; a
writer holding the lock never makes it wait."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tortoise.connection import connections
from tortoise.transactions import in_transaction

from storage import sqlite
from storage.database import open_database
from storage.models import Provider, SavedModel
from storage.state import CatalogStates
from tests.service import SQLLog

SLUG = "openrouter"
ACTIVATE = "UPDATE ai_model SET is_active = 1 WHERE model_id = 'a/one'"


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Path]:
    path = tmp_path / "reader.sqlite3"
    async with open_database(f"sqlite://{path}", migrate_schema=True):
        provider = await Provider.create(slug=SLUG, kind="openrouter", display_name="OpenRouter")
        await SavedModel.create(provider=provider, model_id="a/one", name="One")
        yield path


def _client() -> sqlite.Client:
    client = connections.get("default")
    assert type(client) is sqlite.Client
    return client


async def _read(states: CatalogStates) -> dict[str, bool]:
    state = await states.get(SLUG)
    return {model_id: saved.is_active for model_id, saved in state.saved.items()}


async def test_a_write_by_another_connection_shows_on_the_next_read(database: Path) -> None:
    states = CatalogStates()
    assert await _read(states) == {"a/one": False}
    assert _client()._reader is not None  # the read went through the reader connection
    other = sqlite3.connect(database, isolation_level=None)  # another process's view
    try:
        other.execute(ACTIVATE)
    finally:
        other.close()
    assert await _read(states) == {"a/one": True}


async def test_a_save_by_another_process_shows_on_the_next_read(database: Path) -> None:
    states = CatalogStates()
    assert await _read(states) == {"a/one": False}
    code = (
        "import sqlite3, sys; "
        "sqlite3.connect(sys.argv[1], isolation_level=None).execute(sys.argv[2])"
    )
    subprocess.run([sys.executable, "-c", code, str(database), ACTIVATE], check=True)
    assert await _read(states) == {"a/one": True}


async def test_one_statement_is_logged_per_read(database: Path) -> None:
    states = CatalogStates()
    log = SQLLog()
    log.start()
    try:
        await _read(states)
    finally:
        statements = log.stop()
    assert len(statements) == 1 and statements[0].startswith("SELECT")


async def test_a_transaction_reads_its_own_writes_and_others_see_them_once_committed(
    database: Path,
) -> None:
    states, client = CatalogStates(), _client()
    async with in_transaction() as connection:
        provider = await Provider.get(slug=SLUG, using_db=connection)
        await SavedModel.create(
            provider=provider, model_id="b/two", name="Two", using_db=connection
        )
        assert set(await _read(states)) == {"a/one", "b/two"}  # through the transaction
        rows = client.read_rows('SELECT model_id FROM "ai_model"', [])
        assert rows == (["model_id"], [("a/one",)])  # the reader: committed writes only
    assert set(await _read(states)) == {"a/one", "b/two"}


async def test_a_writer_holding_the_lock_does_not_make_the_reader_wait(database: Path) -> None:
    states = CatalogStates()
    holder = sqlite3.connect(database, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        holder.execute(ACTIVATE)
        assert _client().read_rows('SELECT is_active FROM "ai_model"', []) == (
            ["is_active"],
            [(0,)],
        )
        assert await _read(states) == {"a/one": False}  # what is committed
        holder.execute("COMMIT")
    finally:
        holder.close()
    assert await _read(states) == {"a/one": True}


async def test_a_failed_read_is_left_to_the_query_path(database: Path) -> None:
    assert _client().read_rows("SELECT * FROM no_such_table", []) is None


async def test_an_in_memory_database_has_no_reader() -> None:
    async with open_database("sqlite://:memory:", migrate_schema=True):
        await Provider.create(slug=SLUG, kind="openrouter", display_name="OpenRouter")
        assert _client().read_rows('SELECT slug FROM "ai_provider"', []) is None
        state = await CatalogStates().get(SLUG)
        assert state.provider is not None and state.provider.slug == SLUG


async def test_the_reader_is_closed_with_the_client(database: Path) -> None:
    client = _client()
    await CatalogStates().get(SLUG)
    reader = client._reader
    assert reader is not None
    await client.close()
    assert client._reader is None
    with pytest.raises(sqlite3.ProgrammingError):
        reader.execute("SELECT 1")


async def test_unchanged_rows_give_the_same_state_and_a_change_a_new_one(database: Path) -> None:
    states = CatalogStates()
    first = await states.get(SLUG)
    again = await states.get(SLUG)
    assert again is first and again.fingerprint() is first.fingerprint()
    other = sqlite3.connect(database, isolation_level=None)
    try:
        other.execute(ACTIVATE)
    finally:
        other.close()
    changed = await states.get(SLUG)
    assert changed is not first and changed.fingerprint() != first.fingerprint()
    assert (await states.get("nobody")).provider is None
