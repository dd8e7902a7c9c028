"""The CLI's `catalogs` command: the price catalogs in use, and `update` to fetch newer data
(logged in the audit log like every other write)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cli.common import Subparsers, actor, progress

if TYPE_CHECKING:
    from catalog.service import Catalog


async def _catalogs(catalog: Catalog, args: argparse.Namespace) -> int:
    from catalog.catalogs import update as catalogs_update

    if args.action == "update":
        written = await catalogs_update.update_recorded(
            catalog.audit,
            actor(),
            catalog.catalogs,
            catalog.lists.http,
            prices_url=catalog.settings.genai_prices_url,
            metadata_url=catalog.settings.models_dev_url,
            now=datetime.now(UTC),
        )
        for line in written:
            progress(line)
    print("\n".join(catalogs_update.describe(await catalog.catalog_info())))
    return 0


def add_commands(sub: Subparsers) -> None:
    """`catalogs [show|update]`, on `cli`'s parser."""
    catalogs = sub.add_parser("catalogs", help="the price catalogs in use; `update` fetches newer")
    actions = catalogs.add_subparsers(dest="action", metavar="{show,update}")
    actions.add_parser("show", help="the catalogs in use (the default)")
    actions.add_parser("update", help="fetch newer catalog data (logged in the audit log)")
    catalogs.set_defaults(run=_catalogs, action="show")
