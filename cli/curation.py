"""`ai-model-sync`'s curation commands: export, import, route, probe (see `cli/__init__.py`).

They call the same catalog operations as the GraphQL API (`Catalog.transfer`,
`Catalog.curation`, `Catalog.probes`), so the CLI and the server share every rule.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from catalog.transfer_file import MAX_DOCUMENT, Format
from cli.common import Subparsers, actor, progress
from errors import InvalidInputError

if TYPE_CHECKING:
    from catalog.service import Catalog


async def _export(catalog: Catalog, args: argparse.Namespace) -> int:
    text = await catalog.transfer.export(Format(args.format))
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        progress(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


async def _import(catalog: Catalog, args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file() or path.stat().st_size > MAX_DOCUMENT:
        raise InvalidInputError(f"{args.file}: not a readable file under {MAX_DOCUMENT} bytes")
    changes = await catalog.transfer.import_document(
        actor(), path.read_text(encoding="utf-8"), dry_run=args.dry_run
    )
    for change in changes:
        fields = f" ({', '.join(change.fields)})" if change.fields else ""
        print(f"{change.action}\t{change.entity}\t{change.key}{fields}")
    if not changes:
        progress("nothing to change")
    elif args.dry_run:
        progress(f"dry run: {len(changes)} change(s) planned, nothing written")
    else:
        progress(f"applied {len(changes)} change(s) in one transaction")
    return 0


async def _route(catalog: Catalog, args: argparse.Namespace) -> int:
    route = await catalog.curation.route(args.slot)
    for skipped in route.skipped:
        detail = f": {skipped.detail}" if skipped.detail else ""
        print(
            f"skipped\t{skipped.model.provider}\t{skipped.model.model_id}\t{skipped.reason}{detail}"
        )
    for note in route.notes:
        progress(f"note: {note}")
    if route.model is None:
        progress(f"no usable model in slot {args.slot!r}")
        return 1
    name = route.model.figures.get("display_name") or ""
    print(f"route\t{route.model.provider}\t{route.model.model_id}\t{name}")
    return 0


async def _probe(catalog: Catalog, args: argparse.Namespace) -> int:
    model, outcome = await catalog.probes.test_model(actor(), args.provider, args.model_id)
    state = "ok" if outcome.ok else "FAILED"
    probe = model.probe
    quantiles = ""
    if probe is not None and probe.p50_ms is not None:
        quantiles = f"\tp50 {probe.p50_ms:.0f} ms\tp95 {probe.p95_ms:.0f} ms"
    print(f"{state}\t{outcome.status or '-'}\t{outcome.latency_ms:.0f} ms{quantiles}")
    if outcome.error:
        progress(f"error: {outcome.error}")
    return 0 if outcome.ok else 1


def add_commands(sub: Subparsers) -> None:
    """The curation subcommands, on `cli`'s parser."""
    export = sub.add_parser("export", help="print the saved configuration (no keys) as YAML/JSON")
    export.add_argument("--format", choices=[f.value for f in Format], default="yaml")
    export.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    export.set_defaults(run=_export)

    importing = sub.add_parser(
        "import", help="make the configuration what FILE says (one transaction); prints the plan"
    )
    importing.add_argument("file", metavar="FILE")
    importing.add_argument("--dry-run", action="store_true", help="print the plan only")
    importing.set_defaults(run=_import)

    route = sub.add_parser(
        "route", help="which model a slot's request goes to, and what it skipped"
    )
    route.add_argument("slot")
    route.set_defaults(run=_route)

    probe = sub.add_parser("probe", help="send a saved model the smallest real request (paid)")
    probe.add_argument("provider")
    probe.add_argument("model_id", metavar="MODEL_ID")
    probe.set_defaults(run=_probe)
