"""Export and import of the saved configuration: providers (never their keys), saved models with
their names, flags, figures and capabilities, and slots, as YAML or JSON.

Pure except `Transfer`'s two methods: `document` builds the file from what is stored, `parse`
checks a file (each problem a typed error naming its place: `models[3].provider`), and `plan`
compares it with what is stored. Importing applies the plan in one transaction
(`storage.transfer`); `dry_run` only returns it.

What a file says is the whole truth about what it names: a provider it lists keeps exactly the
saved models the file gives it (others of that provider are removed), and the slots are
exactly the file's. Providers the file does not list, and their models, are left alone; keys
are never touched. Round trip: export, import on an empty database, export: the same file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import yaml

from catalog.audit import Actor
from errors import InvalidInputError
from providers import normalize
from storage import providers as stored_providers
from storage import transfer as stored
from storage.figures import SHOWN
from storage.records import ProviderRecord, StoredModel

if TYPE_CHECKING:
    from catalog.core import CatalogCore

VERSION = 1
MAX_DOCUMENT = 5 * 1024 * 1024


class Format(StrEnum):
    YAML = "yaml"
    JSON = "json"


PROVIDER_KEYS = ("slug", "kind", "displayName", "baseUrl", "ttl", "isActive")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


FIGURE_KEYS = {_camel(figure.name): figure.name for figure in SHOWN}
"""A model's keys in a file -> its figure names: every figure `savedModels` shows, as declared
in `storage.figures` (a new figure is exported and imported without a change here)."""
FLAG_KEYS = ("isActive", "unlisted", "capabilitiesOverridden")


@dataclass(frozen=True, slots=True)
class Change:
    """One line of an import's plan."""

    action: str  # create, change, remove
    entity: str  # provider, model, slot
    key: str
    fields: tuple[str, ...] = ()


def export_document(
    providers: Sequence[ProviderRecord],
    models: Sequence[StoredModel],
    slots: Sequence[tuple[str, str | None, Sequence[tuple[str, str]]]],
) -> dict[str, Any]:
    """The file's content, in a fixed order (so a round trip is byte for byte)."""
    return {
        "version": VERSION,
        "providers": [_provider(p) for p in sorted(providers, key=lambda p: p.slug)],
        "models": [
            exported_model(m) for m in sorted(models, key=lambda m: (m.provider, m.model_id))
        ],
        "slots": [
            {
                "name": name,
                "capability": capability,
                "models": [{"provider": p, "modelId": m} for p, m in entries],
            }
            for name, capability, entries in sorted(slots)
        ],
    }


def _provider(record: ProviderRecord) -> dict[str, Any]:
    return {
        "slug": record.slug,
        "kind": record.kind,
        "displayName": record.display_name,
        "baseUrl": record.base_url,
        "ttl": record.ttl,
        "isActive": record.is_active,
    }


def exported_model(model: StoredModel) -> dict[str, Any]:
    out: dict[str, Any] = {"provider": model.provider, "modelId": model.model_id}
    for key, figure in FIGURE_KEYS.items():
        value = model.figures.get(figure)
        if isinstance(value, Decimal):
            value = str(normalize(value))
        if figure == "tags":
            value = list(value or [])
        out[key] = value
    out.update(
        isActive=model.is_active,
        unlisted=model.unlisted,
        capabilitiesOverridden=model.capabilities_overridden,
    )
    return out


def dump(document: Mapping[str, Any], fmt: Format) -> str:
    if fmt is Format.JSON:
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(dict(document), sort_keys=False, allow_unicode=True, width=100)


def load(text: str) -> Any:
    """A file's content, JSON or YAML (told apart by the first character)."""
    if len(text) > MAX_DOCUMENT:
        raise InvalidInputError(f"the file is over {MAX_DOCUMENT} characters", field="document")
    try:
        if text.lstrip().startswith("{"):
            return json.loads(text)
        return yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        where = getattr(exc, "problem_mark", None) or getattr(exc, "lineno", None)
        raise InvalidInputError(
            f"the file is neither valid JSON nor YAML{f' (at {where})' if where else ''}",
            field="document",
        ) from None


class Transfer:
    """`Catalog.transfer`: export and import (see the module docstring)."""

    def __init__(self, catalog: CatalogCore) -> None:
        self.catalog = catalog

    async def export(self, fmt: Format) -> str:
        providers = await stored_providers.list_providers()
        models, slots = await stored.read_all()
        return dump(export_document(providers, models, slots), fmt)

    async def import_document(self, actor: Actor, text: str, *, dry_run: bool) -> list[Change]:
        """The plan of importing `text`, applied in one transaction with its audit entry
        unless `dry_run` (which writes nothing, not even an entry)."""
        from catalog.transfer_check import check_document, plan

        document = check_document(load(text), self.catalog.kinds)
        providers = await stored_providers.list_providers()
        models, slots = await stored.read_all()
        changes = plan(document, providers, models, slots)
        if dry_run:
            return changes
        async with self.catalog.audit.recording(actor, "importConfiguration") as entry:
            if changes:
                await stored.apply(document, changes)
            entry.model_ids += [c.key.split("/", 1)[1] for c in changes if c.entity == "model"]
            entry.details["plan"] = [
                {"action": c.action, "entity": c.entity, "key": c.key, "fields": list(c.fields)}
                for c in changes
            ]
        return changes
