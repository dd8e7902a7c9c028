"""Probes: the smallest real generation request per provider kind, and sending it once.

`probe_request` is pure: a kind's `ProviderSpec.generation` style (`openai`, `anthropic`,
`gemini`) and the capability to test give the path under the base URL and the JSON body
(chat: one token, `max_tokens: 1`, no reasoning; embedding: one word). `send_probe` POSTs it
once (never retried: a probe costs at most one request), with the key only to the base URL's
origin (a redirect is not followed, it is the answer), and reports status, latency and an
error text with the key cut out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from yarl import URL

from errors import ConfigError
from providers._http import Endpoint, origin
from providers._spec import Capability

if TYPE_CHECKING:
    import aiohttp

PROBE_WORD = "ping"
"""What a probe sends: one word."""
_MAX_ERROR = 300
_MAX_BODY = 64 * 1024


@dataclass(frozen=True, slots=True)
class ProbeRequest:
    """A POST under the base URL: its path (the base URL's path is kept before it) and body."""

    path: str
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ProbeOutcome:
    ok: bool
    status: int | None
    latency_ms: float
    error: str | None = None


def probe_capability(capabilities: frozenset[str] | set[str] | list[str]) -> Capability:
    """What a probe of a model with these capabilities tests: chat unless it only embeds."""
    names = set(capabilities)
    if "embedding" in names and not names & {"chat", "content"}:
        return Capability.EMBEDDING
    return Capability.CHAT


def probe_request(style: str | None, model_id: str, capability: Capability) -> ProbeRequest:
    """The smallest request testing `capability` of `model_id` (see the module docstring).

    >>> probe_request("openai", "gpt-4o", Capability.CHAT).body["max_tokens"]
    1
    >>> probe_request("gemini", "text-embedding-004", Capability.EMBEDDING).path
    '/models/text-embedding-004:embedContent'
    """
    embedding = capability is Capability.EMBEDDING
    match style:
        case "openai":
            if embedding:
                return ProbeRequest("/embeddings", {"model": model_id, "input": PROBE_WORD})
            message = {"role": "user", "content": PROBE_WORD}
            return ProbeRequest(
                "/chat/completions",
                {"model": model_id, "messages": [message], "max_tokens": 1, "stream": False},
            )
        case "anthropic" if not embedding:
            message = {"role": "user", "content": PROBE_WORD}
            return ProbeRequest(
                "/messages", {"model": model_id, "max_tokens": 1, "messages": [message]}
            )
        case "gemini":
            content = {"parts": [{"text": PROBE_WORD}]}
            if embedding:
                return ProbeRequest(f"/models/{model_id}:embedContent", {"content": content})
            config = {"maxOutputTokens": 1, "thinkingConfig": {"thinkingBudget": 0}}
            return ProbeRequest(
                f"/models/{model_id}:generateContent",
                {"contents": [content], "generationConfig": config},
            )
    raise ConfigError(
        f"cannot probe {capability.value} models of this provider kind (no generation API known)",
        field="modelId",
    )


async def send_probe(
    session: aiohttp.ClientSession, endpoint: Endpoint, request: ProbeRequest, timeout: float
) -> ProbeOutcome:
    """POST `request` once; any failure is an outcome, not an exception."""
    import aiohttp  # here: a process that sends no request loads no aiohttp (the CLI parser)

    if endpoint.spec.needs_key and not endpoint.api_key:
        raise ConfigError(
            f"provider {endpoint.slug!r} has no API key to probe with", field="provider"
        )
    base = URL(endpoint.base_url)
    url = base.with_path(base.path.rstrip("/") + request.path, keep_query=True)
    if origin(url) != endpoint.origin:  # a model id cannot move the request elsewhere
        raise ConfigError("the probe would leave the provider's origin", field="modelId")
    headers = {"Accept": "application/json", **endpoint.spec.extra_headers}
    if endpoint.api_key:
        headers.update(endpoint.spec.auth_headers(endpoint.api_key))
    started = time.perf_counter()
    try:
        async with session.post(
            url,
            json=request.body,
            headers=headers,
            allow_redirects=False,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as resp:
            body = await resp.content.read(_MAX_BODY)
            latency = (time.perf_counter() - started) * 1000
            if resp.status < 300:
                return ProbeOutcome(True, resp.status, latency)
            detail = _redact(body.decode("utf-8", "replace"), endpoint.api_key)
            return ProbeOutcome(False, resp.status, latency, f"HTTP {resp.status}: {detail}")
    except TimeoutError:
        error = f"no answer within {timeout:g} s"
    except aiohttp.ClientError as exc:
        error = f"connection failed ({type(exc).__name__})"
    return ProbeOutcome(False, None, (time.perf_counter() - started) * 1000, error)


def _redact(text: str, key: str | None) -> str:
    """An upstream's error text, bounded, with the key (should it echo it) cut out."""
    if key:
        text = text.replace(key, "[key]")
        if len(key) > 8:
            text = text.replace(key[:8], "[key]")
    text = " ".join(text.split())
    return text[:_MAX_ERROR] + ("…" if len(text) > _MAX_ERROR else "")
