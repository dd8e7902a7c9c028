"""Whether the service's dependencies answer: the database, the list cache, and whether the
database's migrations are at head.

`/readyz` asks `Health.report()` (`/healthz` says only that the process serves): each is probed,
within a timeout, and reported with its backend; the service is `ok` only when all are up. An
outage is logged once, when it starts (with its reason, no traceback), and once when it ends,
however often a load balancer probes in between.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from catalog.cache import ListCache
from storage import database

log = logging.getLogger(__name__)

PROBE_TIMEOUT = 2.0
"""Seconds a dependency has to answer a probe: a hung one counts as down."""

Probe = Callable[[], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class Dependency:
    """Something the service needs, how to ask whether it answers, and which backend it is."""

    name: str
    backend: str
    probe: Probe


@dataclass(frozen=True, slots=True)
class State:
    name: str
    backend: str
    up: bool
    error: str | None = None  # the failure's type only: its text may name hosts

    def as_json(self) -> dict[str, str]:
        shown = {"status": "up" if self.up else "down", "backend": self.backend}
        return shown if self.error is None else {**shown, "error": self.error}


@dataclass(frozen=True, slots=True)
class Report:
    states: tuple[State, ...]

    @property
    def ok(self) -> bool:
        return all(state.up for state in self.states)

    def as_json(self) -> dict[str, object]:
        return {
            "status": "ok" if self.ok else "unavailable",
            "checks": {state.name: state.as_json() for state in self.states},
        }


class Health:
    """Probes `dependencies` at once; remembers which are down to log each outage once."""

    def __init__(self, dependencies: Sequence[Dependency], timeout: float = PROBE_TIMEOUT) -> None:
        self.dependencies = tuple(dependencies)
        self.timeout = timeout
        self._down: set[str] = set()

    async def report(self) -> Report:
        states = await asyncio.gather(*(self._check(d) for d in self.dependencies))
        return Report(tuple(states))

    async def _check(self, dependency: Dependency) -> State:
        try:
            async with asyncio.timeout(self.timeout):
                await dependency.probe()
        except Exception as exc:  # any failure of a probe means "down"; logged, not raised
            if dependency.name not in self._down:
                self._down.add(dependency.name)
                reason = str(exc).splitlines()[0][:200] if str(exc) else ""
                log.warning(
                    "%s (%s) is down: %s%s",
                    dependency.name,
                    dependency.backend,
                    type(exc).__name__,
                    f": {reason}" if reason else "",
                )
            return State(dependency.name, dependency.backend, up=False, error=type(exc).__name__)
        if dependency.name in self._down:
            self._down.discard(dependency.name)
            log.warning("%s (%s) is back", dependency.name, dependency.backend)
        return State(dependency.name, dependency.backend, up=True)


def of_catalog(cache: ListCache) -> Health:
    """The catalog's dependencies: its database (open already) and its list cache."""
    return Health(
        [
            Dependency("database", database.dialect(), database.ping),
            Dependency("cache", cache.backend, cache.ping),
            Dependency("migrations", database.shipped_migrations()[-1], database.check_migrations),
        ]
    )
