"""Sending webhook deliveries: claimed from the outbox, signed per the Standard Webhooks
specification (`standardwebhooks`: HMAC-SHA256 over `id.timestamp.body`, headers
`webhook-id`, `webhook-timestamp`, `webhook-signature`), retried with exponential back-off.

A delivery is claimed by one process at a time for the receiver's timeout and a margin, so two
workers never send it at once. A 2xx answer delivers it; anything else (an error status, a
redirect, a timeout, no connection) is retried after `WEBHOOK_RETRY_BASE` * 2^(attempt-1)
seconds (at most 6 h), until `WEBHOOK_MAX_ATTEMPTS`. Every attempt carries the same
`webhook-id`, so a receiver that answered too late can tell a retry from a new event.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import aiohttp
from standardwebhooks import Webhook

from catalog.clock import Clock, utc
from catalog.keys import KeyRing
from catalog.metrics import Metrics
from catalog.watch.endpoints import check_url
from errors import InvalidInputError
from storage import webhooks
from storage.records.activity import DeliveryRecord

log = logging.getLogger(__name__)

MAX_DELAY = 6 * 3600.0
BATCH = 20
_MARGIN = 30.0  # seconds a claim outlasts the receiver's timeout


@dataclass(frozen=True, slots=True)
class Policy:
    timeout: float
    max_attempts: int
    retry_base: float

    def delay(self, attempt: int) -> float:
        """Seconds before the retry that follows attempt number `attempt` (1-based).

        >>> Policy(10, 8, 30).delay(1), Policy(10, 8, 30).delay(4)
        (30.0, 240.0)
        """
        return float(min(self.retry_base * 2.0 ** (attempt - 1), MAX_DELAY))


@dataclass(frozen=True, slots=True)
class Attempt:
    """One POST's outcome: a status when the receiver answered, else what went wrong."""

    status: int | None
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def outcome(self) -> str:
        """A bounded metrics label: ok, http_<status>, or failed (refused, timeout, refused
        connection: the free text stays in the delivery log)."""
        if self.delivered:
            return "ok"
        return "failed" if self.status is None else f"http_{self.status}"


def body_of(delivery: DeliveryRecord, created_at: datetime) -> str:
    """The JSON body: Standard Webhooks' `type`, `timestamp`, `data`."""
    envelope = {
        "type": delivery.event_type,
        "timestamp": created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(envelope, separators=(",", ":"), sort_keys=True)


def signed_headers(secret: str, message_id: str, sent_at: datetime, body: str) -> dict[str, str]:
    signature = Webhook(secret).sign(message_id, sent_at, body)
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
        "user-agent": "ai-model-sync-webhooks/0.1",
    }


class Deliverer:
    """Claims due deliveries and sends them; one per process, sharing the webhook session."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        keys: KeyRing,
        policy: Policy,
        clock: Clock,
        *,
        allow_private: bool = False,
        metrics: Metrics,
    ) -> None:
        self.metrics = metrics
        self.http = http
        self.keys = keys
        self.policy = policy
        self.clock = clock
        self.allow_private = allow_private

    async def run_due(self) -> int:
        """Send what is due now; how many were attempted."""
        now = utc(self.clock)
        until = now + timedelta(seconds=self.policy.timeout + _MARGIN)
        claimed = await webhooks.claim_due(now, until, BATCH)
        await asyncio.gather(*(self._send(delivery) for delivery in claimed))
        return len(claimed)

    async def _send(self, delivery: DeliveryRecord) -> None:
        secret = self.keys.decrypt(await webhooks.secret_of(delivery.endpoint_id), "webhook")
        now = utc(self.clock)
        body = body_of(delivery, delivery.created_at)
        attempt = await self._post(
            delivery.url, signed_headers(secret, delivery.message_id, now, body), body
        )
        number = delivery.attempts + 1
        self.metrics.webhook_deliveries.labels(attempt.outcome).inc()
        given_up = not attempt.delivered and number >= self.policy.max_attempts
        if not attempt.delivered:  # the origin only: a URL's path or query may be a secret
            origin = urlsplit(delivery.url)._replace(path="", query="", fragment="").geturl()
            reason = attempt.error or attempt.status
            log.warning("webhook %s to %s: attempt %d failed (%s)", delivery.message_id, origin,
                        number, reason)  # fmt: skip
        await webhooks.record_attempt(
            delivery.id,
            delivered=attempt.delivered,
            given_up=given_up,
            response_status=attempt.status,
            error=attempt.error,
            now=now,
            next_attempt_at=now + timedelta(seconds=self.policy.delay(number)),
        )

    async def _post(self, url: str, headers: dict[str, str], body: str) -> Attempt:
        try:  # again at each send: a literal address registered while private ones were allowed
            check_url(url, allow_private=self.allow_private)
        except InvalidInputError as exc:
            return Attempt(None, str(exc))
        timeout = aiohttp.ClientTimeout(total=self.policy.timeout)
        try:
            async with self.http.post(
                url, data=body.encode(), headers=headers, timeout=timeout, allow_redirects=False
            ) as response:
                await response.content.read(4096)  # a bounded look; the answer is its status
                error = None if 200 <= response.status < 300 else f"HTTP {response.status}"
                return Attempt(response.status, error)
        except TimeoutError:
            return Attempt(None, f"no answer within {self.policy.timeout:g} s")
        except (aiohttp.ClientError, OSError) as exc:
            reason = getattr(exc, "os_error", None) or exc  # e.g. `PublicResolver`'s refusal
            return Attempt(None, f"{type(exc).__name__}: {reason}"[:300])
