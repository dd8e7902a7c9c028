"""``python -m bench.hit``: the warm hit (case 1) and its floor, in-process.

The app as the bench's server builds it (`bench.app.create_app`, on a fresh SQLite file, the
replay upstream's 549-model list, 20 models saved), called through ASGI in a loop, with no
network, no client and no other process: what the service itself spends on a hit, apart from
what sending 1.5 MB costs. The hit and the floor take turns; the figures are medians, in µs.
``--profile`` prints where a hit's time goes instead (pyinstrument).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message

from bench.run import LIST, PROVIDER, SAVE, SAVED, SMALL_CAPTURE, prepare_database
from tests.replay import ReplayServer, archive_bases, serve_catalogue

Call = Callable[[str, bytes, str], Awaitable[tuple[int, bytes]]]


def caller(app: ASGIApp, state: Mapping[str, Any], token: str) -> Call:
    """One request to `app` as a server hands it over: its lifespan `state`, the token."""

    async def call(path: str, body: bytes, method: str = "POST") -> tuple[int, bytes]:
        headers = [
            (b"host", b"127.0.0.1"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
            "query_string": b"", "root_path": "", "headers": headers,
            "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000), "state": dict(state),
        }  # fmt: skip
        chunks: list[bytes] = []
        status = 0
        sent = False

        async def receive() -> Message:
            nonlocal sent
            if sent:
                await asyncio.Event().wait()  # no disconnect while the response is sent
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await app(scope, receive, send)
        return status, b"".join(chunks)

    return call


async def warm(call: Call) -> bytes:
    """20 models saved (every fourth active), the list cached; the floor set to its bytes."""
    body = json.dumps({"query": LIST, "variables": {"provider": PROVIDER}}).encode()
    status, first = await call("/graphql", body, "POST")
    ids = [m["modelId"] for m in json.loads(first)["data"]["availableModels"]["models"]]
    for n, model_id in enumerate(ids[:SAVED]):
        variables = {"provider": PROVIDER, "modelId": model_id, "isActive": n % 4 == 0}
        await call("/graphql", json.dumps({"query": SAVE, "variables": variables}).encode(), "POST")
    status, response = await call("/graphql", body, "POST")
    if status != 200 or b'"errors"' in response[:100]:
        raise RuntimeError(f"the hit failed: {status} {response[:300]!r}")
    await call("/bench/floor", response, "PUT")
    return body


async def measure(call: Call, body: bytes, requests: int, warmup: int = 200) -> dict[str, float]:
    """Median µs of the hit and of the floor, taking turns, after a warm-up."""
    for _ in range(warmup):
        await call("/graphql", body, "POST")
        await call("/bench/floor", body, "POST")
    gc.collect()
    samples: dict[str, list[float]] = {"/graphql": [], "/bench/floor": []}
    for i in range(requests):
        for path in ("/graphql", "/bench/floor") if i % 2 else ("/bench/floor", "/graphql"):
            start = time.perf_counter()
            await call(path, body, "POST")
            samples[path].append(time.perf_counter() - start)
    hit, floor = (statistics.median(samples[p]) * 1e6 for p in ("/graphql", "/bench/floor"))
    return {"hit_us": hit, "floor_us": floor, "ours_us": hit - floor, "requests": requests}


async def run(requests: int, profile: bool) -> dict[str, float] | str:
    with tempfile.TemporaryDirectory(prefix="ams-hit-") as tmp, ReplayServer() as replay:
        bases = serve_catalogue(replay)
        database = f"sqlite://{Path(tmp) / 'hit.sqlite3'}"
        token = await prepare_database(database, archive_bases(replay.url)[SMALL_CAPTURE])
        environ = {
            **os.environ,
            "DATABASE_URL": database,
            "AI_PROVIDER_OPENROUTER_BASE_URL": bases["openrouter"],
            "LOG_LEVEL": "WARNING",
            "GRAPHIQL": "false",
        }
        from bench.app import create_app

        app = create_app(environ)
        assert app.app is not None
        async with app.app.router.lifespan_context(app.app) as state:  # type: ignore[attr-defined]
            call = caller(app, state, token)
            body = await warm(call)
            if not profile:
                return await measure(call, body, requests)
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0001)
            profiler.start()
            for _ in range(requests):
                await call("/graphql", body, "POST")
            profiler.stop()
            return str(profiler.output_text(color=False))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hit", description=__doc__)
    parser.add_argument("--requests", type=int, default=3000, help="of each, timed")
    parser.add_argument("--profile", action="store_true", help="where a hit's time goes")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.requests, args.profile))
    if isinstance(result, str):
        print(result)
        return
    load = os.getloadavg()[0]
    print(
        f"in-process, median of {args.requests}: hit {result['hit_us']:.0f} µs, floor "
        f"{result['floor_us']:.0f} µs, the service's own work {result['ours_us']:.0f} µs "
        f"(load average {load:.2f})"
    )


if __name__ == "__main__":
    main()
