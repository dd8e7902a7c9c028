"""`storage.postgres`: connections are handed out in the order tasks asked for them. asyncpg's
own pool lets a task that asks just as a connection comes back take it before the tasks
already waiting (the load bench's requests starved for seconds). PostgreSQL only."""

from __future__ import annotations

import asyncio
import os

import asyncpg
import pytest
from tortoise import connections

from storage.database import open_database
from storage.postgres import FairPool

pytestmark = pytest.mark.skipif(
    os.environ.get("TEST_DATABASE") != "postgres", reason="PostgreSQL's pool: TEST_DATABASE"
)


async def test_a_released_connection_goes_to_the_first_waiter_not_to_a_newcomer(
    database_url: str,
) -> None:
    async with open_database(f"{database_url}?minsize=1&maxsize=1"):
        client = connections.get("default")
        async with client.acquire_connection():  # the pool, created
            pass
        assert isinstance(client._pool, FairPool)
        pool = client._pool
        queue = pool.pool._queue  # asyncpg's own queue of idle connections
        order: list[str] = []
        asking, released = asyncio.Event(), asyncio.Event()

        async def use(name: str) -> None:
            async with client.acquire_connection() as connection:
                order.append(name)
                await connection.fetchval("SELECT 1")

        async def newcomer() -> None:
            """Asks the moment a connection is idle again, before the waiters have run."""
            asking.set()
            while not released.is_set() or queue.qsize() == 0:
                await asyncio.sleep(0)
            await use("newcomer")

        async with client.acquire_connection():
            waiters = [asyncio.create_task(use(f"waiter {n}")) for n in range(5)]
            async with asyncio.timeout(10):  # all five wait for the one connection
                while pool.waiting < 5:
                    await asyncio.sleep(0)  # one turn of the loop: the waiters run
            late = asyncio.create_task(newcomer())
            await asking.wait()
            released.set()
        await asyncio.gather(late, *waiters)
        assert order == [*(f"waiter {n}" for n in range(5)), "newcomer"]


async def test_a_released_connection_is_not_reset_by_a_round_trip(database_url: str) -> None:
    """asyncpg's default reset is one more statement per release; the service leaves no
    session state to undo, so none is sent: seen from another session, the released
    connection's last statement is still ours."""
    async with open_database(f"{database_url}?minsize=1&maxsize=1"):
        client = connections.get("default")
        async with client.acquire_connection() as connection:
            pid = await connection.fetchval("SELECT pg_backend_pid() /* ours */")
        observer = await asyncpg.connect(database_url)
        try:
            row = await observer.fetchrow(
                "SELECT state, query FROM pg_stat_activity WHERE pid = $1", pid
            )
        finally:
            await observer.close()
    assert row is not None and row["state"] == "idle"
    assert row["query"] == "SELECT pg_backend_pid() /* ours */"


async def test_a_transaction_left_open_is_rolled_back_on_release(database_url: str) -> None:
    async with open_database(f"{database_url}?minsize=1&maxsize=1"):
        client = connections.get("default")
        async with client.acquire_connection() as connection:
            await connection.execute("BEGIN; CREATE TEMP TABLE left_open (n int)")
        async with client.acquire_connection() as connection:
            assert not connection.is_in_transaction()
            missing = await connection.fetchval("SELECT to_regclass('pg_temp.left_open')")
    assert missing is None


async def test_migrating_leaves_no_advisory_lock_held(database_url: str) -> None:
    """The one session lock the service takes (migrations) is released by the code that
    took it, not by a reset: no pooled connection keeps it."""
    async with open_database(database_url, migrate_schema=True):
        client = connections.get("default")
        held = await client.execute_query_dict(
            "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'"
        )
    assert held == [{"n": 0}]
