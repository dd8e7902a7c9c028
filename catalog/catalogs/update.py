"""`ai-model-sync catalogs update`: newer catalog data, when the deployment has internet.

Run by an operator or a cron job, never at request time and never by the tests against the
internet (they serve constructed data on 127.0.0.1). Each catalog is fetched, checked (it must
parse, and hold models for the providers we enrich) and only then written, atomically, to the
catalog directory; a failed update leaves the data in use as it was. Workers read the new files
when they next start (`Catalogs` loads once per process).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

from catalog.audit import Actor, AuditLog, changes
from catalog.catalogs import METADATA_FILE, PRICES_FILE, CatalogInfo, Catalogs
from catalog.catalogs.enrich import KINDS
from catalog.catalogs.metadata import trim
from errors import ServiceError

TIMEOUT = aiohttp.ClientTimeout(total=60, connect=10)


class CatalogUpdateError(ServiceError):
    """Newer catalog data could not be had or was not believable; nothing was replaced."""


async def update(
    http: aiohttp.ClientSession,
    directory: Path,
    *,
    prices_url: str,
    metadata_url: str,
    now: datetime,
) -> list[str]:
    """Fetch both catalogs and write them; one line per catalog written."""
    prices = await _fetch(http, prices_url)
    metadata = await _fetch(http, metadata_url)
    prices_document = await asyncio.to_thread(_checked_prices, prices, prices_url, now)
    metadata_document = _checked_metadata(metadata, metadata_url, now)
    directory.mkdir(parents=True, exist_ok=True)
    _write(directory / PRICES_FILE, prices_document)
    _write(directory / METADATA_FILE, metadata_document)
    return [
        f"genai-prices: {len(prices)} providers from {prices_url} -> {directory / PRICES_FILE}",
        f"models.dev: {metadata_document['version']} from {metadata_url} -> "
        f"{directory / METADATA_FILE}",
    ]


async def update_recorded(
    audit: AuditLog,
    actor: Actor,
    catalogs: Catalogs,
    http: aiohttp.ClientSession,
    *,
    prices_url: str,
    metadata_url: str,
    now: datetime,
) -> list[str]:
    """`update`, logged as `updateCatalogs` (it changes the prices every list is served
    with): each catalog's version, data date and origin before -> after. A failed update
    writes neither files nor an entry."""
    before = _figures(await catalogs.info())
    async with audit.recording(actor, "updateCatalogs") as entry:
        written = await update(
            http, catalogs.directory, prices_url=prices_url, metadata_url=metadata_url, now=now
        )
        catalogs.reload()
        entry.changes.extend(changes(before, _figures(await catalogs.info())))
        entry.details.update(prices_url=prices_url, metadata_url=metadata_url)
    return written


def _figures(infos: Sequence[CatalogInfo]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for info in infos:
        found |= {
            f"{info.name}.version": info.version,
            f"{info.name}.data_date": info.data_date,
            f"{info.name}.origin": info.origin,
        }
    return found


def describe(catalogs: Sequence[CatalogInfo]) -> list[str]:
    """What `ai-model-sync catalogs` prints: one block per catalog."""
    lines = []
    for info in catalogs:
        lines.append(f"{info.name} {info.version} ({info.origin}; data {info.data_date or '-'})")
        lines.append("  " + ", ".join(f"{k} {n}" for k, n in info.models.items()))
    return lines


async def _fetch(http: aiohttp.ClientSession, url: str) -> Any:
    try:
        async with http.get(url, timeout=TIMEOUT) as response:
            if response.status != 200:
                raise CatalogUpdateError(f"{url} answered HTTP {response.status}")
            return json.loads(await response.read())
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise CatalogUpdateError(f"{url}: {type(exc).__name__}: {exc}") from exc


def _checked_prices(raw: Any, url: str, now: datetime) -> dict[str, Any]:
    """genai-prices' own parser must read it, with models for every provider we price."""
    from genai_prices.types import _providers_from_raw

    if not isinstance(raw, list):
        raise CatalogUpdateError(f"{url}: expected genai-prices' provider array")
    try:
        providers = _providers_from_raw(raw)
    except Exception as exc:  # the library's validation raises several kinds
        raise CatalogUpdateError(f"{url}: not genai-prices data: {type(exc).__name__}") from exc
    known = {p.id for p in providers if p.models}
    wanted = {ids.prices for ids in KINDS.values() if ids.prices}
    if not wanted <= known:
        raise CatalogUpdateError(f"{url}: no models for {', '.join(sorted(wanted - known))}")
    return {"fetched_at": now.astimezone(UTC).isoformat(), "source": url, "providers": raw}


def _checked_metadata(raw: Any, url: str, now: datetime) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise CatalogUpdateError(f"{url}: expected models.dev's api.json object")
    day = now.astimezone(UTC).date().isoformat()
    document = trim(raw, version=day, date=day, source=url)
    empty = sorted(provider for provider, models in document["providers"].items() if not models)
    if empty:
        raise CatalogUpdateError(f"{url}: no models for {', '.join(empty)}")
    return document


def _write(path: Path, document: dict[str, Any]) -> None:
    """Written beside, then renamed over: a reader never sees half a file."""
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(document, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(partial, path)
