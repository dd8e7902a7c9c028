"""The real PostgreSQL and Redis on loopback, as tests use them: one database, one key
namespace per test, created before it and removed after it, so parallel runs never collide;
and free ports for the servers tests start."""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import redis.asyncio as redis

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
TEST_SECRET_KEY = "pRS1JPwdU1dr8XhQwC0N2GmXrYEhAHSgjZTrByvPLC0="
"""A Fernet key for tests only (`Fernet.generate_key()`), never used anywhere else."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (for a server a test starts)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@asynccontextmanager
async def fresh_postgres_database() -> AsyncIterator[str]:
    """A new, empty database; yields its Tortoise URL and drops it afterwards."""
    name = f"ams_test_{uuid.uuid4().hex[:16]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgres://postgres@127.0.0.1:5432/{name}"
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def redis_is_up() -> bool:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        return bool(await client.ping())
    except redis.ConnectionError:
        return False
    finally:
        await client.aclose()


@asynccontextmanager
async def fresh_redis_namespace() -> AsyncIterator[str]:
    """A key prefix no other test uses; its keys are deleted afterwards."""
    namespace = f"ams-test-{uuid.uuid4().hex[:16]}"
    try:
        yield namespace
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        try:
            keys = [key async for key in client.scan_iter(match=f"{namespace}:*")]
            if keys:
                await client.delete(*keys)
        finally:
            await client.aclose()
