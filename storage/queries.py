"""Every query the service makes. Resolvers and the catalog call these; none build their own.

The hot path, `catalog_state`, is one SELECT whatever the size of the list it annotates.
Writes are set-based: `bulk_upsert` is one SELECT and one INSERT .. ON CONFLICT for any N.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from storage.models import ApiToken, Provider, SavedModel


@dataclass(frozen=True, slots=True)
class ProviderRecord:
    """A stored provider instance, as the catalog needs it (the key still encrypted)."""

    id: int
    slug: str
    kind: str
    display_name: str
    base_url: str | None
    api_key: str | None
    ttl: int | None
    is_active: bool


@dataclass(frozen=True, slots=True)
class SavedState:
    """What the live list shows of a saved model: that it is saved, its row id, its flag."""

    db_id: int
    is_active: bool


@dataclass(frozen=True, slots=True)
class CatalogState:
    """A provider's stored instance (if any) and which of its models are saved."""

    provider: ProviderRecord | None
    saved: Mapping[str, SavedState] = field(default_factory=dict)

    def fingerprint(self) -> tuple[object, ...]:
        """Changes whenever anything this state shows changes: a key for cached results."""
        return (self.provider, tuple(sorted(self.saved.items())))


@dataclass(frozen=True, slots=True)
class ModelValues:
    """The figures stored for a model; `capabilities` are capability names."""

    model_id: str
    name: str
    description: str | None
    capabilities: Sequence[str]
    input_price: Decimal | None
    output_price: Decimal | None
    context_window: int | None
    max_output_tokens: int | None
    sources: Mapping[str, str]
    raw: Mapping[str, Any]


_PROVIDER_FIELDS = ("id", "slug", "kind", "display_name", "base_url", "api_key", "ttl", "is_active")
_UPDATABLE = (
    "name",
    "description",
    "capabilities",
    "input_price",
    "output_price",
    "context_window",
    "max_output_tokens",
    "sources",
    "upstream",
    "updated_at",
)


_STATE_COLUMNS = (*_PROVIDER_FIELDS, "models__model_id", "models__id", "models__is_active")
_state_sql: dict[type[BaseDBAsyncClient], str] = {}


async def catalog_state(slug: str) -> CatalogState:
    """The provider row and its saved models' states, in one query (a LEFT JOIN).

    This runs on every `availableModels` request, so its SQL, written by Tortoise, is built
    once per kind of database client and then reused: building it (0.3 ms) cost more than
    running it on SQLite (0.2 ms).
    """
    db = Provider._meta.db
    sql = _state_sql.get(type(db))
    if sql is None:
        sql = _state_sql[type(db)] = _state_query(db)
    rows = await db.execute_query_dict(sql, [slug])
    if not rows:
        return CatalogState(provider=None)
    first = rows[0]
    provider = ProviderRecord(
        **{name: first[name] for name in _PROVIDER_FIELDS if name != "is_active"},
        is_active=bool(first["is_active"]),
    )
    saved = {
        row["models__model_id"]: SavedState(row["models__id"], bool(row["models__is_active"]))
        for row in rows
        if row["models__id"] is not None
    }
    return CatalogState(provider=provider, saved=saved)


def _state_query(db: BaseDBAsyncClient) -> str:
    """`catalog_state`'s SQL for `db`, with the slug as its one parameter."""
    marker = "catalog-state-slug-parameter"
    query = Provider.filter(slug=marker).using_db(db).values(*_STATE_COLUMNS)
    sql = str(query.sql())
    if marker in sql:  # the slug must be a parameter, never part of the cached text
        raise RuntimeError("catalog_state: the slug was inlined in its SQL")
    return sql


async def get_provider(slug: str) -> ProviderRecord | None:
    return (await catalog_state(slug)).provider


async def ensure_provider(slug: str, kind: str, display_name: str) -> int:
    """The id of the provider row, created on first use (race-safe on the unique slug)."""
    row, _ = await Provider.get_or_create(
        slug=slug, defaults={"kind": kind, "display_name": display_name}
    )
    return int(row.id)


async def save_model(
    provider_id: int, values: ModelValues, *, is_active: bool | None, overridden: bool
) -> tuple[SavedModel, bool]:
    """Insert or update one model; `is_active=None` keeps an existing model's flag.

    The unique (provider, model_id) constraint arbitrates concurrent saves: the loser of an
    insert race updates the winner's row, so two simultaneous saves end with one row.
    """
    fields = _fields(values, overridden)
    created = False
    if not await SavedModel.exists(provider_id=provider_id, model_id=values.model_id):
        try:
            await SavedModel.create(provider_id=provider_id, **fields, is_active=bool(is_active))
            created = True
        except IntegrityError:
            pass
    if not created:
        changes = dict(fields) if is_active is None else {**fields, "is_active": is_active}
        await SavedModel.filter(provider_id=provider_id, model_id=values.model_id).update(**changes)
    row = await SavedModel.get(provider_id=provider_id, model_id=values.model_id)
    return row, created


