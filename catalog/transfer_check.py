"""An import file checked (`check_document`) and compared with what is stored (`plan`).
Every problem is an `InvalidInputError` whose `field` is its place in the file
(`providers[0].kind`, `slots[1].models[0]`); nothing is written before the whole file passed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from catalog import instances
from catalog.curation import check_display_name, check_notes, check_tags
from catalog.routing import check_slot_name
from catalog.transfer_file import (
    FIGURE_KEYS,
    FLAG_KEYS,
    PROVIDER_KEYS,
    VERSION,
    Change,
    exported_model,
)
from errors import InvalidInputError, ServiceError
from providers import Capability, Registry
from storage.figures import FIGURE, TEXT_LENGTH, Kind
from storage.records import ProviderRecord, StoredModel
from storage.transfer import Document, ImportModel, ImportProvider, ImportSlot

_MODEL_KEYS = {"provider", "modelId", *FIGURE_KEYS, *FLAG_KEYS}
_COMPARED_PROVIDER = ("display_name", "base_url", "ttl", "is_active")


def check_document(data: Any, kinds: Registry) -> Document:
    if not isinstance(data, dict):
        raise InvalidInputError(
            "the file must hold an object (version, providers, ...)", field="document"
        )
    if data.get("version") != VERSION:
        raise InvalidInputError(f"version must be {VERSION}", field="version")
    unknown = set(data) - {"version", "providers", "models", "slots"}
    if unknown:
        raise InvalidInputError(
            f"unknown keys: {', '.join(sorted(map(str, unknown)))}", field="document"
        )
    providers = [
        _provider(p, f"providers[{i}]", kinds) for i, p in enumerate(_list(data, "providers"))
    ]
    slugs = [p.slug for p in providers]
    _unique(slugs, "providers", ".slug")
    models = [_model(m, f"models[{i}]", set(slugs)) for i, m in enumerate(_list(data, "models"))]
    _unique([(m.provider, m.model_id) for m in models], "models", ".modelId")
    named = [(m.provider, m.figures.get("display_name")) for m in models]
    _unique(
        [n if n[1] is not None else (i,) for i, n in enumerate(named)], "models", ".displayName"
    )
    keys = {(m.provider, m.model_id) for m in models}
    slots = [_slot(s, f"slots[{i}]", keys) for i, s in enumerate(_list(data, "slots"))]
    _unique([s.name for s in slots], "slots", ".name")
    return Document(tuple(providers), tuple(models), tuple(slots))


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise InvalidInputError(f"{key} must be a list", field=key)
    return value


def _object(value: Any, where: str, allowed: set[str] | tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInputError(f"{where} must be an object", field=where)
    unknown = set(value) - set(allowed)
    if unknown:
        name = sorted(map(str, unknown))[0]
        raise InvalidInputError(f"{where}: unknown key {name!r}", field=f"{where}.{name}")
    return value


def _unique(keys: Sequence[object], section: str, suffix: str) -> None:
    seen: set[object] = set()
    for index, key in enumerate(keys):
        if key in seen:
            where = f"{section}[{index}]{suffix}"
            raise InvalidInputError(f"{where}: given twice", field=where)
        seen.add(key)


def _rename(exc: ServiceError, where: str) -> InvalidInputError:
    return InvalidInputError(f"{where}: {exc}", field=where)


def _provider(value: Any, where: str, kinds: Registry) -> ImportProvider:
    data = _object(value, where, PROVIDER_KEYS)
    kind = data.get("kind")
    spec = kinds.get(kind) if isinstance(kind, str) else None
    if spec is None:
        known = ", ".join(spec.kind for spec in kinds)
        raise InvalidInputError(
            f"{where}.kind: unknown provider kind {kind!r}; known: {known}", field=f"{where}.kind"
        )
    default_name = spec.display_name
    checks: dict[str, Callable[[], Any]] = {
        "slug": lambda: instances.check_slug(str(data.get("slug", ""))),
        "displayName": lambda: instances.check_display_name(
            str(data.get("displayName") or default_name)
        ),
        "baseUrl": lambda: instances.check_base_url(data.get("baseUrl")),
        "ttl": lambda: instances.check_ttl(_int(data.get("ttl"), f"{where}.ttl")),
    }
    checked: dict[str, Any] = {}
    for key, check in checks.items():
        try:
            checked[key] = check()
        except ServiceError as exc:
            raise _rename(exc, f"{where}.{key}") from None
    return ImportProvider(
        slug=checked["slug"],
        kind=spec.kind,
        display_name=checked["displayName"],
        base_url=checked["baseUrl"],
        ttl=checked["ttl"],
        is_active=_bool(data.get("isActive", True), f"{where}.isActive"),
    )


def _model(value: Any, where: str, slugs: set[str]) -> ImportModel:
    data = _object(value, where, _MODEL_KEYS)
    provider = data.get("provider")
    if provider not in slugs:
        raise InvalidInputError(
            f"{where}.provider: {provider!r} is not among the file's providers",
            field=f"{where}.provider",
        )
    model_id = data.get("modelId")
    if not isinstance(model_id, str) or not 1 <= len(model_id) <= TEXT_LENGTH:
        raise InvalidInputError(f"{where}.modelId must be a model id", field=f"{where}.modelId")
    figures = {
        figure: _figure(figure, data.get(key), f"{where}.{key}")
        for key, figure in FIGURE_KEYS.items()
    }
    if not figures["name"]:
        figures["name"] = model_id
    return ImportModel(
        provider=str(provider),
        model_id=model_id,
        figures=figures,
        is_active=_bool(data.get("isActive", False), f"{where}.isActive"),
        unlisted=_bool(data.get("unlisted", False), f"{where}.unlisted"),
        overridden=_bool(
            data.get("capabilitiesOverridden", False), f"{where}.capabilitiesOverridden"
        ),
    )


def _figure(name: str, value: Any, where: str) -> Any:
    try:
        if name == "display_name":
            return check_display_name(_text(value, where))
        if name == "notes":
            return check_notes(_text(value, where))
        if name == "tags":
            if value is not None and not isinstance(value, list):
                raise InvalidInputError("tags must be a list")
            return check_tags([str(tag) for tag in value or []])
        kind = FIGURE[name].kind
        if kind is Kind.CAPABILITIES:
            if not isinstance(value, list) or not value:
                raise InvalidInputError("capabilities must be a list naming at least one")
            return sorted(Capability(str(cap)).value for cap in value)
        if kind is Kind.PRICE:
            return None if value is None else _price(value)
        if kind is Kind.TOKENS:
            return _int(value, where)
        return None if _text(value, where) is None else FIGURE[name].column_value(value)
    except (ServiceError, ValueError) as exc:
        raise InvalidInputError(f"{where}: {exc}", field=where) from None


def _text(value: Any, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InvalidInputError(f"{where} must be a text", field=where)
    return value


def _price(value: Any) -> Decimal:
    try:
        price = Decimal(str(value))
    except InvalidOperation:
        raise ValueError("must be a number") from None
    if not price.is_finite() or price < 0:
        raise ValueError("must be a number, 0 or more")
    return price


def _int(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(f"{where} must be a whole number", field=where)
    return value


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInputError(f"{where} must be true or false", field=where)
    return value


def _slot(value: Any, where: str, keys: set[tuple[str, str]]) -> ImportSlot:
    data = _object(value, where, ("name", "capability", "models"))
    try:
        name = check_slot_name(str(data.get("name", "")))
        capability = data.get("capability")
        if capability is not None:
            capability = Capability(str(capability)).value
    except (ServiceError, ValueError) as exc:
        raise InvalidInputError(f"{where}: {exc}", field=f"{where}.name") from None
    entries = []
    for index, entry in enumerate(data.get("models") or []):
        place = f"{where}.models[{index}]"
        entry = _object(entry, place, ("provider", "modelId"))
        key = (str(entry.get("provider")), str(entry.get("modelId")))
        if key not in keys:
            raise InvalidInputError(
                f"{place}: {key[1]!r} of {key[0]!r} is not among the file's models", field=place
            )
        entries.append(key)
    _unique(entries, f"{where}.models", "")
    return ImportSlot(name, capability, tuple(entries))


def plan(
    document: Document,
    providers: Sequence[ProviderRecord],
    models: Sequence[StoredModel],
    slots: Sequence[tuple[str, str | None, Sequence[tuple[str, str]]]],
) -> list[Change]:
    """What importing `document` changes, in the order it is applied."""
    changes: list[Change] = []
    stored = {p.slug: p for p in providers}
    for new in document.providers:
        old = stored.get(new.slug)
        if old is None:
            changes.append(Change("create", "provider", new.slug))
            continue
        differ = tuple(f for f in _COMPARED_PROVIDER if getattr(old, f) != getattr(new, f))
        if old.kind != new.kind:
            raise InvalidInputError(
                f"provider {new.slug!r} is stored as a {old.kind!r}, the file says {new.kind!r}",
                field="providers",
            )
        if differ:
            changes.append(Change("change", "provider", new.slug, differ))
    named = {p.slug for p in document.providers}
    saved = {(m.provider, m.model_id): m for m in models if m.provider in named}
    wanted = {(m.provider, m.model_id): m for m in document.models}
    for key in sorted(set(saved) - set(wanted)):
        changes.append(Change("remove", "model", "/".join(key)))
    for key, new_model in wanted.items():
        old_model = saved.get(key)
        if old_model is None:
            changes.append(Change("create", "model", "/".join(key)))
            continue
        differ = tuple(_model_differences(old_model, new_model))
        if differ:
            changes.append(Change("change", "model", "/".join(key), differ))
    old_slots = {name: (cap, tuple(entries)) for name, cap, entries in slots}
    new_slots = {s.name: (s.capability, s.models) for s in document.slots}
    for name in sorted(set(old_slots) - set(new_slots)):
        changes.append(Change("remove", "slot", name))
    for name, value in new_slots.items():
        if name not in old_slots:
            changes.append(Change("create", "slot", name))
        elif old_slots[name] != value:
            changes.append(Change("change", "slot", name, ("models",)))
    return changes


def _model_differences(old: StoredModel, new: ImportModel) -> list[str]:
    before = exported_model(old)
    after: dict[str, Any] = {
        "isActive": new.is_active,
        "unlisted": new.unlisted,
        "capabilitiesOverridden": new.overridden,
    }
    for key, figure in FIGURE_KEYS.items():
        value = new.figures.get(figure)
        after[key] = str(value.normalize()) if isinstance(value, Decimal) else value
    differ = []
    for key, value in after.items():
        old_value = before.get(key)
        if key in ("inputPrice", "outputPrice"):
            same = (old_value is None and value is None) or (
                old_value is not None and value is not None and Decimal(old_value) == Decimal(value)
            )
        else:
            same = old_value == value
        if not same:
            differ.append(key)
    return differ
