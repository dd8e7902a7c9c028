"""Test helpers for driving the service over HTTP the way a GraphQL client does."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx

from server import Services

GROQ_KEY = "gsk_test_secret_key_0123456789"


@dataclass
class Service:
    """The running app: an HTTP client to it, its services, and two bearer tokens."""

    http: httpx.AsyncClient
    services: Services
    manager_token: str
    reader_token: str

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


class SQLLog(logging.Handler):
    """Collects the SQL statements Tortoise logs (it logs each at DEBUG)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.split(" ", 1)[0].upper() in {"SELECT", "INSERT", "UPDATE", "DELETE"}:
            self.statements.append(message)

    def clear(self) -> None:
        self.statements.clear()

    def writes(self) -> list[str]:
        return [s for s in self.statements if not s.upper().startswith("SELECT")]
