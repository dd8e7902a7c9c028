"""Every example in the docstrings runs, in every module of the service and of the replay
upstream, found by walking the tree (so a module added later is covered without being listed
here)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.database import open_database

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("providers", "storage", "catalog", "schema", "cli", "tests.replay")
MODULES = ("errors", "settings", "setting_forms", "setting_tables", "server")


def _modules() -> list[str]:
    found = list(MODULES)
    for package in PACKAGES:
        found.append(package)
        folder = ROOT.joinpath(*package.split("."))
        walked = pkgutil.walk_packages([str(folder)], prefix=f"{package}.")
        found.extend(module.name for module in walked)
    return sorted(found)


@pytest.fixture
async def tortoise_context() -> AsyncIterator[None]:
    """Tortoise's `connections` is a proxy that raises outside a context, and the doctest
    finder inspects every name a module holds: give it one to inspect."""
    async with open_database("sqlite://:memory:"):
        yield


@pytest.mark.parametrize("name", _modules())
def test_examples_in_docstrings(name: str, tortoise_context: None) -> None:
    module = importlib.import_module(name)
    assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0
