"""Everything the service can be told, read once from the environment in `server.py` and `cli/`.

Each setting is declared once, on its `Settings` field: its variable, its form (type and
range), its default and what it means. `Settings.from_env` reads and checks every one of them,
so a bad value stops the process at start with one line per variable (`SettingsError`), never
a traceback later; the README's settings tables are printed from the same declarations
(`python -m settings`), and a test keeps them equal. No other module reads `os.environ`: tests
build `Settings(...)` directly.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

from starlette.datastructures import Secret

from setting_forms import (
    Declaration,
    boolean,
    cache_url,
    choice,
    database_url,
    fernet_keys,
    http_url,
    integer,
    number,
    problem_line,
    secret_text,
    setting,
    text,
)

MIN_PROVIDER_TTL, MAX_PROVIDER_TTL = 10, 7 * 24 * 3600
"""The range of a provider's list TTL, from the environment or from an instance's settings."""
_DAY = 24 * 3600
_MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ProviderOverride:
    """Per-provider settings from `AI_PROVIDER_<SLUG>_BASE_URL|API_KEY|TTL`."""

    base_url: str | None = None
    api_key: Secret | None = None
    ttl: int | None = None


PROVIDER_DECLARATIONS: Mapping[str, Declaration] = {
    "BASE_URL": Declaration(
        "AI_PROVIDER_<SLUG>_BASE_URL",
        http_url(),
        "where the provider's API lives (`<SLUG>` upper-cased, `-` as `_`)",
    ),
    "API_KEY": Declaration(
        "AI_PROVIDER_<SLUG>_API_KEY",
        text(r"\S+", "a key without spaces"),
        "its API key",
        secret=True,
    ),
    "TTL": Declaration(
        "AI_PROVIDER_<SLUG>_TTL",
        integer(MIN_PROVIDER_TTL, MAX_PROVIDER_TTL, "seconds"),
        "seconds its list stays fresh (instead of `LIST_TTL`)",
    ),
}


_PROVIDER_VAR = re.compile(rf"^AI_PROVIDER_([A-Z0-9_]+?)_({'|'.join(PROVIDER_DECLARATIONS)})$")


class SettingsError(ValueError):
    """Settings that cannot be used, one line per variable: the variable, its value and what is
    allowed.

    >>> print(SettingsError(["PORT='x': a whole number from 1 to 65535 is allowed"]))
    PORT='x': a whole number from 1 to 65535 is allowed
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Settings:
    """The service's configuration; see the README's table (printed from these fields).

    >>> Settings().database_url
    'sqlite://data/ai_model_sync.sqlite3'
    >>> Settings(database_url="postgres://db/app").migrate_on_start
    False
    """

    # fmt: off
    database_url: str = setting("sqlite://data/ai_model_sync.sqlite3",
        "DATABASE_URL", database_url(), "Tortoise database URL")
    cache_url: str = setting("memory://",
        "CACHE_URL", cache_url(), "where live lists are cached")
    host: str = setting("127.0.0.1",
        "HOST", text(r"[^\s/]+", "a host name or address"), "where the service listens")
    port: int = setting(8000,
        "PORT", integer(1, 65535), "the port it listens on")
    list_ttl: int = setting(600,
        "LIST_TTL", integer(1, 7 * _DAY, "seconds"), "seconds a live list stays fresh")
    stale_ttl: int = setting(7 * _DAY,
        "STALE_TTL", integer(0, 365 * _DAY, "seconds"),
        "seconds an expired list is kept to be served, marked stale, if the upstream fails")
    http_connect_timeout: float = setting(5.0,
        "HTTP_CONNECT_TIMEOUT", number(0, 300, "seconds"), "seconds to connect to a provider")
    http_total_timeout: float = setting(10.0,
        "HTTP_TOTAL_TIMEOUT", number(0, 600, "seconds"),
        "seconds a whole list fetch may take, retries included")
    http_retries: int = setting(2,
        "HTTP_RETRIES", integer(0, 10), "retries on 408/425/429/5xx, honouring `Retry-After`")
    http_max_bytes: int = setting(32 * _MIB,
        "HTTP_MAX_BYTES", integer(1024, 1024 * _MIB, "bytes"), "largest model list accepted")
    token_cache_ttl: float = setting(30.0,
        "TOKEN_CACHE_TTL", number(0, 3600, "seconds", inclusive=True),
        "seconds a token lookup is remembered (a revoked token stops within this)")
    result_cache_size: int = setting(64,
        "RESULT_CACHE_SIZE", integer(0, 10_000), "executed results kept for unchanged lists")
    graphiql: bool = setting(True,
        "GRAPHIQL", boolean(), "serve GraphiQL at `/graphql` to browsers",
        refusal="`false`: no GraphiQL page")
    admin_console: bool = setting(True,
        "ADMIN_CONSOLE", boolean(), "serve the admin console at `/admin`",
        refusal="`false`: no console (`/admin` is 404)")
    introspection: bool = setting(True,
        "INTROSPECTION", boolean(), "answer `__schema`/`__type` and suggest names",
        refusal="`false`: `__schema`/`__type` refused (`GRAPHQL_VALIDATION_FAILED`), no "
        "\"Did you mean\" in errors")
    max_page_size: int = setting(500,
        "MAX_PAGE_SIZE", integer(1, 10_000), "largest `first`",
        refusal="`BAD_USER_INPUT`: `first` over it")
    max_query_depth: int = setting(10,
        "MAX_QUERY_DEPTH", integer(1, 100), "deepest document",
        refusal="`QUERY_TOO_COMPLEX`: nested deeper (introspection fields not counted)")
    max_aliases: int = setting(15,
        "MAX_ALIASES", integer(0, 1000), "most aliases in a document",
        refusal="`QUERY_TOO_COMPLEX`: more aliases, fragments counted at every use")
    max_fields: int = setting(2000,
        "MAX_FIELDS", integer(1, 1_000_000), "most fields, every fragment expanded at each use",
        refusal="`QUERY_TOO_COMPLEX`: more fields once fragments are expanded (a fragment "
        "spread twice counts twice)")
    max_tokens: int = setting(1000,
        "MAX_TOKENS", integer(1, 100_000), "longest document, in tokens (comments count)",
        refusal="`QUERY_TOO_COMPLEX`: more tokens (the parser stops there)")
    max_query_length: int = setting(64 * 1024,
        "MAX_QUERY_LENGTH", integer(16, 16 * _MIB, "characters"),
        "longest document text, whitespace and comments included",
        refusal="`QUERY_TOO_COMPLEX`: a longer text (refused before parsing)")
    max_body_bytes: int = setting(_MIB,
        "MAX_BODY_BYTES", integer(1024, 64 * _MIB, "bytes"), "largest request body",
        refusal="HTTP 413 `PAYLOAD_TOO_LARGE`: a larger body (never read past the limit)")
    log_level: str = setting("INFO",
        "LOG_LEVEL", choice("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
        "what the server logs")
    migrate_on_start: bool | None = setting(None,
        "MIGRATE_ON_START", boolean(), "apply pending migrations when the server (or a CLI "
        "command) starts", shown_default="`true` for SQLite, else `false`")
    secret_keys: tuple[Secret, ...] = setting((),
        "SECRET_KEYS", fernet_keys(), "the first encrypts stored API keys, all decrypt; without "
        "it no key can be stored", shown_default="none",
        secret=True)
    cache_namespace: str = setting("ams",
        "CACHE_NAMESPACE", text(r"[A-Za-z0-9_.-]{1,64}", "1-64 letters, digits, `_`, `.`, `-`"),
        "prefix of every Redis key (deployments may share a Redis)")
    failure_retry: int = setting(30,
        "FAILURE_RETRY", integer(1, _DAY, "seconds"), "seconds a failed upstream is left alone "
        "(its stale list, or its error, is served at once); at most the provider's TTL")
    catalog_dir: str = setting("data/catalogs",
        "CATALOG_DIR", text(r"\S+", "a directory path"), "where `catalogs update` writes "
        "newer catalog data, read before the installed data")
    genai_prices_url: str = setting(
        "https://raw.githubusercontent.com/pydantic/genai-prices/refs/heads/main/prices/new_data/v2/data.json",
        "GENAI_PRICES_URL", http_url(), "where `catalogs update` fetches genai-prices data",
        shown_default="genai-prices' GitHub data")
    models_dev_url: str = setting("https://models.dev/api.json",
        "MODELS_DEV_URL", http_url(), "where `catalogs update` fetches models.dev data")
    probe_interval: int = setting(60,
        "PROBE_INTERVAL", integer(1, _DAY, "seconds"), "seconds before the same saved model "
        "may be probed again (`testModel`; sooner is RATE_LIMITED): each probe is a paid request",
        refusal="`RATE_LIMITED`: the same model probed again sooner (`retryAfter` seconds)")
    probe_timeout: float = setting(20.0,
        "PROBE_TIMEOUT", number(0.5, 300.0, "seconds"), "how long a probe (`testModel`, "
        "`testProvider`) waits for the provider's answer")
    audit_retention_days: int = setting(365,
        "AUDIT_RETENTION_DAYS", integer(0, 100 * 365, "days"),
        "days an audit-log entry is kept (`0`: for ever)")
    log_format: str = setting("TEXT",
        "LOG_FORMAT", choice("TEXT", "JSON"),
        "`JSON`: one JSON object per line, with the request id")
    metrics: str = setting("OFF",
        "METRICS", choice("OFF", "TOKEN", "PORT"),
        "`/metrics` (Prometheus): `OFF`; `TOKEN` on the service's port, for "
        "`Authorization: Bearer $METRICS_TOKEN`; `PORT` open, on `METRICS_HOST:METRICS_PORT` only")
    metrics_token: Secret | None = setting(None,  # noqa: RUF009 (a Secret is immutable)
        "METRICS_TOKEN", secret_text(r"\S{16,256}", "16 to 256 characters without spaces"),
        "the bearer token a scraper sends when `METRICS=TOKEN`", shown_default="none",
        secret=True)
    metrics_host: str = setting("127.0.0.1",
        "METRICS_HOST", text(r"[^\s/]+", "a host name or address"),
        "where `METRICS=PORT` listens (keep it private)")
    metrics_port: int = setting(9464,
        "METRICS_PORT", integer(1, 65535), "the port `METRICS=PORT` listens on (every worker "
        "shares it)")
    prometheus_multiproc_dir: str | None = setting(None,
        "PROMETHEUS_MULTIPROC_DIR", text(r"\S+", "a directory path"),
        "with several workers: an empty directory they all write their figures to (read by "
        "prometheus-client itself)", shown_default="none")
    otel_endpoint: str | None = setting(None,
        "OTEL_EXPORTER_OTLP_ENDPOINT", http_url(),
        "OpenTelemetry collector (OTLP/HTTP): setting it turns tracing on", shown_default="none")
    otel_traces_exporter: str | None = setting(None,
        "OTEL_TRACES_EXPORTER", text(r"otlp|console|none", "`otlp`, `console` or `none`"),
        "`otlp` or `console` turns tracing on, `none` off", shown_default="none")
    otel_service_name: str = setting("ai-model-sync",
        "OTEL_SERVICE_NAME", text(r"[A-Za-z0-9_.-]{1,64}", "1-64 letters, digits, `_`, `.`, `-`"),
        "the service name traces carry")
    otel_sdk_disabled: bool = setting(False,
        "OTEL_SDK_DISABLED", boolean(), "`true`: no tracing, whatever else is set")
    refresh: bool = setting(True,
        "REFRESH", boolean(), "refresh each active provider instance on its TTL inside the "
        "service, in one worker at a time (`off`: run `ai-model-sync refresh` from cron)")
    refresh_poll: float = setting(15.0,
        "REFRESH_POLL", number(0, 3600, "seconds"),
        "seconds between a worker's looks for due refreshes and webhook deliveries")
    refresh_timeout: float = setting(60.0,
        "REFRESH_TIMEOUT", number(0, 3600, "seconds"), "seconds one scheduled refresh may take")
    refresh_jitter: float = setting(0.1,
        "REFRESH_JITTER", number(0, 1, "a share of the TTL", inclusive=True),
        "each refresh comes up to this share of its TTL late, so instances spread out")
    sync_log_retention: int = setting(90,
        "SYNC_LOG_RETENTION", integer(1, 3650, "days"),
        "days the sync log, change feed and delivery log are kept")
    webhook_allow_private: bool = setting(False,
        "WEBHOOK_ALLOW_PRIVATE", boolean(), "allow webhook URLs on loopback, private and "
        "link-local addresses (checked at registration and at each connection)")
    webhook_timeout: float = setting(10.0,
        "WEBHOOK_TIMEOUT", number(0, 300, "seconds"), "seconds a receiver has to answer")
    webhook_max_attempts: int = setting(8,
        "WEBHOOK_MAX_ATTEMPTS", integer(1, 50), "attempts before a delivery is given up")
    webhook_retry_base: float = setting(30.0,
        "WEBHOOK_RETRY_BASE", number(0, 86400, "seconds"),
        "first retry delay; each next one doubles (at most 6 h)")
    webhook_failure_threshold: int = setting(3,
        "WEBHOOK_FAILURE_THRESHOLD", integer(1, 100),
        "failed refreshes in a row that fire `refresh.failing`")
    # fmt: on
    providers: Mapping[str, ProviderOverride] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.migrate_on_start is None:  # unset: yes for the embedded SQLite file only
            object.__setattr__(self, "migrate_on_start", self.database_url.startswith("sqlite:"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """The settings `environ` gives; `SettingsError` naming every bad variable.

        An empty variable (`NAME=`, as deploy templates often leave it) counts as unset.
        """
        values: dict[str, Any] = {}
        problems: list[str] = []
        for item in declared():
            declaration: Declaration = item.metadata["declaration"]
            raw = environ.get(declaration.variable, "")
            if raw.strip():
                try:
                    values[item.name] = declaration.form.parse(raw.strip())
                except ValueError:
                    problems.append(problem_line(declaration, declaration.variable, raw))
        providers = _provider_overrides(environ, problems)
        if values.get("metrics") == "TOKEN" and "metrics_token" not in values:
            problems.append("METRICS=TOKEN: METRICS_TOKEN must be set too")
        if problems:
            raise SettingsError(problems)
        return cls(**values, providers=providers)

    @property
    def tracing(self) -> bool:
        """Whether the standard `OTEL_*` variables ask for traces."""
        if self.otel_sdk_disabled or self.otel_traces_exporter == "none":
            return False
        return self.otel_endpoint is not None or self.otel_traces_exporter is not None

    def provider(self, slug: str) -> ProviderOverride:
        return self.providers.get(slug, ProviderOverride())


def declared() -> list[dataclasses.Field[Any]]:
    """The declared settings, in the order of the README's tables."""
    return [item for item in dataclasses.fields(Settings) if "declaration" in item.metadata]


def _provider_overrides(
    environ: Mapping[str, str], problems: list[str]
) -> dict[str, ProviderOverride]:
    """Collect `AI_PROVIDER_<SLUG>_<FIELD>` variables; `<SLUG>` is upper-cased, `-` as `_`."""
    found: dict[str, dict[str, Any]] = {}
    for name, raw in sorted(environ.items()):
        match = _PROVIDER_VAR.match(name)
        if not match or not raw.strip():
            continue
        declaration = PROVIDER_DECLARATIONS[match.group(2)]
        try:
            value = declaration.form.parse(raw.strip())
        except ValueError:
            problems.append(problem_line(declaration, name, raw))
            continue
        found.setdefault(match.group(1).lower(), {})[match.group(2)] = value
    return {
        slug: ProviderOverride(
            base_url=values.get("BASE_URL"),
            api_key=Secret(values["API_KEY"]) if "API_KEY" in values else None,
            ttl=values.get("TTL"),
        )
        for slug, values in found.items()
    }


def settings_or_exit(environ: Mapping[str, str]) -> Settings:
    """`Settings.from_env`, or one line per bad variable on stderr and exit status 2: what
    `serve`, `uvicorn --factory` and every CLI command do at start."""
    try:
        return Settings.from_env(environ)
    except SettingsError as exc:
        _exit(exc.problems)


def _exit(problems: list[str]) -> NoReturn:
    for problem in problems:
        print(f"error: setting {problem}", file=sys.stderr, flush=True)
    raise SystemExit(2)


if __name__ == "__main__":  # the README's tables
    from setting_tables import limits_table, settings_table

    fields = declared()
    print(f"{settings_table(fields, PROVIDER_DECLARATIONS)}\n\n{limits_table(fields)}")
