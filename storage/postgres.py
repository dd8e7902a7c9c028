"""PostgreSQL through Tortoise's asyncpg client, with connections handed out in turn.

asyncpg's pool queues waiting tasks in an `asyncio.Queue`: a task woken for a released
connection finds it taken by one that just arrived, and goes back to the end of the queue.
Under load (200 clients on one worker, 5 connections) that starved some requests for seconds
while the median waited 0.3 s (`python -m bench`, case 10). Here a semaphore of the pool's
size admits tasks first come, first served (asyncio's `Semaphore` lets no newcomer pass a
waiter), so a task that holds a turn always finds a free connection.

A released connection is not reset by another statement (`_kept_session`): that round trip
was PostgreSQL's work the second worker needed (`python -m bench`, case 10).

Used as the engine of every `postgres://` URL (see `storage.database.connection_config`).
"""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient


class FairPool:
    """`asyncpg.Pool` for Tortoise's use of it (`await acquire()`, `await release(c)`), in
    turn; everything else is the pool's own."""

    def __init__(self, pool: asyncpg.Pool, size: int) -> None:
        self.pool = pool
        self._turns = asyncio.Semaphore(size)
        self.waiting = 0
        """Tasks in `acquire` that have not got their turn yet (a test waits on it)."""

    async def acquire(self) -> asyncpg.Connection:
        self.waiting += 1
        try:
            await self._turns.acquire()
        finally:
            self.waiting -= 1
        try:
            return await self.pool.acquire()
        except BaseException:
            self._turns.release()
            raise

    async def release(self, connection: asyncpg.Connection, *args: Any, **kwargs: Any) -> None:
        try:
            await self.pool.release(connection, *args, **kwargs)
        finally:
            self._turns.release()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pool, name)


async def _kept_session(connection: asyncpg.Connection) -> None:
    """What a released connection needs beyond asyncpg's own rollback of an open transaction
    (which runs before this): nothing. asyncpg's default reset is one more round trip per
    query (`SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`) undoing
    session state the service never leaves behind: it sets no session variable, listens to
    nothing, keeps no cursor past its transaction, and its one advisory lock (migrations) is
    released by the code that took it (`tests/storage/test_postgres_pool.py` holds this)."""


class Client(AsyncpgDBClient):
    async def create_pool(self, **kwargs: Any) -> Any:
        pool = await super().create_pool(reset=_kept_session, **kwargs)
        return FairPool(pool, int(kwargs["max_size"]))


client_class = Client
