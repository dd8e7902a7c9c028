"""``python -m bench``: the service on a real uvicorn against the replay upstream, measured.

One uvicorn worker (a subprocess) serves `bench.app:create_app` on a fresh SQLite file in a
temporary directory; the replay upstream (a thread of this process) serves the largest real
OpenRouter capture (549 models). This process is the client (aiohttp); every case is warmed up
first, then timed request by request (median, p95). See the README's "Performance" section.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

import aiohttp

from bench import load, misses
from storage import tokens
from storage.database import open_database
from storage.models import Provider
from tests.replay import ReplayServer, archive_bases, models_route, serve_catalogue

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PROVIDER = "openrouter"
SMALL = "openrouter-2024-09"  # a stored instance of kind openrouter on the 170-model capture
SMALL_CAPTURE = "openrouter/models-data-array-2024-09"
ROUTE = models_route("openrouter")
SAVED = 20
SYNC = 500
UPSTREAM_DELAY = 0.1

LIST = """
query List($provider: String!, $useCache: Boolean = true) {
  availableModels(provider: $provider, useCache: $useCache) {
    provider count fetchedAt stale error
    models {
      modelId name description capabilities inputPrice outputPrice contextWindow
      maxOutputTokens createdAt expiresAt ownedBy inputModalities outputModalities
      sources { field origin } raw savedInDb isActiveInDb dbId
    }
  }
}
"""
SAVE = """
mutation Save($provider: String!, $modelId: String!, $isActive: Boolean) {
  saveModel(provider: $provider, modelId: $modelId, isActive: $isActive) { created }
}
"""
SYNC_MUTATION = """
mutation Sync($provider: String!, $limit: Int!) {
  bulkSync(provider: $provider, limit: $limit) { created updated }
}
"""
CLEAR = """
mutation Clear($provider: String!) {
  clearModels(provider: $provider, keepActive: false) { deleted }
}
"""


@dataclass(frozen=True, slots=True)
class Plan:
    """How many requests each case gets (`--quick` shrinks everything)."""

    warmup: int
    requests: int
    naive: int
    cold: int
    sync: int
    seconds: float
    concurrency: tuple[int, ...]
    misses: int  # requests of each miss case (uncached, after a write, cold parts)
    load_seconds: float  # each load setup


FULL = Plan(
    warmup=50, requests=500, naive=40, cold=30, sync=20, seconds=5.0, concurrency=(1, 16, 64),
    misses=40, load_seconds=20.0,
)  # fmt: skip
QUICK = Plan(
    warmup=2, requests=10, naive=2, cold=2, sync=2, seconds=0.3, concurrency=(1, 4),
    misses=2, load_seconds=1.0,
)  # fmt: skip


# --- measuring --------------------------------------------------------------------------------


def summary(samples: list[float]) -> dict[str, float]:
    """Milliseconds: median, p95 (nearest rank), min, mean, and the sample count."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {
        "median_ms": statistics.median(ordered) * 1000,
        "p95_ms": p95 * 1000,
        "min_ms": ordered[0] * 1000,
        "mean_ms": statistics.fmean(ordered) * 1000,
        "n": len(ordered),
    }


async def timed(
    call: Callable[[], Awaitable[object]],
    n: int,
    warmup: int = 0,
    before: Callable[[], Awaitable[object]] | None = None,
) -> dict[str, float]:
    for _ in range(warmup):
        await call()
    samples = []
    for _ in range(n):
        if before is not None:
            await before()
        start = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - start)
    return summary(samples)


async def interleaved(
    calls: Sequence[Callable[[], Awaitable[object]]], n: int, warmup: int
) -> list[dict[str, float]]:
    """`timed` for several calls at once, taking turns in a rotating order: whatever else the
    machine does slows them alike, so their ratios hold even when the absolute figures move."""
    for _ in range(warmup):
        for call in calls:
            await call()
    samples: list[list[float]] = [[] for _ in calls]
    for i in range(n):
        for k in range(len(calls)):
            which = (i + k) % len(calls)
            start = time.perf_counter()
            await calls[which]()
            samples[which].append(time.perf_counter() - start)
    return [summary(s) for s in samples]


async def throughput(call: Callable[[], Awaitable[object]], clients: int, seconds: float) -> float:
    """Requests per second with `clients` concurrent callers, each looping for `seconds`."""
    done = 0
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            await call()
            done += 1

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return done / (time.perf_counter() - start)


