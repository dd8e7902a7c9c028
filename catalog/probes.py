"""Probes: test before you trust. `Catalog.probes` is one `Probes`.

`test_model` sends a saved model the smallest real request of its capability (see
`providers._generation`) with its provider's key, at most once per `PROBE_INTERVAL` per model
(`RateLimitedError`, claimed in the database so every worker shares it), and records the
outcome as history; the last one and p50/p95 show on the saved model and steer routing.
`test_provider` checks a base URL and key with one list call, saving nothing. Nothing here runs
implicitly: only these two calls send a probe.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from catalog.audit import Actor
from catalog.clock import utc
from catalog.instances import check_api_key, check_base_url
from errors import InvalidInputError, NotFoundError, ProviderError, RateLimitedError
from providers import (
    Endpoint,
    FetchOptions,
    ProbeOutcome,
    fetch_models,
    probe_capability,
    probe_request,
    send_probe,
)
from storage import curation as stored
from storage import probes
from storage.figures import CAPABILITIES
from storage.records import ProbeSummary, StoredModel

if TYPE_CHECKING:
    from catalog.parts import Parts

MAX_HISTORY = 100


@dataclass(frozen=True, slots=True)
class ProviderCheck:
    """What `testProvider` found: whether the list call worked, and how."""

    ok: bool
    latency_ms: float
    status: int | None = None
    models: int = 0
    error: str | None = None


class Probes:
    def __init__(self, catalog: Parts) -> None:
        self.catalog = catalog

    async def test_model(
        self, actor: Actor, provider: str, model_id: str
    ) -> tuple[StoredModel, ProbeOutcome]:
        """Probe one saved model now (one request at most) and record the outcome, with its
        audit entry in the same transaction (the request itself is sent outside it)."""
        model = await stored.saved_row(provider, model_id)
        if model is None:
            raise NotFoundError(f"{model_id!r} is not saved for {provider!r}", field="modelId")
        state = await self.catalog.state(provider)
        endpoint = self.catalog.resolve(provider, state.provider).endpoint
        capability = probe_capability(model.figures[CAPABILITIES])
        request = probe_request(endpoint.spec.generation, model_id, capability)
        if endpoint.spec.needs_key and not endpoint.api_key:
            raise InvalidInputError(
                f"provider {provider!r} has no API key to probe with", field="provider"
            )
        now = utc(self.catalog.clock)
        interval = self.catalog.settings.probe_interval
        last = await probes.claim(model.db_id, now, interval)
        if last is not None:
            wait = interval - (now - last).total_seconds()
            raise RateLimitedError(
                f"{model_id!r} was probed {interval - wait:.0f} s ago; a model is probed at "
                f"most once every {interval} s (PROBE_INTERVAL)",
                retry_in=max(wait, 0.1),
            )
        timeout = self.catalog.settings.probe_timeout
        outcome = await send_probe(self.catalog.http, endpoint, request, timeout)
        async with self.catalog.audit.recording(actor, "testModel", provider=provider) as entry:
            await probes.record(
                model.db_id,
                now,
                ok=outcome.ok,
                status=outcome.status,
                latency_ms=round(outcome.latency_ms, 1),
                error=outcome.error,
            )
            entry.model_ids.append(model_id)
            entry.details.update(ok=outcome.ok, status=outcome.status)
        probed = await stored.saved_row(provider, model_id)
        return (probed or model), outcome

    async def history(self, provider: str, model_id: str, limit: int) -> list[ProbeSummary]:
        if not 1 <= limit <= MAX_HISTORY:
            raise InvalidInputError(f"last must be 1 to {MAX_HISTORY}", field="last")
        model = await stored.saved_row(provider, model_id)
        if model is None:
            raise NotFoundError(f"{model_id!r} is not saved for {provider!r}", field="modelId")
        return await probes.history(model.db_id, limit)

    async def test_provider(
        self, actor: Actor, kind: str, base_url: str | None, api_key: str | None
    ) -> ProviderCheck:
        """One list call to `base_url` (the kind's default when None) with `api_key`,
        saving nothing but its audit entry (who sent a key where; the key only as present);
        a failure is the answer (`ok` false), not an error."""
        check = await self._check_provider(kind, base_url, api_key)
        async with self.catalog.audit.recording(actor, "testProvider") as entry:
            entry.details.update(
                kind=kind,
                base_url=base_url,
                api_key="set" if api_key else None,
                ok=check.ok,
                status=check.status,
            )
        return check

    async def _check_provider(
        self, kind: str, base_url: str | None, api_key: str | None
    ) -> ProviderCheck:
        spec = self.catalog.kinds.get(kind)
        if spec is None:
            known = ", ".join(spec.kind for spec in self.catalog.kinds)
            raise InvalidInputError(f"unknown provider kind {kind!r}; known: {known}", field="kind")
        url = check_base_url(base_url) or spec.base_url
        key = check_api_key(api_key) if api_key else None
        endpoint = Endpoint(slug=kind, spec=spec, base_url=url, api_key=key)
        settings = self.catalog.settings
        options = FetchOptions(
            connect_timeout=settings.http_connect_timeout,
            total_timeout=settings.probe_timeout,
            retries=0,
            max_bytes=settings.http_max_bytes,
        )
        started = time.perf_counter()
        try:
            models = await fetch_models(self.catalog.http, endpoint, options)
        except ProviderError as exc:
            latency = (time.perf_counter() - started) * 1000
            status = getattr(exc, "status", None)
            return ProviderCheck(False, round(latency, 1), status, error=exc.detail)
        latency = (time.perf_counter() - started) * 1000
        return ProviderCheck(True, round(latency, 1), 200, models=len(models))
