"""Opening and closing the database from a URL (`sqlite://path`, `postgres://...`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from tortoise import Tortoise

MODELS_MODULE = "storage.models"


def _ensure_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite://") and ":memory:" not in url:
        Path(url.removeprefix("sqlite://")).parent.mkdir(parents=True, exist_ok=True)


@asynccontextmanager
async def open_database(url: str, *, create_schema: bool = True) -> AsyncIterator[None]:
    """Connect for the lifetime of the block.

    Tortoise's global fallback context is what makes the connection visible to request tasks
    that Starlette runs outside the lifespan task (the same choice as tortoise.contrib.starlette).
    """
    _ensure_sqlite_dir(url)
    await Tortoise.init(
        db_url=url, modules={"models": [MODELS_MODULE]}, _enable_global_fallback=True
    )
    try:
        if create_schema:
            await Tortoise.generate_schemas(safe=True)
        yield
    finally:
        await Tortoise.close_connections()
