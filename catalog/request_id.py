"""The id of the request being served, for the task serving it: set by the server's request
middleware, read by the logs, the error extensions and the audit log (so an entry, a log
line and a client's error report name the same request). Outside a request (the CLI): None.

>>> with request_scope("abc"): current_request_id()
'abc'
>>> current_request_id() is None
True
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_CURRENT: ContextVar[str | None] = ContextVar("ams_request_id", default=None)
_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def current_request_id() -> str | None:
    return _CURRENT.get()


def choose(incoming: str | None) -> str:
    """A proxy's `X-Request-ID` when it is a plain token of at most 64 characters (so it
    cannot forge log lines), else a new random one.

    >>> choose("edge-1f3a"), len(choose("bad id\\n"))
    ('edge-1f3a', 32)
    """
    if incoming is not None and _ACCEPTED.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


@contextmanager
def request_scope(request_id: str) -> Iterator[str]:
    token = _CURRENT.set(request_id)
    try:
        yield request_id
    finally:
        _CURRENT.reset(token)
