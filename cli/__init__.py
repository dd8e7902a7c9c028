"""`ai-model-sync`: the same catalog operations without the server, for pipelines and set-up.

Progress goes to stderr, results to stdout; the exit status is 0 on success, 1 when the
operation failed (the reason is printed), 2 for a usage error, and 3 from `drift` and
`sync-saved` when an active saved model is no longer offered by its provider.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cli import audit, catalogs, curation, models, tokens, watching
from cli.common import Command, progress
from errors import ServiceError

if TYPE_CHECKING:
    from tortoise.exceptions import OperationalError

    from settings import Settings


async def _migrate(settings: Settings, target: str | None) -> int:
    from catalog.runtime import migrate_database

    applied = await migrate_database(settings, target)
    for name in applied:
        print(name)
    progress(f"applied {len(applied)} migration(s)" if applied else "the database is up to date")
    return 0


def _parser() -> argparse.ArgumentParser:
    """Every subcommand; each domain's module adds its own (the order is `--help`'s)."""
    parser = argparse.ArgumentParser(prog="ai-model-sync", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the GraphQL service (settings from the environment)")
    migrating = sub.add_parser("migrate", help="apply the database migrations (before a rollout)")
    migrating.add_argument("--target", help="migrate up to this migration (default: latest)")
    models.add_commands(sub)
    audit.add_commands(sub)
    watching.add_commands(sub)
    tokens.add_rotate_keys(sub)
    catalogs.add_commands(sub)
    tokens.add_commands(sub)
    curation.add_commands(sub)
    return parser


async def _run(settings: Settings, command: Command, args: argparse.Namespace) -> int:
    from catalog.runtime import open_catalog  # the database, HTTP, the cache: not for --help

    async with open_catalog(settings) as catalog:
        return await command(catalog, args)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)  # --help and usage errors end here: nothing heavy loaded
    from settings import settings_or_exit

    settings = settings_or_exit(os.environ)  # a bad variable: one line each, exit 2
    if args.command == "serve":
        from server import main as serve

        serve(settings)
        return 0
    from tortoise.exceptions import OperationalError

    try:
        if args.command == "migrate":
            return asyncio.run(_migrate(settings, args.target))
        return asyncio.run(_run(settings, args.run, args))
    except ServiceError as exc:
        progress(f"error: {exc}")
        return 1
    except OperationalError as exc:
        progress(f"error: database: {exc}{_hint(exc)}")
        return 1


def _hint(exc: OperationalError) -> str:
    """A missing table means a database nobody migrated yet; other failures have no hint."""
    text = str(exc)
    missing = "no such table" in text or ("relation" in text and "does not exist" in text)
    return " (has `ai-model-sync migrate` been run?)" if missing else ""
