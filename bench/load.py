"""The bench's load case (issue 16): 200 clients asking for a 20-model page at once, for
`seconds`, against SQLite with one worker and PostgreSQL + Redis with one and two workers:
throughput and the latency's median, p99 and maximum. The client runs on the same CPUs.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import orjson

from tests.backends import REDIS_URL, fresh_postgres_database, fresh_redis_namespace

CLIENTS = 200
PAGE_20 = """
query Page($provider: String!) {
  availableModels(provider: $provider, first: 20) {
    totalCount pageInfo { endCursor hasNextPage }
    models { modelId name capabilities inputPrice outputPrice contextWindow savedInDb
      isActiveInDb dbId }
  }
}
"""
SETUPS = (("sqlite", 1), ("postgres+redis", 1), ("postgres+redis", 2))


@asynccontextmanager
async def backends(kind: str, sqlite_url: str) -> AsyncIterator[dict[str, str]]:
    """The environment of a server on `kind`: a fresh PostgreSQL database and Redis namespace,
    removed afterwards, or the bench's SQLite file."""
    if kind == "sqlite":
        yield {"DATABASE_URL": sqlite_url, "CACHE_URL": "memory://"}
        return
    async with AsyncExitStack() as stack:
        database = await stack.enter_async_context(fresh_postgres_database())
        namespace = await stack.enter_async_context(fresh_redis_namespace())
        yield {"DATABASE_URL": database, "CACHE_URL": REDIS_URL, "CACHE_NAMESPACE": namespace}


async def hammer(url: str, token: str, provider: str, seconds: float) -> dict[str, Any]:
    """`CLIENTS` concurrent clients, each on its own keep-alive connection, looping for
    `seconds`. The client shares the server's two CPUs, so it is kept lean (`Connection`):
    aiohttp's client spent 170-216 µs of CPU per request, this one 56-69 µs (same runs), and
    what the client spends a second worker cannot use."""
    body = orjson.dumps({"query": PAGE_20, "variables": {"provider": provider}})
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    request = (
        f"POST /graphql HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors
        connection = await Connection.open(host, port)
        try:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                status = await connection.exchange(request)
                errors += status != 200
                latencies.append(time.perf_counter() - start)
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))] * 1000

    return {
        "clients": CLIENTS,
        "seconds": round(elapsed, 2),
        "requests": len(ordered),
        "errors": errors,
        "rps": len(ordered) / elapsed,
        "p50_ms": at(0.5),
        "p99_ms": at(0.99),
        "max_ms": ordered[-1] * 1000,
    }


class Connection:
    """One HTTP/1.1 keep-alive connection that sends prepared bytes and reads one response
    with a `Content-Length` (what uvicorn sends for these bodies): the least work a client
    can do per request, so the server's figures are the server's."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        return cls(*await asyncio.open_connection(host, port))

    async def exchange(self, request: bytes) -> int:
        """Send `request`, read the whole response; its status."""
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = _content_length(head)
        await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        self.writer.close()


def _content_length(head: bytes) -> int:
    for line in head.lower().split(b"\r\n"):
        if line.startswith(b"content-length:"):
            return int(line[15:])
    raise ValueError(f"a response without Content-Length: {head[:200]!r}")
