"""Everything the service can be told, read once from the environment in `server.py`/`cli.py`.

No other module reads `os.environ`: tests build `Settings(...)` directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from starlette.config import Config
from starlette.datastructures import Secret

_PROVIDER_VAR = re.compile(r"^AI_PROVIDER_([A-Z0-9_]+?)_(BASE_URL|API_KEY|TTL)$")


@dataclass(frozen=True, slots=True)
class ProviderOverride:
    """Per-provider settings from `AI_PROVIDER_<SLUG>_BASE_URL|API_KEY|TTL`."""

    base_url: str | None = None
    api_key: Secret | None = None
    ttl: int | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """The service's configuration; see the README's table for each variable.

    >>> Settings().database_url
    'sqlite://data/ai_model_sync.sqlite3'
    """

    database_url: str = "sqlite://data/ai_model_sync.sqlite3"
    cache_url: str = "memory://"
    host: str = "127.0.0.1"
    port: int = 8000
    list_ttl: int = 600
    stale_ttl: int = 7 * 24 * 3600
    http_connect_timeout: float = 5.0
    http_total_timeout: float = 10.0
    http_retries: int = 2
    http_max_bytes: int = 32 * 1024 * 1024
    token_cache_ttl: float = 30.0
    result_cache_size: int = 64
    graphiql: bool = True
    admin_console: bool = True
    introspection: bool = True
    max_page_size: int = 500
    max_query_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 1000
    log_level: str = "INFO"
    migrate_on_start: bool | None = None
    secret_keys: tuple[Secret, ...] = ()
    cache_namespace: str = "ams"
    failure_retry: int = 30
    providers: Mapping[str, ProviderOverride] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        config = Config(environ=environ)
        defaults = cls()
        return cls(
            database_url=config("DATABASE_URL", default=defaults.database_url),
            cache_url=config("CACHE_URL", default=defaults.cache_url),
            host=config("HOST", default=defaults.host),
            port=config("PORT", cast=int, default=defaults.port),
            list_ttl=config("LIST_TTL", cast=int, default=defaults.list_ttl),
            stale_ttl=config("STALE_TTL", cast=int, default=defaults.stale_ttl),
            http_connect_timeout=config(
                "HTTP_CONNECT_TIMEOUT", cast=float, default=defaults.http_connect_timeout
            ),
            http_total_timeout=config(
                "HTTP_TOTAL_TIMEOUT", cast=float, default=defaults.http_total_timeout
            ),
            http_retries=config("HTTP_RETRIES", cast=int, default=defaults.http_retries),
            http_max_bytes=config("HTTP_MAX_BYTES", cast=int, default=defaults.http_max_bytes),
            token_cache_ttl=config("TOKEN_CACHE_TTL", cast=float, default=defaults.token_cache_ttl),
            result_cache_size=config(
                "RESULT_CACHE_SIZE", cast=int, default=defaults.result_cache_size
            ),
            graphiql=config("GRAPHIQL", cast=bool, default=defaults.graphiql),
            admin_console=config("ADMIN_CONSOLE", cast=bool, default=defaults.admin_console),
            introspection=config("INTROSPECTION", cast=bool, default=defaults.introspection),
            max_page_size=config("MAX_PAGE_SIZE", cast=int, default=defaults.max_page_size),
            max_query_depth=config("MAX_QUERY_DEPTH", cast=int, default=defaults.max_query_depth),
            max_aliases=config("MAX_ALIASES", cast=int, default=defaults.max_aliases),
            max_tokens=config("MAX_TOKENS", cast=int, default=defaults.max_tokens),
            log_level=config("LOG_LEVEL", default=defaults.log_level),
            migrate_on_start=_optional_bool(config, "MIGRATE_ON_START"),
            secret_keys=tuple(
                Secret(key.strip())
                for key in config("SECRET_KEYS", default="").split(",")
                if key.strip()
            ),
            cache_namespace=config("CACHE_NAMESPACE", default=defaults.cache_namespace),
            failure_retry=config("FAILURE_RETRY", cast=int, default=defaults.failure_retry),
            providers=provider_overrides(environ),
        )

    @property
    def migrates_on_start(self) -> bool:
        """`MIGRATE_ON_START`, or when unset: yes for the embedded SQLite file (one process,
        so the README's first command just works), no for a server database, where
        `ai-model-sync migrate` runs once before a rollout."""
        if self.migrate_on_start is not None:
            return self.migrate_on_start
        return self.database_url.startswith("sqlite:")

    def provider(self, slug: str) -> ProviderOverride:
        return self.providers.get(slug, ProviderOverride())


def _optional_bool(config: Config, name: str) -> bool | None:
    """Unset or empty (`NAME=`, as deploy templates often leave it): let the default decide."""
    return None if not config(name, default="") else config(name, cast=bool)


def provider_overrides(environ: Mapping[str, str]) -> dict[str, ProviderOverride]:
    """Collect `AI_PROVIDER_<SLUG>_<FIELD>` variables; `<SLUG>` is upper-cased, `-` as `_`."""
    found: dict[str, dict[str, str]] = {}
    for name, value in environ.items():
        match = _PROVIDER_VAR.match(name)
        if match and value:
            slug = match.group(1).lower()
            found.setdefault(slug, {})[match.group(2)] = value
    return {
        slug: ProviderOverride(
            base_url=values.get("BASE_URL"),
            api_key=Secret(values["API_KEY"]) if "API_KEY" in values else None,
            ttl=int(values["TTL"]) if "TTL" in values else None,
        )
        for slug, values in found.items()
    }
