"""The embedded SQLite database, made safe for one server and the CLI writing at once.

Tortoise's SQLite client already uses WAL (readers never wait for the writer). What it lacks:

- its transactions start with a plain (deferred) `BEGIN`: they read first and take the write
  lock only at their first write, and in WAL mode that upgrade fails at once ("database is
  locked", no waiting) whenever another process wrote meanwhile. Here a transaction starts
  with `BEGIN IMMEDIATE`, taking the write lock first, so it waits its turn instead;
- an explicit busy timeout (`BUSY_TIMEOUT_MS`, or `?busy_timeout=<ms>` on the URL): how long
  any statement waits for another process's write lock before giving up;
- when a lock does win, the reason: `DatabaseBusyError` (code `DATABASE_BUSY`: another process
  held the write lock past the timeout), not a bare "database is locked" read as a missing
  migration;
- a read that cannot wait for aiosqlite's thread: `Client.read_rows` runs a query at once, on
  the event loop, on a read-only connection of its own to the same file (WAL: it sees every
  committed write of any process, this one's included, and never waits for a writer). The hot
  path's one query (`storage.state`) is read without ~0.2 ms of thread hops.

Used as the engine of every `sqlite://` URL (see `storage.database.connection_config`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable
from pathlib import Path
from typing import Any, TypeVar, cast

from tortoise.backends.base.client import TransactionalDBClient, TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.connection import get_connections
from tortoise.exceptions import OperationalError, TransactionManagementError

from errors import DatabaseBusyError

BUSY_TIMEOUT_MS = 5000
T = TypeVar("T")


def _locked(exc: Exception) -> bool:
    return "database is locked" in str(exc) or "database is busy" in str(exc)


class _BusyIsTyped:
    """Every statement: a lock that outlasts the busy timeout is a `DatabaseBusyError`."""

    busy_timeout_ms: int

    def _busy(self) -> DatabaseBusyError:
        return DatabaseBusyError(
            "the database is busy: another process held its write lock for more than "
            f"{self.busy_timeout_ms / 1000:g} s (the busy timeout); try again"
        )

    async def _typed(self, operation: Awaitable[T]) -> T:
        try:
            return await operation
        except OperationalError as exc:
            if not _locked(exc):
                raise
            raise self._busy() from exc

    async def execute_insert(self, query: str, values: list[Any]) -> int:
        return await self._typed(super().execute_insert(query, values))  # type: ignore[misc]

    async def execute_many(self, query: str, values: list[list[Any]]) -> None:
        return await self._typed(super().execute_many(query, values))  # type: ignore[misc]

    async def execute_query(self, query: str, values: list[Any] | None = None) -> Any:
        return await self._typed(super().execute_query(query, values))  # type: ignore[misc]

    async def execute_query_dict(self, query: str, values: list[Any] | None = None) -> Any:
        return await self._typed(super().execute_query_dict(query, values))  # type: ignore[misc]

    async def execute_script(self, query: str) -> None:
        return await self._typed(super().execute_script(query))  # type: ignore[misc]


class _ImmediateTransaction(_BusyIsTyped, SqliteTransactionWrapper):
    def __init__(self, connection: Client) -> None:
        super().__init__(connection)
        self.busy_timeout_ms = connection.busy_timeout_ms

    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _locked(exc):
                raise self._busy() from exc
            raise TransactionManagementError(exc) from exc


class _ImmediateContext(SqliteTransactionContext):
    """Tortoise's context, but one whose `begin` may fail (a lock outlasting the timeout):
    then the connection lock and the task's connection are given back, not left held."""

    async def __aenter__(self) -> TransactionalDBClient:
        await self._trxlock.acquire()
        try:
            await self.ensure_connection()
            self.token = get_connections().set(self.connection_name, self.connection)
            try:
                await self.connection.begin()
            except BaseException:
                get_connections().reset(self.token)
                raise
        except BaseException:
            self._trxlock.release()
            raise
        return cast(TransactionalDBClient, self.connection)


class Client(_BusyIsTyped, SqliteClient):
    def __init__(self, file_path: str, **kwargs: Any) -> None:
        kwargs.setdefault("busy_timeout", BUSY_TIMEOUT_MS)  # `sqlite://file?busy_timeout=ms`
        super().__init__(file_path, **kwargs)
        self.busy_timeout_ms = int(kwargs["busy_timeout"])
        self._reader: sqlite3.Connection | None = None

    def read_rows(
        self, query: str, values: list[Any]
    ) -> tuple[list[str], list[tuple[Any, ...]]] | None:
        """`query`'s column names and rows, read at once on the reader connection (logged as
        Tortoise logs a statement, so it is counted as one); None when it cannot be: an
        in-memory database, the main connection not open yet (so WAL is not set yet either),
        or any error, a lock included (the reader never waits: the caller asks
        `execute_query_dict`, which waits or reports it as every other query does).

        Only for a caller outside a transaction (this client, not a transaction's wrapper):
        a transaction reads its own uncommitted writes through its own connection."""
        reader = self._reader or self._open_reader()
        if reader is None:
            return None
        self.log.debug("%s: %s", query, values)
        try:
            cursor = reader.execute(query, values)
            rows = cursor.fetchall()
        except sqlite3.Error:
            return None
        return [column[0] for column in cursor.description], rows

    def _open_reader(self) -> sqlite3.Connection | None:
        if self._connection is None or not _on_disk(self.filename):
            return None
        uri = f"{Path(self.filename).absolute().as_uri()}?mode=rw"  # never creates the file
        try:
            reader = sqlite3.connect(
                uri, uri=True, timeout=0, isolation_level=None, check_same_thread=False
            )
            reader.execute("PRAGMA query_only = ON")
        except sqlite3.Error:
            return None
        self._reader = reader
        return reader

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        await super().close()

    def _in_transaction(self) -> TransactionContext:
        return _ImmediateContext(_ImmediateTransaction(self), self._lock)


def _on_disk(filename: str) -> bool:
    """Whether a second connection to `filename` opens the same database (not `:memory:`)."""
    return bool(filename) and filename != ":memory:" and not filename.startswith("file:")


client_class = Client
