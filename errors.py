"""The service's one error hierarchy. Every failure a caller can act on is one of these.

    ServiceError
    ├── ProviderError              an upstream model list could not be had
    │   ├── ProviderHTTPError      it answered with an error status (has `status`)
    │   ├── ProviderTimeoutError   it did not answer in time
    │   ├── ProviderPayloadError   it answered with something that is not a model list
    │   ├── ProviderUnreachable    no connection could be made
    │   └── ProviderRecentlyFailed it failed moments ago; not asked again until a retry interval
    ├── ConfigError                a provider is unknown, inactive or lacks a required key
    ├── NotFoundError              a model or record does not exist
    ├── InvalidInputError          an argument is out of range or malformed
    └── AuthenticationError        no valid bearer token

A valid token without the permission an operation needs is refused by the schema's permission
classes (`schema.permissions`, code `FORBIDDEN`), before any of these could be raised.

Messages are written for the person reading them and never contain secrets: API keys are never
passed to these constructors (see `providers._http`, which redacts URLs).
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every failure the service reports to its callers.

    >>> str(NotFoundError("model 'x' is not offered by openrouter"))
    "model 'x' is not offered by openrouter"
    """


class ProviderError(ServiceError):
    """An upstream model list could not be fetched or read."""

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(f"{provider}: {message}")
        self.provider = provider
        self.detail = message


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


class NotFoundError(ServiceError):
    """A model or record the caller named does not exist."""


class InvalidInputError(ServiceError):
    """An argument is out of range or malformed."""


class AuthenticationError(ServiceError):
    """The request carries no valid bearer token."""
