"""The one fetch loop for every provider: auth, paging, retries, deadline, size cap, origin.

Provider modules stay pure; everything that can go wrong on the wire is handled here and turned
into the typed errors of `errors.py`. API keys travel only in headers and never appear in a
message or log line.

A key goes only to the origin (scheme, host, port) of the base URL it was configured with:
every request of a list fetch must be for that origin. Redirects are followed here, not by
aiohttp (which forwards `x-api-key` and `x-goog-api-key` to any host it is sent to), and only
within the origin; a redirect or a next-page link to another origin is refused
(`ProviderOriginError`, an `UPSTREAM_ERROR`) before anything is sent there.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import orjson
from yarl import URL

from errors import (
    ConfigError,
    ProviderError,
    ProviderHTTPError,
    ProviderOriginError,
    ProviderPayloadError,
    ProviderTimeoutError,
    ProviderUnreachable,
)
from providers._spec import JSON, ModelRecord, ProviderSpec

if TYPE_CHECKING:  # imported where a request is sent: a process that sends none loads no aiohttp
    import aiohttp

log = logging.getLogger(__name__)

_RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_REDIRECTS = 5


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One configured provider instance: a kind's spec plus where and how to reach it."""

    slug: str
    spec: ProviderSpec
    base_url: str
    api_key: str | None = None

    def __repr__(self) -> str:  # never show the key, even in a traceback
        key = "set" if self.api_key else "none"
        return f"Endpoint(slug={self.slug!r}, kind={self.spec.kind!r}, key={key})"

    @property
    def origin(self) -> str:
        """`scheme://host:port` of the base URL: the only place its key is sent."""
        return origin(self.base_url)

    @property
    def models_url(self) -> URL:
        """The list's URL: the base URL's path and `models_path`, its query string kept."""
        base = URL(self.base_url)
        return base.with_path(base.path.rstrip("/") + self.spec.models_path, keep_query=True)


def origin(url: str | URL) -> str:
    """`scheme://host:port`, the port explicit, for comparing where requests go.

    >>> origin("https://API.example.com/v1?key=x"), origin("http://127.0.0.1:8765/a")
    ('https://api.example.com:443', 'http://127.0.0.1:8765')
    """
    parsed = URL(str(url))
    return f"{parsed.scheme}://{(parsed.host or '').lower()}:{parsed.port}"


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """Limits of one list fetch. `total_timeout` bounds the whole fetch, retries included."""

    connect_timeout: float = 5.0
    total_timeout: float = 10.0
    retries: int = 2
    max_bytes: int = 32 * 1024 * 1024
    backoff: float = 0.25


async def fetch_models(
    session: aiohttp.ClientSession, endpoint: Endpoint, options: FetchOptions
) -> list[ModelRecord]:
    """Every model the endpoint lists, across all its requests and pages, first id wins."""
    spec = endpoint.spec
    if spec.needs_key and not endpoint.api_key:
        raise ConfigError(
            f"provider {endpoint.slug!r} needs an API key: set "
            f"AI_PROVIDER_{endpoint.slug.upper()}_API_KEY or the provider's apiKey"
        )
    headers = {"Accept": "application/json", **spec.extra_headers}
    if endpoint.api_key:
        headers.update(spec.auth_headers(endpoint.api_key))
    started = time.perf_counter()
    records: dict[str, ModelRecord] = {}
    try:
        async with asyncio.timeout(options.total_timeout):
            # a spec's request sets (Hugging Face: one per task) are independent: fetch at once
            pages = await asyncio.gather(
                *(_fetch_pages(session, endpoint, headers, p, options) for p in spec.requests)
            )
        for page in pages:
            for record in page:
                records.setdefault(record.id, record)
    except TimeoutError as exc:
        raise ProviderTimeoutError(
            endpoint.slug, f"no complete answer within {options.total_timeout:g} s"
        ) from exc
    log.info(
        "fetched %d models from %s in %.0f ms",
        len(records),
        endpoint.slug,
        (time.perf_counter() - started) * 1000,
    )
    return list(records.values())