def _fields(values: ModelValues, overridden: bool) -> dict[str, Any]:
    return {
        "model_id": values.model_id,
        "name": values.name[:255],
        "description": values.description,
        "capabilities": list(values.capabilities),
        "capabilities_overridden": overridden,
        "input_price": values.input_price,
        "output_price": values.output_price,
        "context_window": values.context_window,
        "max_output_tokens": values.max_output_tokens,
        "sources": dict(values.sources),
        "upstream": dict(values.raw),
        "updated_at": datetime.now(UTC),
    }


async def bulk_upsert(
    provider_id: int, models: Sequence[ModelValues], *, activate_first: bool
) -> tuple[int, int]:
    """Store many models in one transaction: (created, updated).

    Existing models keep their active flag and any capabilities an admin set by hand.
    Two statements for any N: the SELECT of what exists, then one INSERT .. ON CONFLICT DO
    UPDATE run for every row (`executemany`). The rows go to the driver as Tortoise's field
    conversions make them, without a model instance each: building 500 `SavedModel`s and
    letting `bulk_create` rebuild its statement cost more than the database's own work.
    """
    now = datetime.now(UTC)
    async with in_transaction() as db:
        existing = {
            row["model_id"]: row
            for row in await SavedModel.filter(provider_id=provider_id).values(
                "model_id", "capabilities", "capabilities_overridden"
            )
        }
        rows = []
        for values in models:
            old = existing.get(values.model_id)
            overridden = bool(old and old["capabilities_overridden"])
            fields = _fields(values, overridden)
            if overridden and old is not None:
                fields["capabilities"] = old["capabilities"]
            fields.update(provider_id=provider_id, is_active=False, created_at=now, updated_at=now)
            rows.append(fields)
        if rows:
            sql, columns = _upsert_statement(db)
            fields = SavedModel._meta.fields_map
            # what a model instance would do: to Python (quantized decimals...), then to the db
            convert = [(c, fields[c].to_python_value, fields[c].to_db_value) for c in columns]
            await db.execute_many(
                sql,
                [[to_db(to_py(row[c]), SavedModel) for c, to_py, to_db in convert] for row in rows],
            )
        if activate_first and models:
            await SavedModel.filter(provider_id=provider_id, model_id=models[0].model_id).update(
                is_active=True
            )
    created = sum(1 for values in models if values.model_id not in existing)
    return created, len(models) - created


_upsert_sql: dict[type[BaseDBAsyncClient], tuple[str, tuple[str, ...]]] = {}


def _upsert_statement(db: BaseDBAsyncClient) -> tuple[str, tuple[str, ...]]:
    """`bulk_upsert`'s statement as Tortoise's `bulk_create` writes it for `db`, and the fields
    its parameters take, in order; built once per kind of database client."""
    kind = type(db)
    if kind not in _upsert_sql:
        columns = tuple(db.executor_class(model=SavedModel, db=db).regular_columns)
        template = SavedModel(provider_id=0, model_id="", name="")
        query = SavedModel.bulk_create(
            [template],
            on_conflict=["provider_id", "model_id"],
            update_fields=list(_UPDATABLE),
            using_db=db,
        )
        sql = str(query.sql())
        listed = ",".join(f'"{column}"' for column in columns)
        if listed not in sql.replace("`", '"'):  # the parameters must follow `columns`
            raise RuntimeError(f"bulk_upsert: unexpected INSERT column order in {sql[:200]}")
        _upsert_sql[kind] = (sql, columns)
    return _upsert_sql[kind]


async def clear_models(provider_id: int, *, keep_active: bool) -> int:
    """Delete a provider's inactive models (or all of them); the number deleted."""
    query = SavedModel.filter(provider_id=provider_id)
    if keep_active:
        query = query.filter(is_active=False)
    return int(await query.delete())


async def list_saved(
    *, provider: str | None = None, active: bool | None = None
) -> list[SavedModel]:
    """Saved models with their provider, in one query, newest first."""
    query = SavedModel.all().select_related("provider").order_by("-updated_at", "id")
    if provider is not None:
        query = query.filter(provider__slug=provider)
    if active is not None:
        query = query.filter(is_active=active)
    return await query


# --- API tokens -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """Who a bearer token belongs to and what it may do."""

    id: int
    name: str
    permissions: frozenset[str]


def hash_token(token: str) -> str:
    """Tokens are 256-bit random strings, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(name: str, permissions: Iterable[str]) -> str:
    """Create a token and return it in clear: the only time it is ever visible."""
    token = f"ams_{secrets.token_urlsafe(32)}"
    await ApiToken.create(
        name=name, token_hash=hash_token(token), permissions=sorted(set(permissions))
    )
    return token


async def find_token(token: str) -> TokenRecord | None:
    row = await ApiToken.get_or_none(token_hash=hash_token(token), revoked_at=None)
    if row is None:
        return None
    return TokenRecord(row.id, row.name, frozenset(row.permissions))


async def revoke_tokens(name: str) -> int:
    """Revoke every live token of that name; the number revoked."""
    return int(
        await ApiToken.filter(name=name, revoked_at=None).update(revoked_at=datetime.now(UTC))
    )
