"""GraphQL types of the providers domain. An instance never shows its key: only whether one
is set and its last four characters."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import strawberry

from providers import ProviderSpec
from storage.records import ProviderRecord


@strawberry.type(description="A provider kind this server can talk to (a registry module).")
class ProviderKind:
    kind: str = strawberry.field(description="The kind's name, as `addProvider(kind:)` takes it.")
    display_name: str = strawberry.field(description="Human-readable name.")
    default_base_url: str = strawberry.field(description="Where its API lives by default.")
    needs_key: bool = strawberry.field(description="Whether listing models needs an API key.")
    docs_url: str = strawberry.field(description="The upstream's model-list API reference.")

    @classmethod
    def from_spec(cls, spec: ProviderSpec) -> ProviderKind:
        return cls(
            kind=spec.kind,
            display_name=spec.display_name,
            default_base_url=spec.base_url,
            needs_key=spec.needs_key,
            docs_url=spec.docs_url,
        )


@strawberry.type(description="A stored provider instance: a kind with its own settings.")
class ProviderInstance:
    id: strawberry.ID = strawberry.field(description="The row id.")
    slug: str = strawberry.field(description="How operations name it (`provider:` arguments).")
    kind: str = strawberry.field(description="Its registry kind.")
    display_name: str = strawberry.field(description="Human-readable name.")
    base_url: str | None = strawberry.field(
        description=(
            "Its own base URL; null means the kind's default (or the environment's). Without "
            "`ai.manage`, its query string (which may hold a key) is left out."
        )
    )
    has_api_key: bool = strawberry.field(description="Whether an API key is stored for it.")
    api_key_last4: str | None = strawberry.field(
        description="The stored key's last four characters (null for none or a short key)."
    )
    ttl: int | None = strawberry.field(
        description="Seconds its live list stays fresh; null means the server's `LIST_TTL`."
    )
    is_active: bool = strawberry.field(description="False once deactivated: not listed from.")

    @classmethod
    def from_record(cls, record: ProviderRecord, *, manager: bool = True) -> ProviderInstance:
        """`manager`: the caller may change the instance, so sees its whole base URL."""
        base_url = record.base_url
        if base_url is not None and not manager:
            base_url = urlunsplit(urlsplit(base_url)._replace(query="", fragment=""))
        return cls(
            id=strawberry.ID(str(record.id)),
            slug=record.slug,
            kind=record.kind,
            display_name=record.display_name,
            base_url=base_url,
            has_api_key=record.api_key_encrypted is not None,
            api_key_last4=record.api_key_last4,
            ttl=record.ttl,
            is_active=record.is_active,
        )


@strawberry.type(description="The kinds this server knows and the instances stored.")
class ProviderList:
    kinds: list[ProviderKind] = strawberry.field(description="Registry kinds, by name.")
    instances: list[ProviderInstance] = strawberry.field(description="Stored instances, by slug.")


@strawberry.input(description="A new provider instance.")
class AddProviderInput:
    slug: str = strawberry.field(
        description="2-64 characters: a-z, 0-9, '-', '_', starting with a letter; unique."
    )
    kind: str = strawberry.field(description="A registry kind (see `providers { kinds }`).")
    display_name: str | None = strawberry.field(
        default=None, description="Defaults to the kind's name."
    )
    base_url: str | None = strawberry.field(
        default=None, description="http(s) URL; defaults to the kind's."
    )
    api_key: str | None = strawberry.field(
        default=None, description="Stored encrypted; never shown again."
    )
    ttl: int | None = strawberry.field(
        default=None, description="Seconds its list stays fresh (10 to 604800)."
    )


@strawberry.input(description="Changes to an instance: only the fields given change.")
class UpdateProviderInput:
    display_name: str | None = strawberry.field(default=strawberry.UNSET, description="A new name.")
    base_url: str | None = strawberry.field(
        default=strawberry.UNSET, description="A new base URL; null: the kind's default."
    )
    api_key: str | None = strawberry.field(
        default=strawberry.UNSET, description="A new key (stored encrypted); null removes it."
    )
    ttl: int | None = strawberry.field(
        default=strawberry.UNSET, description="A new TTL; null: the server's `LIST_TTL`."
    )
    is_active: bool | None = strawberry.field(
        default=strawberry.UNSET, description="true reactivates a deactivated instance."
    )
