"""From a provider slug to what can be fetched: the kind's spec, where its list lives, the key
to send and how long the list stays fresh.

Stored instance settings win over environment overrides (`AI_PROVIDER_<SLUG>_*`), which win
over the kind's defaults. A stored key is decrypted here, where a request to the provider is
about to be made, and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog.keys import KeyRing
from errors import ConfigError, NotFoundError
from providers import Endpoint, Registry
from settings import Settings
from storage.records import ProviderRecord


@dataclass(frozen=True, slots=True)
class ResolvedProvider:
    """A slug made concrete: endpoint to call, list TTL, and whether a row is stored."""

    endpoint: Endpoint
    ttl: int
    stored_id: int | None

    @property
    def slug(self) -> str:
        return self.endpoint.slug


class Resolver:
    """Resolves slugs against the registry's kinds, the settings and the key ring."""

    def __init__(self, settings: Settings, kinds: Registry, keys: KeyRing) -> None:
        self.settings = settings
        self.kinds = kinds
        self.keys = keys

    def resolve(self, slug: str, stored: ProviderRecord | None) -> ResolvedProvider:
        kind = stored.kind if stored else slug
        spec = self.kinds.get(kind)
        if spec is None:
            known = ", ".join(spec.kind for spec in self.kinds)
            raise NotFoundError(f"unknown provider {slug!r}; known providers: {known}")
        if stored is not None and not stored.is_active:
            raise ConfigError(f"provider {slug!r} is deactivated; an admin can reactivate it")
        override = self.settings.provider(slug)
        api_key = str(override.api_key) if override.api_key else None
        if stored is not None and stored.api_key_encrypted:
            api_key = self.keys.decrypt(stored.api_key_encrypted, slug)
        endpoint = Endpoint(
            slug=slug,
            spec=spec,
            base_url=(stored and stored.base_url) or override.base_url or spec.base_url,
            api_key=api_key,
        )
        ttl = (stored and stored.ttl) or override.ttl or self.settings.list_ttl
        return ResolvedProvider(endpoint, ttl, stored.id if stored else None)