class Client:
    """The bench's HTTP client to the service."""

    def __init__(self, http: aiohttp.ClientSession, url: str, token: str) -> None:
        self.http, self.url = http, url
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    async def post_graphql(
        self, query: str, variables: dict[str, Any], path: str = "/graphql"
    ) -> bytes:
        body = json.dumps({"query": query, "variables": variables})
        async with self.http.post(f"{self.url}{path}", data=body, headers=self.headers) as resp:
            data = await resp.read()
            if resp.status != 200:
                raise RuntimeError(f"HTTP {resp.status}: {data[:300]!r}")
            return data

    async def gql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = json.loads(await self.post_graphql(query, variables))
        if body.get("errors"):
            raise RuntimeError(f"GraphQL errors: {body['errors']}")
        data: dict[str, Any] = body["data"]
        return data

    async def get(self, path: str) -> bytes:
        async with self.http.get(f"{self.url}{path}") as resp:
            data = await resp.read()
            if resp.status != 200:
                raise RuntimeError(f"HTTP {resp.status} on {path}: {data[:300]!r}")
            return data

    async def post(self, path: str, body: bytes = b"") -> Any:
        async with self.http.post(f"{self.url}{path}", data=body) as resp:
            return json.loads(await resp.read())

    async def put(self, path: str, body: bytes) -> Any:
        async with self.http.put(f"{self.url}{path}", data=body) as resp:
            return json.loads(await resp.read())

    async def sql(self, call: Callable[[], Awaitable[object]], times: int = 1) -> list[str]:
        """The SQL statements the server issued while `call` ran `times` times."""
        await self.post("/bench/sql/start")
        for _ in range(times):
            await call()
        statements: list[str] = (await self.post("/bench/sql/stop"))["statements"]
        return statements


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def uvicorn_server(
    env: dict[str, str], port: int, workers: int = 1
) -> Iterator[subprocess.Popen[bytes]]:
    command = [
        sys.executable, "-m", "uvicorn", "bench.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log", "--timeout-keep-alive", "30",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def wait_ready(
    http: aiohttp.ClientSession, url: str, process: subprocess.Popen[bytes]
) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {process.returncode}")
        try:
            async with http.get(f"{url}/healthz") as resp:
                if resp.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.05)
    raise RuntimeError("uvicorn did not become ready in 30 s")


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def prepare_database(url: str, small_base: str) -> str:
    """A token, and a second OpenRouter instance on the 170-model capture; closed again."""
    async with open_database(url, migrate_schema=True):
        token = await tokens.create_token("bench", ["ai.manage"])
        await Provider.create(
            slug=SMALL, kind="openrouter", display_name="OpenRouter 2024-09", base_url=small_base
        )
    return token


def prepare_in_child(url: str, small_base: str) -> str:
    """`prepare_database` in a process of its own: Tortoise keeps each model's SQL for the
    first kind of database a process used (the bench's SQLite)."""
    code = (
        "import asyncio, sys; from bench.run import prepare_database; "
        "print(asyncio.run(prepare_database(sys.argv[1], sys.argv[2])))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, url, small_base],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout.strip().splitlines()[-1]


# --- the cases --------------------------------------------------------------------------------


async def run(plan: Plan) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine(), "plan": asdict(plan)}
    results["load_average_before"] = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="ams-bench-") as tmp, ReplayServer() as replay:
        bases = serve_catalogue(replay)
        small_base = archive_bases(replay.url)[SMALL_CAPTURE]
        database = f"sqlite://{Path(tmp) / 'bench.sqlite3'}"
        token = await prepare_database(database, small_base)
        port = free_port()
        env = {
            "DATABASE_URL": database,
            "AI_PROVIDER_OPENROUTER_BASE_URL": bases["openrouter"],
            "LOG_LEVEL": "WARNING",
            "GRAPHIQL": "false",
        }
        url = f"http://127.0.0.1:{port}"
        # idle connections are dropped before the server's keep-alive timeout closes them
        connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=10)
        async with aiohttp.ClientSession(connector=connector) as http:
            with uvicorn_server(env, port) as process:
                await wait_ready(http, url, process)
                # the client's own heap (the replay upstream's captures, this module) frozen
                # as the server's is: its full collections would add their pauses to the
                # service's figures, the load case's maximum first
                gc.collect()
                gc.freeze()
                results["server_pid"] = process.pid
                await cases(Client(http, url, token), replay, plan, results)
                results["peak_rss_mib"] = peak_rss_mib(process.pid)
            results["load"] = await load_cases(plan, Path(tmp), small_base, bases)
    results["load_average_after"] = os.getloadavg()
    ratios = results["ratios"] = {}
    case1, floor, naive = (results[k]["median_ms"] for k in ("graphql", "floor", "naive"))
    ratios["graphql_over_floor"] = case1 / floor
    ratios["graphql_over_floor_get"] = case1 / results["floor_get"]["median_ms"]
    ratios["naive_over_graphql"] = naive / case1
    results["targets"] = targets(results)
    return results


