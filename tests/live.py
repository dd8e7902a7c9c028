"""A real `ai-model-sync serve` (uvicorn, its own process) for tests that need one: a server
that reads sockets itself, a process whose memory can be read, a CLI beside it."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.backends import free_port
from tests.processes import ROOT, child_environment


def environment(**values: str) -> dict[str, str]:
    """A child's environment (`tests.processes`), quiet logs, and `values`."""
    return child_environment(LOG_LEVEL="WARNING", **values)


def cli(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


@dataclass(frozen=True, slots=True)
class LiveServer:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def rss_kib(self) -> int:
        """The server process's resident memory now (`VmRSS`), in KiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS")


@contextmanager
def live_server(env: dict[str, str], log: Path, *, ready: int = 200) -> Iterator[LiveServer]:
    """`ai-model-sync serve` until the block ends; yields once `/readyz` answers `ready`."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve"],
            cwd=ROOT,
            env={**env, "HOST": "127.0.0.1", "PORT": str(port)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", port, process, log)
    try:
        _wait(server, ready)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait(server: LiveServer, ready: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.process.poll() is None, server.log.read_text()
        try:
            if httpx.get(f"{server.url}/readyz", timeout=1).status_code == ready:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"server at {server.url} did not answer /readyz:\n{server.log.read_text()}")
