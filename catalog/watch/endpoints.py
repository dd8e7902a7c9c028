"""Webhook endpoints: registered, changed, removed by admins; URLs checked against the SSRF
policy; secrets generated or given, stored encrypted (`catalog.keys`), shown once.

SSRF stance: a webhook makes this server send a POST where an admin says. Only `http`/`https`
URLs with a host and no credentials are taken. Unless `WEBHOOK_ALLOW_PRIVATE` is on, an address
that is loopback, private, link-local (cloud metadata at 169.254.169.254), multicast, reserved
or unspecified is refused: at registration for a literal address, and at every connection for
a name (`PublicResolver`, so a name that later resolves inward is refused too). Redirects are
never followed.
"""

from __future__ import annotations

import base64
import ipaddress
import secrets
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from catalog.keys import KeyRing
from catalog.watch.events import DEFAULT_EVENTS, EventType
from errors import InvalidInputError
from storage import webhooks
from storage.records.activity import WebhookEndpointRecord

MAX_URL = 2048
_SECRET_PREFIX = "whsec_"


@dataclass(frozen=True, slots=True)
class NewEndpoint:
    url: str
    events: Sequence[str] | None = None
    secret: str | None = None
    description: str = ""
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class Registered:
    """A new endpoint and its signing secret: the only time the secret is shown."""

    endpoint: WebhookEndpointRecord
    secret: str


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return _SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def check_secret(secret: str) -> str:
    body = secret.strip().removeprefix(_SECRET_PREFIX)
    try:
        raw = base64.b64decode(body + "==", validate=False)
    except ValueError:
        raw = b""
    if not 24 <= len(raw) <= 64:
        raise InvalidInputError(
            "secret must be `whsec_` and 24 to 64 bytes in base64 (or leave it out: one is made)"
        )
    return _SECRET_PREFIX + body


def check_events(events: Sequence[str] | None) -> list[str]:
    if events is None:
        return sorted(event.value for event in DEFAULT_EVENTS)
    known = {event.value for event in EventType if event is not EventType.TEST}
    unknown = sorted(set(events) - known)
    if unknown or not events:
        raise InvalidInputError(
            f"events must name at least one of {', '.join(sorted(known))}"
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
        )
    return sorted(set(events))


def check_url(url: str, *, allow_private: bool) -> str:
    """An http(s) URL with a host and no credentials; a private literal address only when
    allowed (names are checked at each connection, by `PublicResolver`)."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or len(url) > MAX_URL:
        raise InvalidInputError(
            f"invalid url: an http:// or https:// URL with a host, at most {MAX_URL} characters"
        )
    if parts.username or parts.password:
        raise InvalidInputError("url must not contain credentials; the signature authenticates")
    if not allow_private:
        try:
            address = ipaddress.ip_address(parts.hostname)
        except ValueError:
            return url
        if not is_public(address):
            raise InvalidInputError(
                f"url points at a non-public address ({address}); an operator allows that "
                "with WEBHOOK_ALLOW_PRIVATE=true"
            )
    return url


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return address.is_global and not address.is_multicast


class PublicResolver(AbstractResolver):
    """Resolves like aiohttp's default, then refuses every address that is not public: a
    webhook can never be aimed inward by DNS."""

    def __init__(self) -> None:
        self._resolver = DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await self._resolver.resolve(host, port, family)
        public = [r for r in found if is_public(ipaddress.ip_address(r["host"]))]
        if not public:
            raise OSError(f"{host} resolves to no public address (WEBHOOK_ALLOW_PRIVATE is off)")
        return public

    async def close(self) -> None:
        await self._resolver.close()


class Endpoints:
    """The admin operations on endpoints; each is one method (the audit log wraps them)."""

    def __init__(self, keys: KeyRing, *, allow_private: bool) -> None:
        self.keys = keys
        self.allow_private = allow_private

    async def register(self, new: NewEndpoint) -> Registered:
        url = check_url(new.url, allow_private=self.allow_private)
        secret = check_secret(new.secret) if new.secret else new_secret()
        values: dict[str, Any] = {
            "url": url,
            "events": check_events(new.events),
            "secret_encrypted": self.keys.encrypt(secret),
            "description": _description(new.description),
            "is_active": new.is_active,
        }
        return Registered(await webhooks.create_endpoint(values), secret)

    async def update(
        self,
        endpoint_id: int,
        *,
        url: str | None = None,
        events: Sequence[str] | None = None,
        is_active: bool | None = None,
        description: str | None = None,
    ) -> WebhookEndpointRecord:
        changes: dict[str, Any] = {}
        if url is not None:
            changes["url"] = check_url(url, allow_private=self.allow_private)
        if events is not None:
            changes["events"] = check_events(events)
        if is_active is not None:
            changes["is_active"] = is_active
        if description is not None:
            changes["description"] = _description(description)
        return await webhooks.update_endpoint(endpoint_id, changes)

    async def remove(self, endpoint_id: int) -> None:
        await webhooks.delete_endpoint(endpoint_id)

    async def rotate_secrets(self) -> int:
        """Re-encrypt every secret with the first of `SECRET_KEYS` (`rotate-keys`)."""
        return await webhooks.rotate_secrets(self.keys.rotate)

    async def list(self) -> list[WebhookEndpointRecord]:
        return await webhooks.list_endpoints()


def _description(text: str) -> str:
    text = text.strip()
    if len(text) > 255:
        raise InvalidInputError("description must be at most 255 characters")
    return text