async def _fetch_pages(
    session: aiohttp.ClientSession,
    endpoint: Endpoint,
    headers: Mapping[str, str],
    params: Mapping[str, str],
    options: FetchOptions,
) -> list[ModelRecord]:
    spec = endpoint.spec
    url = str(endpoint.models_url)
    query: Mapping[str, str] | None = params
    records: list[ModelRecord] = []
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    for _ in range(spec.max_pages):
        seen.add((url, tuple(sorted((query or {}).items()))))
        payload, response_headers = await _get_json(session, endpoint, url, query, headers, options)
        try:
            records.extend(spec.parse_models(payload))
            following = spec.next_page(payload, response_headers)
        except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError) as exc:
            raise ProviderPayloadError(
                endpoint.slug, "the model list has an unexpected shape"
            ) from exc
        if following is None:
            break
        if isinstance(following, str):  # a link, maybe relative to the page it came with
            url, query = _within(endpoint, urljoin(url, following), "a next-page link"), None
        else:
            query = {**params, **following}
        if (url, tuple(sorted((query or {}).items()))) in seen:
            break  # an upstream that points back at a page it sent: stop instead of looping
    return records


async def _get_json(
    session: aiohttp.ClientSession,
    endpoint: Endpoint,
    url: str,
    query: Mapping[str, str] | None,
    headers: Mapping[str, str],
    options: FetchOptions,
) -> tuple[JSON, Mapping[str, str]]:
    import aiohttp

    timeout = aiohttp.ClientTimeout(sock_connect=options.connect_timeout)
    for attempt in range(options.retries + 1):
        try:
            async with _get(session, endpoint, url, query, headers, timeout) as resp:
                if resp.status in _RETRYABLE and attempt < options.retries:
                    await asyncio.sleep(_retry_delay(resp.headers, attempt, options))
                    continue
                if resp.status >= 400:
                    raise ProviderHTTPError(endpoint.slug, resp.status)
                body = await _read_capped(resp, endpoint.slug, options.max_bytes)
                return _decode(body, endpoint.slug), dict(resp.headers)
        except ProviderError:
            raise
        except aiohttp.ClientPayloadError as exc:
            raise ProviderPayloadError(endpoint.slug, "the response was cut off") from exc
        except aiohttp.ClientError as exc:
            raise ProviderUnreachable(
                endpoint.slug, f"connection failed ({type(exc).__name__})"
            ) from exc
    raise AssertionError("unreachable: the last attempt returns or raises")


@asynccontextmanager
async def _get(
    session: aiohttp.ClientSession,
    endpoint: Endpoint,
    url: str,
    query: Mapping[str, str] | None,
    headers: Mapping[str, str],
    timeout: aiohttp.ClientTimeout,
) -> AsyncIterator[aiohttp.ClientResponse]:
    """The response to GET `url`, redirects within the endpoint's origin followed (the key
    along); a redirect anywhere else is refused before it is followed."""
    for _ in range(_MAX_REDIRECTS + 1):
        async with session.get(
            _within(endpoint, url, "a request"),
            params=query,
            headers=headers,
            timeout=timeout,
            allow_redirects=False,
        ) as resp:
            location = resp.headers.get("Location")
            if resp.status not in _REDIRECTS or not location:
                yield resp
                return
            url, query = _within(endpoint, urljoin(str(resp.url), location), "a redirect"), None
    raise ProviderPayloadError(endpoint.slug, f"more than {_MAX_REDIRECTS} redirects")


def _within(endpoint: Endpoint, url: str, what: str) -> str:
    """`url`, if it is on the endpoint's origin; else `ProviderOriginError` (only origins
    are named: a URL's query string may hold a key)."""
    if origin(url) != endpoint.origin:
        raise ProviderOriginError(
            endpoint.slug,
            f"{what} pointed to {origin(url)}, not to {endpoint.origin} where this provider "
            "is configured; its key is sent nowhere else, so the list was not read",
        )
    return url


def _retry_delay(headers: Mapping[str, str], attempt: int, options: FetchOptions) -> float:
    """Honour Retry-After (seconds or HTTP date), else exponential backoff; the caller's
    overall deadline still applies, so a huge Retry-After ends in a timeout, not a hang."""
    value = headers.get("Retry-After", "").strip()
    if value.isdigit():
        return float(value)
    if value:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            pass
    return float(options.backoff * 2**attempt)


async def _read_capped(resp: aiohttp.ClientResponse, slug: str, max_bytes: int) -> bytes:
    declared = resp.content_length
    if declared is not None and declared > max_bytes:
        raise ProviderPayloadError(slug, f"the model list is larger than {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(1 << 16):
        size += len(chunk)
        if size > max_bytes:
            raise ProviderPayloadError(slug, f"the model list is larger than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes, slug: str) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ProviderPayloadError(slug, "the answer is not valid JSON") from exc
