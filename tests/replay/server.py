"""A real HTTP server that replays recorded upstream responses and misbehaves on demand.

Tests talk to it over TCP exactly as the service talks to a provider, so the whole client stack
(aiohttp session, timeouts, retries, paging, JSON decoding) is exercised; nothing is patched.
It runs its own event loop in a daemon thread, so sync tests, async tests on any loop, child
processes and the benchmark can all use the same instance.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Literal

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

GARBAGE = b"<html><body><h1>502 Bad Gateway</h1></body></html>\n"
"""What `garbage()` serves: an HTML page, as a misconfigured proxy would send, under a JSON type."""

_JSON_TYPE = "application/json"


@dataclass(frozen=True, slots=True)
class RequestInfo:
    """One request the server received. `headers` is case-insensitive; `time` is monotonic."""

    method: str
    path: str
    query: dict[str, str]
    headers: Mapping[str, str]
    time: float
    body: bytes = b""


@dataclass(frozen=True, slots=True)
class _Canned:
    body: bytes
    status: int
    headers: Mapping[str, str]
    query: frozenset[tuple[str, str]]
    method: str = "GET"


@dataclass(slots=True)
class _Fault:
    kind: Literal["fail", "hang", "garbage", "truncate"]
    times: int | None  # None: forever
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class ReplayServer:
    """Serves canned GET responses on 127.0.0.1 from a background thread.

    Routes (`serve`) survive `reset()`; faults, delays and the request log do not. Faults on a
    path queue up: each `fail`/`hang`/`garbage`/`truncate` with ``times=n`` applies to the next
    n requests, then the next fault (or the canned response) takes over; ``times=None`` sticks
    until `reset()` or until another fault is set on that path, which replaces it.
    `delay` adds a fixed wait before whatever the path answers. All methods are thread-safe.

    >>> with ReplayServer() as srv:
    ...     srv.serve("/v1/models", {"data": []})
    ...     srv.fail("/v1/models", 429, times=1, retry_after="2")
    ...     # GET srv.url + "/v1/models" -> 429 (Retry-After: 2), then 200 {"data": []}
    ...     srv.hits("/v1/models")
    0
    """

    def __init__(self, port: int = 0) -> None:
        self._port = port
        self._lock = threading.Lock()
        self._routes: dict[str, list[_Canned]] = {}
        self._faults: dict[str, list[_Fault]] = {}
        self._delays: dict[str, float] = {}
        self._log: dict[str, list[RequestInfo]] = {}
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._stalled: set[asyncio.Task[object]] = set()
        self._url: str | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        if self._url is None:
            raise RuntimeError("ReplayServer is not running; call start() first")
        return self._url

    def start(self, timeout: float = 10.0) -> ReplayServer:
        """Bind and serve in a daemon thread; returns once the socket accepts connections."""
        if self._thread is not None:
            raise RuntimeError("ReplayServer already started")
        ready = threading.Event()
        errors: list[BaseException] = []
        self._thread = threading.Thread(
            target=self._run, args=(ready, errors), name="replay-server", daemon=True
        )
        self._thread.start()
        if not ready.wait(timeout):
            raise RuntimeError("ReplayServer did not start in time")
        if errors:
            self._thread.join()
            self._thread = None
            raise errors[0]
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving: hung and delayed requests are cut off, so this returns promptly."""
        thread, loop, event = self._thread, self._loop, self._stop_event
        if thread is None:
            return
        if loop is not None and event is not None and not loop.is_closed():
            loop.call_soon_threadsafe(event.set)
        thread.join(timeout)
        if thread.is_alive():
            raise RuntimeError("ReplayServer thread did not stop in time")
        self._thread = self._loop = self._stop_event = None
        self._url = None

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self, ready: threading.Event, errors: list[BaseException]) -> None:
        try:
            asyncio.run(self._main(ready))
        except BaseException as exc:  # reported to start() when it happens before ready
            errors.append(exc)
        finally:
            ready.set()

    async def _main(self, ready: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop_event = asyncio.Event()
        server = web.Server(self._handle, handler_cancellation=True, access_log=None)
        runner = web.ServerRunner(server, shutdown_timeout=1.0)
        await runner.setup()
        try:
            site = web.TCPSite(runner, "127.0.0.1", self._port)
            await site.start()
            port = runner.addresses[0][1]
            self._url = f"http://127.0.0.1:{port}"
            ready.set()
            await self._stop_event.wait()
            for task in list(self._stalled):
                task.cancel()
        finally:
            await runner.cleanup()

    # -- configuration -----------------------------------------------------------------------

    def serve(
        self,
        path: str,
        body: bytes | Path | object,
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        method: Literal["GET", "POST"] = "GET",
    ) -> None:
        """Answer GET `path` with `body`: bytes as is, a Path's exact bytes, anything else as JSON.
        With `method="POST"`, answer POST `path` instead (generation endpoints, for probes).

        With `query`, the route only matches requests carrying all those parameters (paging);
        the route with the most matching parameters wins. Re-serving the same path and query
        replaces the earlier response.
        """
        _check_path(path)
        hdrs = CIMultiDict(headers or {})
        hdrs.setdefault("Content-Type", _JSON_TYPE)
        canned = _Canned(_to_bytes(body), status, CIMultiDictProxy(hdrs), _query_key(query), method)
        with self._lock:
            routes = [
                r
                for r in self._routes.get(path, [])
                if (r.query, r.method) != (canned.query, method)
            ]
            self._routes[path] = [*routes, canned]

    def fail(
        self,
        path: str,
        status: int,
        *,
        times: int | None = None,
        retry_after: str | None = None,
        body: bytes | None = None,
    ) -> None:
        """Answer the next `times` requests (or all) with `status` and an error body."""
        if body is None:
            error = {"error": {"message": "replay: injected failure", "code": status}}
            body = json.dumps(error).encode()
        headers = {"Content-Type": _JSON_TYPE}
        if retry_after is not None:
            headers["Retry-After"] = retry_after
        self._add_fault(path, _Fault("fail", _check_times(times), status, body, headers))

    def hang(self, path: str, *, times: int | None = None) -> None:
        """Never answer (until the client gives up or the server stops)."""
        self._add_fault(path, _Fault("hang", _check_times(times)))

    def garbage(self, path: str, *, times: int | None = None) -> None:
        """Answer 200 with non-JSON bytes (`GARBAGE`) under a JSON content type."""
        self._add_fault(path, _Fault("garbage", _check_times(times)))

    def truncate(self, path: str, *, times: int | None = None) -> None:
        """Answer 200 with the first half of the normal body (a well-formed HTTP message)."""
        self._add_fault(path, _Fault("truncate", _check_times(times)))

    def delay(self, path: str, seconds: float) -> None:
        """Wait `seconds` before answering every request on `path`."""
        _check_path(path)
        with self._lock:
            self._delays[path] = seconds

    def reset(self, *, routes: bool = False) -> None:
        """Forget faults, delays and the request log; also the routes if `routes`."""
        with self._lock:
            self._faults.clear()
            self._delays.clear()
            self._log.clear()
            if routes:
                self._routes.clear()

    def _add_fault(self, path: str, fault: _Fault) -> None:
        _check_path(path)
        with self._lock:
            queue = self._faults.setdefault(path, [])
            if queue and queue[-1].times is None:
                queue.pop()  # a sticky fault would shadow anything queued behind it
            queue.append(fault)

    # -- observation -------------------------------------------------------------------------

    def hits(self, path: str) -> int:
        """How many requests arrived for `path` (any query, including failed and hung ones)."""
        with self._lock:
            return len(self._log.get(path, ()))

    def requests(self, path: str) -> list[RequestInfo]:
        """The requests received for `path`, oldest first."""
        with self._lock:
            return list(self._log.get(path, ()))

    # -- serving -----------------------------------------------------------------------------

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        path = request.path
        info = RequestInfo(
            method=request.method,
            path=path,
            query=dict(request.query),
            headers=CIMultiDictProxy(CIMultiDict(request.headers)),
            time=time.monotonic(),
            body=await request.read() if request.method == "POST" else b"",
        )
        with self._lock:
            self._log.setdefault(path, []).append(info)
            if request.method not in ("GET", "HEAD", "POST"):
                return web.Response(status=405, headers={"Allow": "GET, HEAD, POST"})
            fault = self._take_fault(path)
            delay = self._delays.get(path, 0.0)
            canned = self._match(path, request)
            methods = {route.method for route in self._routes.get(path, ())}
            if canned is None and methods and request.method not in methods | {"HEAD"}:
                allow = ", ".join(sorted(methods))
                return web.Response(status=405, headers={"Allow": allow})
        hang = fault is not None and fault.kind == "hang"
        if hang or delay > 0:
            await self._stall(None if hang else delay)
        if fault is not None and fault.kind == "fail":
            return web.Response(body=fault.body, status=fault.status, headers=fault.headers)
        if fault is not None and fault.kind == "garbage":
            return web.Response(body=GARBAGE, headers={"Content-Type": _JSON_TYPE})
        if canned is None:
            body = json.dumps({"error": f"replay: no route for {request.method} {path}"}).encode()
            return web.Response(body=body, status=404, content_type=_JSON_TYPE)
        body = canned.body
        if fault is not None and fault.kind == "truncate":
            return web.Response(body=body[: len(body) // 2], headers=canned.headers)
        return web.Response(body=body, status=canned.status, headers=canned.headers)

    async def _stall(self, seconds: float | None) -> None:
        """Sleep (forever if None); tracked so stop() can cut it off instead of waiting."""
        task = asyncio.current_task()
        assert task is not None
        self._stalled.add(task)
        try:
            if seconds is None:
                await asyncio.Event().wait()
            else:
                await asyncio.sleep(seconds)
        finally:
            self._stalled.discard(task)

    def _take_fault(self, path: str) -> _Fault | None:
        queue = self._faults.get(path)
        if not queue:
            return None
        fault = queue[0]
        if fault.times is not None:
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
        return fault

    def _match(self, path: str, request: web.BaseRequest) -> _Canned | None:
        method = "POST" if request.method == "POST" else "GET"
        matches = [
            canned
            for canned in self._routes.get(path, ())
            if canned.method == method
            and all(v in request.query.getall(k, ()) for k, v in canned.query)
        ]
        # max() keeps the first of equals; reversed so the latest registration wins ties.
        return max(reversed(matches), key=lambda c: len(c.query), default=None)


def _to_bytes(body: bytes | Path | object) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, Path):
        return body.read_bytes()
    if isinstance(body, str):
        raise TypeError("serve() body: pass bytes for raw text (a str would be JSON-encoded)")
    return json.dumps(body).encode()


def _query_key(query: Mapping[str, str] | None) -> frozenset[tuple[str, str]]:
    return frozenset((query or {}).items())


def _check_path(path: str) -> None:
    if not path.startswith("/"):
        raise ValueError(f"path must start with '/': {path!r}")


def _check_times(times: int | None) -> int | None:
    if times is not None and times < 1:
        raise ValueError(f"times must be >= 1 or None, not {times}")
    return times