async def load_cases(
    plan: Plan, tmp: Path, small_base: str, bases: dict[str, str]
) -> dict[str, Any]:
    """`bench.load`'s setups, each a server of its own on fresh backends, warmed first."""
    out: dict[str, Any] = {}
    for kind, workers in load.SETUPS:
        async with load.backends(kind, f"sqlite://{tmp / 'load.sqlite3'}") as env:
            token = prepare_in_child(env["DATABASE_URL"], small_base)
            port = free_port()
            env = {
                **env,
                "AI_PROVIDER_OPENROUTER_BASE_URL": bases["openrouter"],
                "LOG_LEVEL": "WARNING",
                "GRAPHIQL": "false",
            }
            url = f"http://127.0.0.1:{port}"
            async with aiohttp.ClientSession() as http:
                with uvicorn_server(env, port, workers) as process:
                    await wait_ready(http, url, process)
                    await load.hammer(url, token, PROVIDER, min(plan.load_seconds, 2.0))
                    out[f"{kind} x{workers}"] = await load.hammer(
                        url, token, PROVIDER, plan.load_seconds
                    )
    return out


def targets(r: dict[str, Any]) -> dict[str, bool]:
    """Issues 4's and 16's targets, each met or not by this run."""
    sql = r["sql_per_request"]
    sync = r["bulk_sync"]
    under_load = r["load"]
    one, two = (under_load[f"postgres+redis x{n}"]["rps"] for n in (1, 2))
    return {
        "case 1 within 1.5x of the floor": r["ratios"]["graphql_over_floor"] <= 1.5,
        "uncached full list within 10x of its floor": r["uncached"]["ratio"] <= 10,
        f"cold list within the upstream's {UPSTREAM_DELAY * 1000:.0f} ms + 40 ms": (
            r["cold"]["median_ms"] <= UPSTREAM_DELAY * 1000 + 40
        ),
        f"bulkSync of {SYNC} within 30 ms and 3 statements": max(
            sync["empty"]["median_ms"], sync["full"]["median_ms"]
        )
        <= 30
        and max(sync["empty"]["statements"], sync["full"]["statements"]) <= 3,
        "no request over 1 s under load": all(s["max_ms"] <= 1000 for s in under_load.values()),
        "2 workers at least 1.3x one (PostgreSQL + Redis)": two >= 1.3 * one,
        "case 1 at least 10x faster than the naive design": r["ratios"]["naive_over_graphql"] >= 10,
        "one SQL query per request at any list size": all(
            sql[slug]["per_request"] == 1 for slug in (PROVIDER, SMALL)
        ),
        f"bulkSync of {SYNC} under 100 ms (median)": max(
            sync["empty"]["median_ms"], sync["full"]["median_ms"]
        )
        < 100,
    }


