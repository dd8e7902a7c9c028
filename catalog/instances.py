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

from catalog.audit import Actor, AuditLog, changes
from catalog.keys import KeyRing, last4
from errors import InvalidInputError
from providers import ProviderSpec, Registry
from settings import MAX_PROVIDER_TTL as MAX_TTL
from settings import MIN_PROVIDER_TTL as MIN_TTL
from storage import providers as stored
from storage.records import ProviderRecord
from storage.records.activity import AuditChange

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

    def __init__(self, kinds: Registry, keys: KeyRing, audit: AuditLog) -> None:
        self.kinds = kinds
        self.keys = keys
        self.audit = audit

    async def add(self, actor: Actor, new: NewProvider) -> ProviderRecord:
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
        async with self.audit.recording(actor, "addProvider", provider=slug) as entry:
            record = await stored.create_provider(values)
            entry.changes += changes({}, audited(record), secrets=SECRET)
        return record

    async def update(self, actor: Actor, slug: str, wanted: ProviderChanges) -> ProviderRecord:
        values: dict[str, Any] = {}
        if "display_name" in wanted:
            values["display_name"] = check_display_name(wanted["display_name"])
        if "base_url" in wanted:
            values["base_url"] = check_base_url(wanted["base_url"])
        if "ttl" in wanted:
            values["ttl"] = check_ttl(wanted["ttl"])
        if "is_active" in wanted:
            values["is_active"] = wanted["is_active"]
        if "api_key" in wanted:
            values.update(self._key_columns(wanted["api_key"]))
        return await self._change(actor, "updateProvider", slug, values)

    async def deactivate(self, actor: Actor, slug: str) -> ProviderRecord:
        return await self._change(actor, "deactivateProvider", slug, {"is_active": False})

    async def _change(
        self, actor: Actor, operation: str, slug: str, values: dict[str, Any]
    ) -> ProviderRecord:
        async with self.audit.recording(actor, operation, provider=slug) as entry:
            before = await stored.get_provider_record(slug)
            after = await stored.update_provider(slug, values) if values else before
            entry.changes += changes(audited(before), audited(after), secrets=SECRET)
            if "api_key_encrypted" in values and before.api_key_encrypted:
                entry.changes = [c for c in entry.changes if c.field != "api_key"]
                entry.changes += _replaced_key(values["api_key_encrypted"] is not None)
        return after

    async def instances(self) -> list[ProviderRecord]:
        return await stored.list_providers()

    async def rotate_keys(self, actor: Actor) -> int:
        """Re-encrypt every stored key with the first of `SECRET_KEYS`; how many."""
        async with self.audit.recording(actor, "rotateKeys") as entry:
            tokens = [
                (row_id, self.keys.rotate(token)) for row_id, token in await stored.encrypted_keys()
            ]
            await stored.replace_encrypted_keys(tokens)
            entry.details["rotated"] = len(tokens)
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


SECRET = frozenset({"api_key"})


def audited(record: ProviderRecord) -> dict[str, Any]:
    """What the audit log compares of an instance; the key only as present or not."""
    return {
        "kind": record.kind,
        "display_name": record.display_name,
        "base_url": record.base_url,
        "ttl": record.ttl,
        "is_active": record.is_active,
        "api_key": "(set)" if record.api_key_encrypted else None,
    }


def _replaced_key(given: bool) -> list[AuditChange]:
    """A stored key replaced by another ("changed") or removed: never either value."""
    return [AuditChange("api_key", "set", "changed" if given else "removed")]


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
