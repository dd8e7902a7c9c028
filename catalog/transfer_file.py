"""The configuration file of an export or import: its format, its keys, a file built from
what is stored (`export_document`), written (`dump`) and read (`load`); pure.

`catalog.transfer` exports and imports with it, `catalog.transfer_check` checks a file read
with it; the CLI's parser offers its `Format`s (nothing here loads the database layer).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from errors import InvalidInputError
from providers import normalize
from storage.figures import SHOWN
from storage.records import ProviderRecord, StoredModel

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
    import yaml  # here: the CLI's parser reads `Format` from this module

    if fmt is Format.JSON:
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(dict(document), sort_keys=False, allow_unicode=True, width=100)


def load(text: str) -> Any:
    """A file's content, JSON or YAML (told apart by the first character)."""
    import yaml

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