async def cases(client: Client, replay: ReplayServer, plan: Plan, results: dict[str, Any]) -> None:
    listing = {"provider": PROVIDER}

    # set-up: 20 models saved (every fourth active), the list cached
    first = await client.gql(LIST, listing)
    ids = [m["modelId"] for m in first["availableModels"]["models"]]
    for n, model_id in enumerate(ids[:SAVED]):
        await client.gql(SAVE, {"provider": PROVIDER, "modelId": model_id, "isActive": n % 4 == 0})
    small = await client.gql(LIST, {"provider": SMALL})
    for model_id in [m["modelId"] for m in small["availableModels"]["models"]][:SAVED]:
        await client.gql(SAVE, {"provider": SMALL, "modelId": model_id})

    async def graphql() -> bytes:
        return await client.post_graphql(LIST, listing)

    # 1. availableModels, warm cache, every field, 20 saved
    body = await graphql()
    check_listing(body, models=len(ids), saved=SAVED)
    results["response_bytes"] = len(body)

    # 2. the floor: the same request, the same bytes, a bare Starlette route (timed by turns
    # with case 1); and the same bytes to a bodiless GET
    await client.put("/bench/floor", body)

    async def floor() -> bytes:
        return await client.post_graphql(LIST, listing, path="/bench/floor")

    async def floor_get() -> bytes:
        return await client.get("/bench/floor")

    if await floor() != body or await floor_get() != body:
        raise RuntimeError("the floor route does not serve the GraphQL response's bytes")
    calls = [graphql, floor, floor_get]
    for _ in range(plan.warmup):
        for call in calls:
            await call()
    await client.post("/bench/timings")  # the server's own timings start here
    results["graphql"], results["floor"], results["floor_get"] = await interleaved(
        calls, plan.requests, 0
    )
    inside = await client.post("/bench/timings")
    results["server_side"] = {
        "graphql": inside["POST /graphql"],
        "floor": inside["POST /bench/floor"],
        "floor_get": inside["GET /bench/floor"],
    }

    # 3. the naive design: one query per model
    naive_body = await client.get(f"/bench/naive?provider={PROVIDER}")
    if json.loads(naive_body) != json.loads(body):
        raise RuntimeError("the naive route's response differs from the GraphQL response")
    results["naive"] = await timed(
        lambda: client.get(f"/bench/naive?provider={PROVIDER}"), plan.naive, 2
    )

    # SQL statements per request, at two list sizes
    sql: dict[str, Any] = {}
    for slug in (PROVIDER, SMALL):
        variables = {"provider": slug}
        data = await client.gql(LIST, variables)  # warm
        statements = await client.sql(partial(client.post_graphql, LIST, variables), 10)
        sql[slug] = {
            "models": data["availableModels"]["count"],
            "saved": sum(m["savedInDb"] for m in data["availableModels"]["models"]),
            "requests": 10,
            "statements": len(statements),
            "per_request": len(statements) / 10,
        }
    naive_sql = await client.sql(lambda: client.get(f"/bench/naive?provider={PROVIDER}"))
    sql["naive"] = {"models": len(ids), "per_request": len(naive_sql)}
    results["sql_per_request"] = sql

    # 6. throughput of case 1, and the server's peak RSS
    results["throughput_rps"] = {
        str(c): await throughput(graphql, c, plan.seconds) for c in plan.concurrency
    }

    # 4. cold list: cache miss against an upstream that takes 100 ms to answer
    replay.delay(ROUTE, UPSTREAM_DELAY)
    cold_vars = {"provider": PROVIDER, "useCache": False}
    hits = replay.hits(ROUTE)
    check_listing(await client.post_graphql(LIST, cold_vars), models=len(ids), saved=SAVED)
    results["cold"] = await timed(lambda: client.post_graphql(LIST, cold_vars), plan.cold)
    results["cold"]["upstream_delay_ms"] = UPSTREAM_DELAY * 1000
    if replay.hits(ROUTE) - hits != plan.cold + 1:
        raise RuntimeError("a cold request did not reach the upstream")
    replay.reset()

    # 7-9. misses: uncached, right after a write, a cold list's parts
    results["uncached"] = await misses.uncached(client, PROVIDER, plan.misses)
    results["after_write"] = await misses.after_write(client, PROVIDER, ids[0], plan.misses)
    results["cold_parts"] = await misses.cold_parts(
        client, replay, ROUTE, PROVIDER, UPSTREAM_DELAY, plan.misses
    )

    # 5. bulkSync of 500 models into an empty table, then into a full one
    sync_vars: dict[str, Any] = {"provider": PROVIDER, "limit": SYNC}

    async def clear() -> None:
        await client.gql(CLEAR, {"provider": PROVIDER})

    async def sync() -> None:
        await client.gql(SYNC_MUTATION, sync_vars)

    await clear()
    empty_sql = await client.sql(sync)
    await clear()
    empty = await timed(sync, plan.sync, before=clear)
    full_sql = await client.sql(sync)
    full = await timed(sync, plan.sync)
    results["bulk_sync"] = {
        "models": SYNC,
        "empty": {**empty, **_sync_statements(empty_sql)},
        "full": {**full, **_sync_statements(full_sql)},
    }


AUDIT_TABLES = '"ai_audit_'


def _sync_statements(sql: list[str]) -> dict[str, Any]:
    """The sync's own statements (the target), apart from its audit-log entry's (issue 13:
    the entry and its models, written in the same transaction), as `tests.service.SQLLog`
    tells them apart."""
    audit = [s for s in sql if AUDIT_TABLES in s]
    return {"statements": len(sql) - len(audit), "audit_statements": len(audit), "sql": sql}


def check_listing(body: bytes, *, models: int, saved: int) -> None:
    data = json.loads(body)
    if data.get("errors"):
        raise RuntimeError(f"GraphQL errors: {data['errors']}")
    listing = data["data"]["availableModels"]["models"]
    found = sum(m["savedInDb"] for m in listing)
    if len(listing) != models or found != saved:
        raise RuntimeError(f"expected {models} models, {saved} saved; got {len(listing)}, {found}")


