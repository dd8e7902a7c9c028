"""Request ids and the log format.

`RequestIds` (ASGI middleware) gives every HTTP request an id: the proxy's `X-Request-ID`
when it is a plain token, else a new one; it is returned in the response's `X-Request-ID`
header, put in GraphQL error extensions (`requestId`), written in the audit entry of a change
the request makes, and in every log line written while serving it. `LOG_FORMAT=json` writes
one JSON object per line: `time`, `level`, `logger`, `message`, `request_id`, and `exception`
(the traceback) when there is one. The access line (`ai_model_sync.access`: method, path,
status, milliseconds) is written here, inside the request, in place of uvicorn's.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from catalog.request_id import choose, current_request_id, request_scope
from settings import Settings

HEADER = "x-request-id"
access = logging.getLogger("ai_model_sync.access")
_TEXT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"


class RequestIds:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next(
            (
                value.decode("latin-1")
                for name, value in scope["headers"]
                if name == b"x-request-id"
            ),
            None,
        )
        request_id = choose(incoming)
        started, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [*message.get("headers", ()), (b"x-request-id", request_id.encode())]
                message = {**message, "headers": headers}
            await send(message)

        with request_scope(request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                took = (time.perf_counter() - started) * 1000
                # the path only: a query string may carry a whole GraphQL document
                access.info("%s %s %d %.1fms", scope["method"], scope["path"], status, took)


class WithRequestId(logging.Filter):
    """Adds `request_id` (or "-") to every record, for either format."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line (a traceback stays inside its object)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure(settings: Settings) -> None:
    """The root handler, in `LOG_FORMAT`, for this process and uvicorn's loggers."""
    handler = logging.StreamHandler()
    handler.addFilter(WithRequestId())
    handler.setFormatter(
        JsonFormatter() if settings.log_format == "JSON" else logging.Formatter(_TEXT)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    # uvicorn's access line is written outside the request (no id): `RequestIds` writes one
    logging.getLogger("uvicorn.access").disabled = True
