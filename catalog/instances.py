"""Provider instances as data: what an admin may add, change and deactivate, validated here.

An instance is a registry kind (`providers/<kind>.py`) with its own slug, display name, base
URL, API key and list TTL; several instances of one kind are allowed (two OpenAI-compatible
gateways). Keys are encrypted before they reach `storage` and are never returned: callers see
`has_api_key` and the last four characters.

>>> check_slug("gateway-eu")
'gateway-eu'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypedDict
from urllib.parse import urlsplit

from catalog.keys import KeyRing, last4
from errors import InvalidInputError
from providers import ProviderSpec, Registry
from settings import MAX_PROVIDER_TTL as MAX_TTL
from settings import MIN_PROVIDER_TTL as MIN_TTL
from storage import providers as stored
from storage.records import ProviderRecord

_SLUG = re.compile(r"^[a-z][a-z0-9_-]{1,63}$")
_MAX_KEY = 4096


@dataclass(frozen=True, slots=True)
class NewProvider:
    """What `addProvider` takes; `None` means the kind's default (no key: none needed)."""

    slug: str
    kind: str
    display_name: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    ttl: int | None = None


class ProviderChanges(TypedDict, total=False):
    """What `updateProvider` changes: only the keys present. `None` for `base_url`, `ttl` or
    `api_key` goes back to the default (for a key: removes the stored one)."""

    display_name: str
    base_url: str | None
    api_key: str | None
    ttl: int | None
    is_active: bool


class ProviderAdmin:
    """Adds, changes and lists stored instances (the schema's `providers` domain)."""

    def __init__(self, kinds: Registry, keys: KeyRing) -> None:
        self.kinds = kinds
        self.keys = keys

    async def add(self, new: NewProvider) -> ProviderRecord:
        spec = self._kind(new.kind)
        slug = check_slug(new.slug)
        if slug in self.kinds and slug != spec.kind:
            raise InvalidInputError(
                f"slug {slug!r} names the {slug!r} provider kind; give this {spec.kind!r} "
                "instance another slug"
            )
        values: dict[str, Any] = {
            "slug": slug,
            "kind": spec.kind,
            "display_name": check_display_name(new.display_name or spec.display_name),
            "base_url": check_base_url(new.base_url),
            "ttl": check_ttl(new.ttl),
            **self._key_columns(new.api_key),
        }
        return await stored.create_provider(values)

    async def update(self, slug: str, changes: ProviderChanges) -> ProviderRecord:
        values: dict[str, Any] = {}
        if "display_name" in changes:
            values["display_name"] = check_display_name(changes["display_name"])
        if "base_url" in changes:
            values["base_url"] = check_base_url(changes["base_url"])
        if "ttl" in changes:
            values["ttl"] = check_ttl(changes["ttl"])
        if "is_active" in changes:
            values["is_active"] = changes["is_active"]
        if "api_key" in changes:
            values.update(self._key_columns(changes["api_key"]))
        if not values:
            return await stored.get_provider_record(slug)
        return await stored.update_provider(slug, values)

    async def deactivate(self, slug: str) -> ProviderRecord:
        return await stored.update_provider(slug, {"is_active": False})

    async def instances(self) -> list[ProviderRecord]:
        return await stored.list_providers()

    async def rotate_keys(self) -> int:
        """Re-encrypt every stored key with the first of `SECRET_KEYS`; how many."""
        tokens = [
            (row_id, self.keys.rotate(token)) for row_id, token in await stored.encrypted_keys()
        ]
        await stored.replace_encrypted_keys(tokens)
        return len(tokens)

    def _kind(self, kind: str) -> ProviderSpec:
        spec = self.kinds.get(kind)
        if spec is None:
            known = ", ".join(spec.kind for spec in self.kinds)
            raise InvalidInputError(f"unknown provider kind {kind!r}; known kinds: {known}")
        return spec

    def _key_columns(self, api_key: str | None) -> dict[str, str | None]:
        if api_key is None:
            return {"api_key_encrypted": None, "api_key_last4": None}
        key = check_api_key(api_key)
        return {"api_key_encrypted": self.keys.encrypt(key), "api_key_last4": last4(key)}


def check_slug(slug: str) -> str:
    if not _SLUG.match(slug):
        raise InvalidInputError(
            f"invalid slug {slug!r}: 2-64 characters, lower-case letters, digits, '-' and '_', "
            "starting with a letter"
        )
    return slug


def check_display_name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= 128:
        raise InvalidInputError("displayName must be 1 to 128 characters")
    return name


def check_base_url(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidInputError(
            f"invalid baseUrl {url!r}: an http:// or https:// URL with a host is required"
        )
    if parts.username or parts.password:
        # the URL is stored in clear; credentials belong in the encrypted apiKey
        raise InvalidInputError("baseUrl must not contain credentials; set apiKey instead")
    if len(url.strip()) > 512:
        raise InvalidInputError("baseUrl must be at most 512 characters")
    return url.strip().rstrip("/")


def check_ttl(ttl: int | None) -> int | None:
    if ttl is not None and not MIN_TTL <= ttl <= MAX_TTL:
        raise InvalidInputError(f"ttl must be between {MIN_TTL} and {MAX_TTL} seconds, not {ttl}")
    return ttl


def check_api_key(api_key: str) -> str:
    key = api_key.strip()
    if not key or len(key) > _MAX_KEY or any(ch.isspace() or not ch.isprintable() for ch in key):
        # never echo the value: it may be a real key pasted with a typo
        raise InvalidInputError(
            f"apiKey must be 1 to {_MAX_KEY} printable characters without spaces"
        )
    return key
