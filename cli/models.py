"""The CLI's saved-model commands: `sync`, `clear`, `list`, and the drift pair `drift` and
`sync-saved` (exit 3 when an active saved model is no longer offered)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from catalog import drift
from catalog.drift_json import as_json
from cli.common import Subparsers, actor, progress
from providers import Capability
from storage.figures import FIGURE, Kind

if TYPE_CHECKING:
    from catalog.service import Catalog

EXIT_ACTIVE_MISSING = 3
"""`drift` / `sync-saved`: an active model has disappeared upstream; requests to it will fail."""


async def _sync(catalog: Catalog, args: argparse.Namespace) -> int:
    progress(f"fetching {args.provider}'s model list ...")
    result = await catalog.bulk_sync(
        actor(),
        args.provider,
        capability=Capability(args.capability) if args.capability else None,
        limit=args.limit,
        activate_first=args.activate_first,
    )
    for model_id in result.model_ids:
        print(model_id)
    progress(f"synced {len(result.model_ids)}: {result.created} created, {result.updated} updated")
    return 0


async def _clear(catalog: Catalog, args: argparse.Namespace) -> int:
    deleted = await catalog.clear(actor(), args.provider, keep_active=not args.all)
    progress(f"deleted {deleted} {'' if args.all else 'inactive '}models of {args.provider}")
    return 0


async def _list(catalog: Catalog, args: argparse.Namespace) -> int:
    _, snapshot = await catalog.live(args.provider, use_cache=False)
    for model in snapshot.models:
        if args.capability is None or Capability(args.capability) in model.capabilities:
            caps = ",".join(sorted(model.capabilities))
            print(f"{model.id}\t{model.input_price}\t{model.output_price}\t{caps}")
    return 0


def _drift_exit(report: drift.DriftReport) -> int:
    return EXIT_ACTIVE_MISSING if report.active_missing else 0


def _figure(value: drift.Value) -> str:
    if value is None:
        return "(unknown)"
    if isinstance(value, tuple):
        return ",".join(value) or "(none)"
    return str(value)


def _print_report(report: drift.DriftReport) -> None:
    when = f"{report.fetched_at:%Y-%m-%d %H:%M} UTC{' (STALE)' if report.stale else ''}"
    print(f"{report.provider}: {len(report.models)} saved models vs the list fetched {when}")
    print(
        f"  {len(report.changed)} changed, {len(report.missing)} missing "
        f"({len(report.active_missing)} active), {len(report.unchanged)} unchanged, "
        f"{len(report.unlisted)} unlisted, "
        f"{len(report.retiring)} retiring within {report.retire_within.days} days"
    )
    for warning in report.warnings():
        print(f"!! {warning}")
    for model in report.models:
        if model.status is drift.DriftStatus.UNCHANGED and not model.changes:
            continue
        state = "active" if model.is_active else "inactive"
        label = "ACTIVE MISSING" if model.active_missing else model.status.name.lower()
        print(f"{label:>14}  {model.model_id}  (db id {model.db_id}, {state})")
        for change in model.changes:
            print(f"{'':16}{change.field:<18} {_change(change)}")
    unchanged = [m.model_id for m in report.unchanged if not m.changes]
    if unchanged:
        print(f"{'unchanged':>14}  {', '.join(unchanged)}")


def _change(change: drift.FieldChange) -> str:
    note = "  [admin override kept]" if change.overridden else ""
    note += "" if change.material else "  [cosmetic]"
    if FIGURE[change.field].kind is Kind.LONG_TEXT:  # too long for one line
        sizes = [len(str(text)) if text else 0 for text in (change.old, change.new)]
        return f"rewritten ({sizes[0]} -> {sizes[1]} characters; --json shows both){note}"
    return f"{_figure(change.old)} -> {_figure(change.new)}{note}"


async def _drift(catalog: Catalog, args: argparse.Namespace) -> int:
    progress(f"fetching {args.provider}'s model list ...")
    report = await catalog.drift(
        args.provider, use_cache=False, retire_within_days=args.retire_within
    )
    if args.json:
        print(json.dumps(as_json(report), indent=2))
    else:
        _print_report(report)
    return _drift_exit(report)


async def _sync_saved(catalog: Catalog, args: argparse.Namespace) -> int:
    progress(f"fetching {args.provider}'s model list ...")
    result = await catalog.sync_saved(actor(), args.provider, use_cache=False)
    report = result.report
    for model_id in result.updated:
        print(model_id)
    progress(
        f"updated {len(result.updated)}, unchanged {len(report.unchanged)}, missing "
        f"{len(report.missing)} ({len(report.active_missing)} active, left as they are)"
    )
    for model in report.active_missing:
        progress(f"!! ACTIVE model {model.model_id!r} is no longer offered by {args.provider}")
    return _drift_exit(report)


def add_commands(sub: Subparsers) -> None:
    """`sync`, `clear`, `list`, `drift`, `sync-saved`, on `cli`'s parser."""
    sync = sub.add_parser("sync", help="save a provider's N best models (one transaction)")
    sync.add_argument("provider")
    sync.add_argument("--capability", choices=[c.value for c in Capability])
    sync.add_argument("--limit", type=int, default=50)
    sync.add_argument("--activate-first", action="store_true")
    sync.set_defaults(run=_sync)

    clear = sub.add_parser("clear", help="delete a provider's inactive saved models")
    clear.add_argument("provider")
    clear.add_argument("--all", action="store_true", help="active ones too")
    clear.set_defaults(run=_clear)

    listing = sub.add_parser("list", help="print a provider's live list (id, prices, caps)")
    listing.add_argument("provider")
    listing.add_argument("--capability", choices=[c.value for c in Capability])
    listing.set_defaults(run=_list)

    changes = sub.add_parser(
        "drift",
        help="compare saved models with the live list (exit 3 if an active one disappeared)",
    )
    changes.add_argument("provider")
    changes.add_argument("--json", action="store_true", help="print the report as JSON")
    changes.add_argument(
        "--retire-within",
        type=int,
        default=drift.DEFAULT_RETIRE_WITHIN.days,
        metavar="DAYS",
        help="warn about retirements announced within DAYS (default %(default)s)",
    )
    changes.set_defaults(run=_drift)

    refresh = sub.add_parser(
        "sync-saved",
        help="apply the live figures to the saved models (one transaction; exit 3 as drift)",
    )
    refresh.add_argument("provider")
    refresh.set_defaults(run=_sync_saved)
