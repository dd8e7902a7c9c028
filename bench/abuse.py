"""``python -m bench.abuse``: what hostile requests cost a real server (issue 9's figures).

A real `ai-model-sync serve` (uvicorn, its own process, a fresh SQLite file) is sent requests
built to cost: fragment fan-out, fields repeated for quadratic validation, anonymous documents,
oversized and streamed bodies, unique documents to fill caches. The server's own CPU time is
read from `/proc/<pid>/stat` around each case (mean per request over many, since the kernel
counts in 10 ms ticks) and its memory from `VmRSS`, so the figures are what the worker spent,
not what the client waited. `--check` exits 1 when a target is missed. `--checkout DIR` runs the
same against another checkout of the service (to measure before a change).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class Server:
    url: str
    pid: int
    token: str

    def cpu(self) -> float:
        """Seconds of CPU the server process has used (user + system)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(checkout: Path) -> Iterator[Server]:
    with tempfile.TemporaryDirectory() as directory:
        port = _port()
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(checkout),
            "DATABASE_URL": f"sqlite://{directory}/abuse.sqlite3",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "LOG_LEVEL": "ERROR",
        }
        cli = [sys.executable, "-m", "cli"]  # PYTHONPATH: the checkout
        token = subprocess.run(
            [*cli, "token", "create", "bench"], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        process = subprocess.Popen(
            [*cli, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait(url)
            yield Server(url, process.pid, token)
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/healthz", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def fan_out(levels: int, tag: str) -> str:
    """The issue's document: fragment i spreads fragment i+1 twice, on Query; `tag` renames
    the fragments, so no cache has seen it."""
    parts = [f"query {{ ...{tag}F0 }}"]
    parts += [
        f"fragment {tag}F{i} on Query {{ ...{tag}F{i + 1} ...{tag}F{i + 1} }}"
        for i in range(levels)
    ]
    parts.append(f"fragment {tag}F{levels} on Query {{ __typename }}")
    return "\n".join(parts)


def repeated(n: int) -> str:
    """240 repeats of one field: graphql-core's overlap check compares every pair. (The
    argument differs per request: a comment would not, for a cache keyed by syntax tree.)"""
    return (
        f'{{ savedModels(provider: "p{n}") {{ modelId }}' + " savedModels { modelId }" * 239 + " }"
    )


Send = Callable[[httpx.Client, int], httpx.Response]


def post(server: Server, build: Callable[[int], str], *, token: bool = True) -> Send:
    """POST the document `build(n)` for the n-th request."""
    headers = {"Authorization": f"Bearer {server.token}"} if token else {}
    return lambda http, n: http.post(
        f"{server.url}/graphql", json={"query": build(n)}, headers=headers
    )


def cpu_per_request(server: Server, send: Send, count: int, warm: int = 3) -> tuple[float, str]:
    """Mean server CPU per request in ms (after `warm` unmeasured ones), and the last
    answer's status and first error code."""
    with httpx.Client(timeout=120) as http:
        for n in range(-warm, 0):
            send(http, n)
        before = server.cpu()
        for n in range(count):
            response = send(http, n)
        cpu = (server.cpu() - before) * 1000 / count
    errors = response.json().get("errors") or [{}]
    return cpu, f"HTTP {response.status_code} {errors[0].get('extensions', {}).get('code', '')}"


def send_raw(server: Server, body: Iterator[bytes], length: int | None) -> int:
    """POST `body` chunk by chunk (until the server stops reading) on a socket; the status.
    `length`: sent as `Content-Length`, else the body is sent chunked."""
    size = f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
    head = (
        f"POST /graphql HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {server.token}\r\n"
        f"Content-Type: application/json\r\n{size}\r\n\r\n"
    ).encode()
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=120) as connection:
        connection.sendall(head)
        try:
            for chunk in body:
                connection.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused and closed while the rest was still coming
        try:
            answer = connection.recv(64)
        except ConnectionResetError:
            return 0
    return int(answer.split()[1]) if answer.startswith(b"HTTP/1.1") else 0


def streamed(megabytes: int) -> Iterator[bytes]:
    chunk = b"10000\r\n" + b" " * 0x10000 + b"\r\n"  # 64 KiB of JSON whitespace
    for _ in range(megabytes * 16):
        yield chunk
    yield b"0\r\n\r\n"


def document(n: int, megabytes: int) -> tuple[Iterator[bytes], int]:
    """A unique `megabytes` document in a JSON body, as the issue sent 60 of them."""
    text = f'{{"query": "{{ __typename }} # {n}' + " " * (megabytes * 1024 * 1024) + '"}'
    body = text.encode()
    return iter([body[i : i + 0x10000] for i in range(0, len(body), 0x10000)]), len(body)


def cpu_cases(checkout: Path, quick: bool) -> dict[str, float]:
    n = 5 if quick else 40
    slow = 1 if checkout != ROOT else n  # before the fix, one fan-out request took ~30 s
    figures: dict[str, float] = {}
    with serving(checkout) as server:
        cases: dict[str, tuple[Send, int]] = {
            "floor: { __typename }": (post(server, lambda i: f"{{ __typename }} # {i}"), n),
            "fan-out 22 levels": (post(server, lambda i: fan_out(22, f"T{i + 3}x")), slow),
            "240 repeated fields": (post(server, repeated), n),
            "anonymous fan-out 22 levels": (
                post(server, lambda i: fan_out(22, f"A{i + 3}x"), token=False),
                slow,
            ),
        }
        for name, (send, count) in cases.items():
            ms, answer = cpu_per_request(server, send, count, warm=3 if count > 1 else 0)
            figures[f"{name}: CPU ms per request"] = ms
            print(f"{name:40} {ms:9.2f} ms CPU per request ({answer}, {count} requests)")
    return figures


def memory_cases(checkout: Path, quick: bool) -> dict[str, float]:
    figures: dict[str, float] = {}
    with serving(checkout) as server:
        before = server.rss_mib()
        status = send_raw(server, streamed(100), None)
        growth = server.rss_mib() - before
        figures["RSS growth after a streamed 100 MiB body, MiB"] = growth
        print(f"{'a streamed 100 MiB body':40} {growth:9.1f} MiB RSS growth (HTTP {status})")
    with serving(checkout) as server:
        before = server.rss_mib()
        count = 10 if quick else 60
        statuses = sorted({send_raw(server, *document(n, 10)) for n in range(count)})
        growth = server.rss_mib() - before
        figures["RSS growth after unique 10 MB documents, MiB"] = growth
        print(
            f"{f'{count} unique 10 MB documents':40} {growth:9.1f} MiB RSS growth (HTTP {statuses})"
        )
    with serving(checkout) as server:
        count = 100 if quick else 400
        before = server.rss_mib()
        padded = post(server, lambda i: "{ __typename }" + f" # {i}" + " " * 60_000)
        cpu_per_request(server, padded, count)
        growth = server.rss_mib() - before
        figures["RSS growth after unique 60 kB documents, MiB"] = growth
        print(f"{f'{count} unique 60 kB documents':40} {growth:9.1f} MiB RSS growth")
    return figures


TARGETS = {
    "fan-out 22 levels: CPU ms per request": 50.0,
    "240 repeated fields: CPU ms per request": 50.0,
    "anonymous fan-out 22 levels: CPU ms per request": 3.0,
    "RSS growth after a streamed 100 MiB body, MiB": 20.0,
    "RSS growth after unique 10 MB documents, MiB": 20.0,
    "RSS growth after unique 60 kB documents, MiB": 64.0,
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.abuse", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--quick", action="store_true", help="a few requests per case")
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the service to measure")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {args.checkout}")
    checkout = args.checkout.resolve()
    figures = {**cpu_cases(checkout, args.quick), **memory_cases(checkout, args.quick)}
    missed = [name for name, most in TARGETS.items() if figures.get(name, 0.0) > most]
    for name, most in TARGETS.items():
        print(f"{'MISSED' if name in missed else 'met':6} {name} <= {most:g}")
    if args.check and missed:
        sys.exit(1)


if __name__ == "__main__":
    main()
