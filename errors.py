"""The service's one error hierarchy. Every failure a caller can act on is one of these.

    ServiceError
    ├── ProviderError              an upstream model list could not be had
    │   ├── ProviderHTTPError      it answered with an error status (has `status`)
    │   ├── ProviderTimeoutError   it did not answer in time
    │   ├── ProviderPayloadError   it answered with something that is not a model list
    │   ├── ProviderOriginError    it pointed elsewhere (a redirect, a next page) than its origin
    │   ├── ImplausibleListError   its list lost all or most of the models it had at once
    │   ├── ProviderUnreachable    no connection could be made
    │   └── ProviderRecentlyFailed it failed moments ago; not asked again until a retry interval
    ├── ConfigError                a provider is unknown, inactive or lacks a required key
    ├── NotFoundError              a model or record does not exist
    ├── InvalidInputError          an argument is out of range or malformed
    ├── ConflictError              a value must be unique and is taken (a display name)
    ├── RateLimitedError           asked again too soon (a probe of one model; has `retry_in`)
    ├── DatabaseBusyError          another process held the database's write lock too long
    └── AuthenticationError        no valid bearer token

A valid token without the permission an operation needs is refused by the schema's permission
classes (`schema.permissions`, code `FORBIDDEN`), before any of these could be raised.

Messages are written for the person reading them and never contain secrets: API keys are never
passed to these constructors (see `providers._http`, which redacts URLs). A message may quote
what a caller sent (a slug, a model id); `shorten` bounds it, once, in `ServiceError` (and in
`schema.errors` for GraphQL's own messages), so no error echoes an unbounded input.
"""

from __future__ import annotations

import re

MAX_MESSAGE = 1000
"""The longest error message a caller sees, in characters."""
_MAX_WORD = 100
_LONG_WORD = re.compile(rf"\S{{{_MAX_WORD + 1},}}")


def shorten(text: str, limit: int = MAX_MESSAGE) -> str:
    """`text`, with any run of more than 100 characters without a space cut in its middle, then
    the middle of the whole cut when it is still over `limit`: both ends of a message (what is
    wrong, what to do) survive, an echoed megabyte does not.

    >>> message = shorten("unknown provider '" + "a" * 10_000 + "'; known: groq")
    >>> len(message), message.endswith("'; known: groq"), "(9923 characters cut)" in message
    (132, True, True)
    """
    if len(text) <= min(limit, _MAX_WORD):
        return text
    text = _LONG_WORD.sub(lambda word: _cut(word.group(), 60, 20), text)
    return text if len(text) <= limit else _cut(text, limit * 2 // 3, limit // 4)


def _cut(text: str, head: int, tail: int) -> str:
    return f"{text[:head]}…({len(text) - head - tail} characters cut)…{text[-tail:]}"


class ServiceError(Exception):
    """Base of every failure the service reports to its callers; its message is bounded.

    >>> str(NotFoundError("model 'x' is not offered by openrouter"))
    "model 'x' is not offered by openrouter"
    """

    def __init__(self, message: str = "", *args: object) -> None:
        super().__init__(shorten(message), *args)


class ProviderError(ServiceError):
    """An upstream model list could not be fetched or read."""

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(f"{provider}: {message}")
        self.provider = provider
        self.detail = shorten(message)


class ProviderHTTPError(ProviderError):
    """The upstream answered with an error status.

    >>> ProviderHTTPError("groq", 401).status
    401
    """

    def __init__(self, provider: str, status: int, detail: str = "") -> None:
        hint = _STATUS_HINTS.get(status, "the provider returned an error")
        super().__init__(provider, f"HTTP {status}: {hint}{f' ({detail})' if detail else ''}")
        self.status = status


_STATUS_HINTS = {
    401: "the API key was rejected; check the provider's key",
    403: "the API key may not list models",
    404: "no model list at this URL; check the provider's base URL",
    429: "rate limited by the provider; try again shortly",
}


class ProviderTimeoutError(ProviderError):
    """The upstream did not answer within the configured timeout."""


class ProviderPayloadError(ProviderError):
    """The upstream answered, but not with a model list we can read."""


class ProviderOriginError(ProviderError):
    """The upstream sent the fetch to another origin than its configured base URL's (a
    redirect, a next-page link): a key is never sent there, so the list cannot be read."""


class ImplausibleListError(ProviderError):
    """The upstream answered with a list that would replace a good one with far less (see
    `catalog.suspicion`): kept out of the cache like a failure, the good list served stale."""


class ProviderUnreachable(ProviderError):
    """No connection to the upstream could be made (DNS, refused, TLS)."""


class ProviderRecentlyFailed(ProviderError):
    """The upstream failed moments ago (possibly seen by another worker): the same failure is
    reported at once instead of making this request wait on a dead upstream again.

    >>> str(ProviderRecentlyFailed("groq", "HTTP 503: ...", status=503, retry_in=30))
    'groq: HTTP 503: ... (not retried for 30 s)'
    """

    def __init__(self, provider: str, detail: str, *, status: int | None, retry_in: float) -> None:
        super().__init__(provider, f"{detail} (not retried for {retry_in:g} s)")
        self.status = status


class ConfigError(ServiceError):
    """A provider is unknown, inactive, or misconfigured (e.g. a required key is missing)."""

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(ServiceError):
    """A model or record the caller named does not exist; `field` names the argument (or the
    path into it, `models[1]`) that named it, when one did.

    >>> NotFoundError("no slot 'chat'", field="slot").field
    'slot'
    """

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvalidInputError(ServiceError):
    """An argument is out of range or malformed; `field` names it (see `NotFoundError`)."""

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ConflictError(InvalidInputError):
    """A value that must be unique is taken, e.g. a display name another model of the provider
    has: nothing was written."""


class RateLimitedError(ServiceError):
    """The same thing was asked again sooner than allowed (a probe of one model, see
    `PROBE_INTERVAL`): nothing was sent upstream.

    >>> RateLimitedError("probed 3 s ago", retry_in=57.0).retry_in
    57.0
    """

    def __init__(self, message: str, *, retry_in: float) -> None:
        super().__init__(message)
        self.retry_in = retry_in


class DatabaseBusyError(ServiceError):
    """Another process held the (SQLite) database's write lock past the busy timeout."""


class AuthenticationError(ServiceError):
    """The request carries no valid bearer token."""