# --- reporting --------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return {
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "memory_gib": round(int(mem) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loop": _loop_name(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def _loop_name() -> str:
    try:
        import uvloop  # noqa: F401  (uvicorn's "auto" picks it when installed)
    except ImportError:
        return "asyncio"
    return "uvloop"


def table(r: dict[str, Any]) -> str:
    rows = [
        ("1. availableModels, warm, 20 saved", r["graphql"]),
        ("2. floor: same request and bytes, bare route", r["floor"]),
        ("   (same bytes to a bodiless GET)", r["floor_get"]),
        ("3. naive: one query per model", r["naive"]),
        (f"4. cold (cache miss, upstream +{UPSTREAM_DELAY * 1000:.0f} ms)", r["cold"]),
        (f"5. bulkSync {SYNC}, empty table", r["bulk_sync"]["empty"]),
        (f"5. bulkSync {SYNC}, full table", r["bulk_sync"]["full"]),
        ("7. uncached full list, no raw", r["uncached"]["graphql"]),
        ("7. floor: the same bytes, bare route", r["uncached"]["floor"]),
        ("8. 50-model page right after a write", r["after_write"]["page_50"]),
        ("8. full list right after a write", r["after_write"]["full_list"]),
        *((f"9. cold list: {part}", r["cold_parts"][part]) for part in misses.PARTS),
    ]
    out = [f"{'case':<44} {'median ms':>10} {'p95 ms':>10} {'n':>5}"]
    out += [
        f"{name:<44} {s['median_ms']:>10.2f} {s['p95_ms']:>10.2f} {s['n']:>5}" for name, s in rows
    ]
    ratios = r["ratios"]
    inside = r["server_side"]
    out.append(
        "inside the server (median ms until the response starts / until it is handed over): "
        + ", ".join(
            f"{name} {inside[key]['until_start_ms']:.2f} / {inside[key]['total_ms']:.2f}"
            for name, key in (("case 1", "graphql"), ("floor", "floor"), ("GET", "floor_get"))
        )
    )
    out.append("")
    out.append(
        f"ratio 1/2 (GraphQL over floor):  {ratios['graphql_over_floor']:.2f}x "
        f"(over the GET: {ratios['graphql_over_floor_get']:.2f}x)"
    )
    out.append(f"ratio 3/1 (naive over GraphQL):  {ratios['naive_over_graphql']:.1f}x")
    sync = r["bulk_sync"]
    out.append(
        f"bulkSync SQL statements: empty {sync['empty']['statements']}, "
        f"full {sync['full']['statements']} (and the audit entry's: "
        f"{sync['full']['audit_statements']})"
    )
    sql = r["sql_per_request"]
    sizes = ", ".join(
        f"{sql[k]['models']} models: {sql[k]['per_request']:g}" for k in (PROVIDER, SMALL)
    )
    out.append(
        f"SQL statements per request of case 1: {sizes} (naive: {sql['naive']['per_request']})"
    )
    rps = ", ".join(f"{c} clients: {v:.0f}" for c, v in r["throughput_rps"].items())
    out.append(f"6. throughput of case 1 (req/s): {rps}")
    out.append(f"   server peak RSS (VmHWM): {r['peak_rss_mib']:.0f} MiB")
    out.append(
        f"7. uncached over its floor: {r['uncached']['ratio']:.1f}x "
        f"({r['uncached']['bytes'] / 1024:.0f} KiB)"
    )
    out.append(f"10. load, {load.CLIENTS} clients, 20-model page:")
    for name, s in r["load"].items():
        out.append(
            f"    {name:<18} {s['rps']:>7.0f} req/s  p50 {s['p50_ms']:>6.1f} ms  "
            f"p99 {s['p99_ms']:>7.1f} ms  max {s['max_ms']:>7.1f} ms  errors {s['errors']}"
        )
    out.append(f"response size: {r['response_bytes'] / 1024:.0f} KiB")
    before, after = r["load_average_before"][0], r["load_average_after"][0]
    out.append(f"load average (1 min) before/after: {before:.2f} / {after:.2f}")
    out.append(
        "targets: "
        + "; ".join(f"{name}: {'met' if met else 'MISSED'}" for name, met in r["targets"].items())
    )
    m = r["machine"]
    out.append(
        f"machine: {m['cpu']}, {m['nproc']} CPUs, {m['memory_gib']} GiB, "
        f"Python {m['python']}, {m['loop']}"
    )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few requests per case (smoke)")
    parser.add_argument(
        "--out", type=Path, default=RESULTS / "latest.json", help="where the JSON goes"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    results = asyncio.run(run(QUICK if args.quick else FULL))
    print(table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {args.out}")
    if args.check and not all(results["targets"].values()):
        raise SystemExit(1)
