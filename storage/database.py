"""Opening and closing the database from a URL (`sqlite://path`, `postgres://...`), and
bringing its schema up to date with the versioned migrations in `storage/migrations/`.

>>> tortoise_apps()["models"]["migrations"]
'storage.migrations'
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.exceptions import OperationalError
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget

MODELS_MODULE = "storage.models"
MIGRATIONS_MODULE = "storage.migrations"
APP = "models"
INITIAL = "0001_initial"
# Any constant will do; it only has to be the same in every process of one deployment.
_PG_LOCK_ID = 0x616D735F6D6967  # "ams_mig"

log = logging.getLogger(__name__)


def tortoise_apps() -> dict[str, dict[str, Any]]:
    """The one Tortoise app, with where its migrations live."""
    return {
        APP: {
            "models": [MODELS_MODULE],
            "migrations": MIGRATIONS_MODULE,
            "default_connection": "default",
        }
    }


_ENGINES = {
    "tortoise.backends.sqlite": "storage.sqlite",
    "tortoise.backends.asyncpg": "storage.postgres",
}
"""Tortoise's engines, and ours in their place."""


def connection_config(url: str) -> dict[str, Any]:
    """Tortoise's config for `url`: a `sqlite://` file uses `storage.sqlite`'s client (write
    transactions take the lock first, a busy timeout, a typed error when a lock wins), a
    `postgres://` database `storage.postgres`'s (connections handed out in turn).

    >>> connection_config("sqlite://data/x.sqlite3")["connections"]["default"]["engine"]
    'storage.sqlite'
    """
    connection = expand_db_url(url)
    connection["engine"] = _ENGINES.get(connection["engine"], connection["engine"])
    return {
        "connections": {"default": connection},
        "apps": {APP: {"models": [MODELS_MODULE], "default_connection": "default"}},
    }


def _ensure_sqlite_dir(url: str) -> None:
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


@asynccontextmanager
async def open_database(url: str, *, migrate_schema: bool = False) -> AsyncIterator[None]:
    """Connect for the lifetime of the block; with `migrate_schema`, apply pending migrations.

    Tortoise's global fallback context is what makes the connection visible to request tasks
    that Starlette runs outside the lifespan task (the same choice as tortoise.contrib.starlette).
    Tortoise keeps each table's INSERT statement by connection name and table, not by dialect:
    a process that opened SQLite before PostgreSQL would send SQLite's statement (`?`
    placeholders) to PostgreSQL, so they are dropped here and rebuilt on first use.
    """
    _ensure_sqlite_dir(url)
    EXECUTOR_CACHE.clear()
    await Tortoise.init(config=connection_config(url), _enable_global_fallback=True)
    try:
        if migrate_schema:
            await migrate(url=url)
        yield
    finally:
        await Tortoise.close_connections()


async def migrate(target: str | None = None, *, url: str | None = None) -> list[str]:
    """Apply the migrations up to `target` (a migration name; default: the latest).

    Returns the names applied, in order. Safe to run from several processes at once on
    PostgreSQL (they take turns on an advisory lock); an already migrated database is a no-op.
    A database created before migrations existed (by `generate_schemas`) is recognised and
    its initial migration recorded as applied instead of run. `url` (a SQLite file's) lets
    processes sharing that file take turns too.
    """
    connection = connections.get("default")
    applied: list[str] = []

    def progress(event: str, app: str, name: str) -> None:
        if event == "apply_done":
            applied.append(name)
            log.info("applied migration %s.%s", app, name)

    async with _migration_lock(connection, sqlite_path(url)):
        executor = MigrationExecutor(connection, tortoise_apps())
        if await _predates_migrations(connection, executor):
            await executor.migrate([MigrationTarget(APP, INITIAL)], fake=True)
        await executor.migrate([MigrationTarget(APP, target or "__latest__")], progress=progress)
    return applied


async def ping() -> None:
    """Return when the database answers a query; raise the driver's error when it does not."""
    await connections.get("default").execute_query("SELECT 1")


def connections_in_use() -> int:
    """Connections busy right now: of PostgreSQL's pool (size less idle), or 1 while the
    SQLite connection is taken by a transaction, else 0."""
    client = connections.get("default")
    pool = getattr(client, "_pool", None)
    if pool is not None and hasattr(pool, "get_idle_size"):
        return int(pool.get_size() - pool.get_idle_size())
    lock = getattr(client, "_lock", None)
    return int(bool(lock is not None and lock.locked()))


def dialect() -> str:
    """`sqlite` or `postgres`: which database the open connection is."""
    return str(connections.get("default").capabilities.dialect)


async def applied_migrations() -> list[str]:
    """Names of the migrations recorded as applied, oldest first."""
    executor = MigrationExecutor(connections.get("default"), tortoise_apps())
    return [
        key.name for key in await executor.recorder.applied_migrations() if key.app_label == APP
    ]


class PendingMigrations(RuntimeError):
    """The database is behind the code: `ai-model-sync migrate` has not been run."""


def shipped_migrations() -> list[str]:
    """The migrations this code ships, oldest first."""
    folder = Path(__file__).parent / "migrations"
    return sorted(path.stem for path in folder.glob("0*.py"))


async def check_migrations() -> None:
    """Return when every shipped migration is applied; `PendingMigrations` naming the others."""
    applied = set(await applied_migrations())
    pending = [name for name in shipped_migrations() if name not in applied]
    if pending:
        raise PendingMigrations(f"not applied: {', '.join(pending)}")


async def _predates_migrations(connection: BaseDBAsyncClient, executor: MigrationExecutor) -> bool:
    if await executor.recorder.applied_migrations():
        return False
    try:
        await connection.execute_query("SELECT 1 FROM ai_provider WHERE 1 = 0")
    except OperationalError:  # "no such table" / "relation does not exist": a new database
        return False
    return True


def sqlite_path(url: str | None) -> Path | None:
    if url is None or not url.startswith("sqlite://") or ":memory:" in url:
        return None
    return Path(url.removeprefix("sqlite://").partition("?")[0])


@asynccontextmanager
async def _migration_lock(
    connection: BaseDBAsyncClient, sqlite_file: Path | None
) -> AsyncIterator[None]:
    """Serialise migrations across processes: on PostgreSQL a session advisory lock, held on
    one pooled connection while the executor uses others; on SQLite an exclusive `flock` on a
    file beside the database (`uvicorn --workers N` all migrating one file on start)."""
    if connection.capabilities.dialect != "postgres":
        if sqlite_file is None:
            yield
            return
        with (sqlite_file.parent / f"{sqlite_file.name}.migrate-lock").open("a") as lock:
            await asyncio.to_thread(fcntl.flock, lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return
    async with connection.acquire_connection() as raw:
        await raw.execute("SELECT pg_advisory_lock($1)", _PG_LOCK_ID)
        try:
            yield
        finally:
            await raw.execute("SELECT pg_advisory_unlock($1)", _PG_LOCK_ID)
