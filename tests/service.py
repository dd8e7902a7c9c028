"""Test helpers for driving the service over HTTP the way a GraphQL client does."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from bench.sqlcount import SQLCounter
from catalog.clock import Clock
from server import Services, build_app
from settings import Settings
from storage import tokens

GROQ_KEY = "gsk_test_secret_key_0123456789"


@dataclass
class Service:
    """The running app: an HTTP client to it, its services, two bearer tokens, the app."""

    http: httpx.AsyncClient
    services: Services
    manager_token: str
    reader_token: str
    app: Starlette | None = None

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = ""
    ) -> httpx.Response:
        """POST a GraphQL operation; `token=""` means the manager's, `None` means none."""
        headers = {}
        bearer = self.manager_token if token == "" else token
        if bearer is not None:
            headers["Authorization"] = f"Bearer {bearer}"
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    async def gql(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = ""
    ) -> dict[str, Any]:
        """The response body of a successful operation's `data`; fails on any error."""
        response = await self.post(query, variables, token=token)
        body: dict[str, Any] = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def error(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = ""
    ) -> dict[str, Any]:
        """The single error of an operation expected to fail."""
        response = await self.post(query, variables, token=token)
        body: dict[str, Any] = response.json()
        assert len(body.get("errors", [])) == 1, body
        error: dict[str, Any] = body["errors"][0]
        return error


@asynccontextmanager
async def running_service(
    settings: Settings, *, clock: Clock = time.time
) -> AsyncIterator[Service]:
    """The app with its lifespan, driven over HTTP in-process, with two fresh tokens;
    `clock` is the time its catalog reads (a `tests.clock.ManualClock` to move it)."""
    app = build_app(settings, clock=clock)
    async with app.router.lifespan_context(app) as lifespan_state:
        state = dict(lifespan_state or {})

        async def with_state(scope: Scope, receive: Receive, send: Send) -> None:
            # what a server's ASGI lifespan support does: hand the lifespan state to requests
            await app({**scope, "state": dict(state)}, receive, send)

        transport = httpx.ASGITransport(app=with_state)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            manager = await tokens.create_token("admin", ["ai.manage"])
            reader = await tokens.create_token("reader", ["ai.read"])
            services: Services = state["services"]
            # tokens in use already, as a panel's is: a test's first request is like any other
            # (no token lookup, no first-use write in the SQL it counts)
            await services.tokens.principal(f"Bearer {manager}")
            yield Service(http, services, manager, reader, app)


WATCH_TABLES = ("ai_sync_run", "ai_catalog_change", "ai_list_seen", "ai_webhook_", "ai_lease")
"""The sync log's and the webhooks' tables: every fetch writes its run there (one transaction,
counted by `tests/watching`), so the operations' own statement counts leave them out."""


class SQLLog(SQLCounter):
    """Every SQL statement Tortoise sends, in full, while started (see `bench.sqlcount`);
    those on `WATCH_TABLES` only when `watching` is true."""

    def __init__(self, *, watching: bool = False) -> None:
        super().__init__(width=None)
        self.watching = watching

    def emit(self, record: logging.LogRecord) -> None:
        before = len(self.statements)
        super().emit(record)
        added = len(self.statements) > before and not self.watching
        if added and any(f'"{table}' in self.statements[-1] for table in WATCH_TABLES):
            self.statements.pop()

    def clear(self) -> None:
        self.statements.clear()

    def change(self) -> list[str]:
        """The statements of the change itself: without those of its audit-log entry."""
        return [s for s in self.statements if '"ai_audit_' not in s]

    def audit(self) -> list[str]:
        """The audit log's: the entry, its models (one statement for any N), and once an
        hour per process the deletion of entries past their retention."""
        return [s for s in self.statements if '"ai_audit_' in s]

    def writes(self) -> list[str]:
        """The change's writes (not the audit log's)."""
        return [s for s in self.change() if not s.upper().startswith("SELECT")]


def coded(extensions: dict[str, Any]) -> dict[str, Any]:
    """An error's extensions less the request id every error carries (checked there)."""
    assert isinstance(extensions.get("requestId"), str) and extensions["requestId"], extensions
    return {name: value for name, value in extensions.items() if name != "requestId"}
