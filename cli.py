"""`ai-model-sync`: the same catalog operations without the server, for pipelines and set-up.

Progress goes to stderr, results to stdout; the exit status is 0 on success, 1 when the
operation failed (the reason is printed), 2 for a usage error, and 3 from `drift` and
`sync-saved` when an active saved model is no longer offered by its provider.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import OperationalError

import cli_curation
import cli_watch
from catalog import drift
from catalog.access import MANAGE, PERMISSIONS, list_tokens
from catalog.audit import Actor
from catalog.audit_text import audit_json, audit_line
from catalog.catalogs import update as catalogs_update
from catalog.drift_json import as_json
from catalog.runtime import migrate_database, open_catalog
from catalog.service import Catalog
from errors import ServiceError
from providers import Capability
from settings import Settings, settings_or_exit
from storage.figures import FIGURE, Kind
from storage.records import AuditFilter


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def _sync(catalog: Catalog, args: argparse.Namespace) -> int:
    _progress(f"fetching {args.provider}'s model list ...")
    result = await catalog.bulk_sync(
        Actor.cli(),
        args.provider,
        capability=Capability(args.capability) if args.capability else None,
        limit=args.limit,
        activate_first=args.activate_first,
    )
    for model_id in result.model_ids:
        print(model_id)
    _progress(f"synced {len(result.model_ids)}: {result.created} created, {result.updated} updated")
    return 0


async def _clear(catalog: Catalog, args: argparse.Namespace) -> int:
    deleted = await catalog.clear(Actor.cli(), args.provider, keep_active=not args.all)
    _progress(f"deleted {deleted} {'' if args.all else 'inactive '}models of {args.provider}")
    return 0


async def _list(catalog: Catalog, args: argparse.Namespace) -> int:
    _, snapshot = await catalog.live(args.provider, use_cache=False)
    for model in snapshot.models:
        if args.capability is None or Capability(args.capability) in model.capabilities:
            caps = ",".join(sorted(model.capabilities))
            print(f"{model.id}\t{model.input_price}\t{model.output_price}\t{caps}")
    return 0


EXIT_ACTIVE_MISSING = 3
"""`drift` / `sync-saved`: an active model has disappeared upstream; requests to it will fail."""


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
            note = "  [admin override kept]" if change.overridden else ""
            note += "" if change.material else "  [cosmetic]"
            if FIGURE[change.field].kind is Kind.LONG_TEXT:  # too long for one line
                sizes = [len(str(text)) if text else 0 for text in (change.old, change.new)]
                detail = f"rewritten ({sizes[0]} -> {sizes[1]} characters; --json shows both)"
            else:
                detail = f"{_figure(change.old)} -> {_figure(change.new)}"
            print(f"{'':16}{change.field:<18} {detail}{note}")
    unchanged = [m.model_id for m in report.unchanged if not m.changes]
    if unchanged:
        print(f"{'unchanged':>14}  {', '.join(unchanged)}")


async def _drift(catalog: Catalog, args: argparse.Namespace) -> int:
    _progress(f"fetching {args.provider}'s model list ...")
    report = await catalog.drift(
        args.provider, use_cache=False, retire_within_days=args.retire_within
    )
    if args.json:
        print(json.dumps(as_json(report), indent=2))
    else:
        _print_report(report)
    return _drift_exit(report)


async def _sync_saved(catalog: Catalog, args: argparse.Namespace) -> int:
    _progress(f"fetching {args.provider}'s model list ...")
    result = await catalog.sync_saved(Actor.cli(), args.provider, use_cache=False)
    report = result.report
    for model_id in result.updated:
        print(model_id)
    _progress(
        f"updated {len(result.updated)}, unchanged {len(report.unchanged)}, missing "
        f"{len(report.missing)} ({len(report.active_missing)} active, left as they are)"
    )
    for model in report.active_missing:
        _progress(f"!! ACTIVE model {model.model_id!r} is no longer offered by {args.provider}")
    return _drift_exit(report)


async def _token_create(catalog: Catalog, args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    expires_at = now + args.expires_in if args.expires_in else None
    token = await catalog.tokens.create(
        Actor.cli(), args.name, args.permission or [MANAGE], expires_at=expires_at
    )
    until = f"expires {_when(expires_at)}" if expires_at else "never expires"
    _progress(f"token {args.name!r} created ({until}); it is shown once, store it now:")
    print(token)
    return 0


async def _token_revoke(catalog: Catalog, args: argparse.Namespace) -> int:
    revoked = await catalog.tokens.revoke(Actor.cli(), args.name)
    _progress(f"revoked {revoked} token(s) named {args.name!r}")
    return 0 if revoked else 1


async def _token_list(catalog: Catalog, args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    print("name\tpermissions\tstate\tcreated\texpires\tlast used")
    for token in await list_tokens():
        print(
            f"{token.name}\t{','.join(token.permissions)}\t{token.state(now)}\t"
            f"{_when(token.created_at)}\t{_when(token.expires_at, 'never')}\t"
            f"{_when(token.last_used_at, 'never')}"
        )
    return 0


def _when(moment: datetime | None, none: str = "") -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else none


_DURATION = re.compile(r"(\d{1,6})([mhdw])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def duration(text: str) -> timedelta:
    """`--expires-in`: a number and a unit, `m`inutes, `h`ours, `d`ays or `w`eeks (`90d`).

    >>> duration("90d"), duration("12h")
    (datetime.timedelta(days=90), datetime.timedelta(seconds=43200))
    """
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None or int(match.group(1)) == 0:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a duration: a number and m, h, d or w (e.g. 90d, 12h)"
        )
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def since(text: str) -> datetime:
    """`audit --since`: a duration back from now (`24h`, `7d`) or an ISO date or time (UTC
    unless it says otherwise)."""
    try:
        return datetime.now(UTC) - duration(text)
    except argparse.ArgumentTypeError:
        pass
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither a duration (24h, 7d) nor an ISO date or time (2026-12-01)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def _audit(catalog: Catalog, args: argparse.Namespace) -> int:
    where = AuditFilter(args.actor, args.provider, args.model, args.operation, args.since)
    page = await catalog.audit.page(where, first=args.limit)
    for record in page.entries:
        if args.json:
            print(json.dumps(audit_json(record), sort_keys=True))
        else:
            print(audit_line(record))
    if page.end_cursor:
        _progress(f"(more entries: raise --limit above {args.limit} or narrow --since)")
    return 0


async def _rotate_keys(catalog: Catalog, args: argparse.Namespace) -> int:
    rotated = await catalog.providers.rotate_keys(Actor.cli())
    secrets = await catalog.watch.endpoints.rotate_secrets()
    _progress(
        f"re-encrypted {rotated} stored API key(s) and {secrets} webhook secret(s) with the "
        "first of SECRET_KEYS"
    )
    return 0


Command = Callable[[Catalog, argparse.Namespace], Awaitable[int]]


async def _catalogs(catalog: Catalog, args: argparse.Namespace) -> int:
    if args.action == "update":
        written = await catalogs_update.update_recorded(
            catalog.audit,
            Actor.cli(),
            catalog.catalogs,
            catalog.lists.http,
            prices_url=catalog.settings.genai_prices_url,
            metadata_url=catalog.settings.models_dev_url,
            now=datetime.now(UTC),
        )
        for line in written:
            _progress(line)
    print("\n".join(catalogs_update.describe(await catalog.catalog_info())))
    return 0


async def _migrate(settings: Settings, target: str | None) -> int:
    applied = await migrate_database(settings, target)
    for name in applied:
        print(name)
    _progress(f"applied {len(applied)} migration(s)" if applied else "the database is up to date")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ai-model-sync", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the GraphQL service (settings from the environment)")
    migrating = sub.add_parser("migrate", help="apply the database migrations (before a rollout)")
    migrating.add_argument("--target", help="migrate up to this migration (default: latest)")

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

    audit = sub.add_parser("audit", help="the audit log: who changed what, newest first")
    audit.add_argument("--since", type=since, help="24h, 7d, or an ISO date/time")
    audit.add_argument("--actor", help="only this token name (or cli:<user>)")
    audit.add_argument("--provider", help="only changes to this provider instance")
    audit.add_argument("--model", help="only changes that touched this model id")
    audit.add_argument("--operation", help="only this operation (saveModel, bulkSync, ...)")
    audit.add_argument("--limit", type=int, default=100, help="at most this many (1-500)")
    audit.add_argument("--json", action="store_true", help="one JSON object per line")
    audit.set_defaults(run=_audit)

    cli_watch.add_commands(sub)
    rotate = sub.add_parser(
        "rotate-keys", help="re-encrypt stored API keys with the first of SECRET_KEYS"
    )
    rotate.set_defaults(run=_rotate_keys)

    catalogs = sub.add_parser("catalogs", help="the price catalogs in use; `update` fetches newer")
    actions = catalogs.add_subparsers(dest="action", metavar="{show,update}")
    actions.add_parser("show", help="the catalogs in use (the default)")
    actions.add_parser("update", help="fetch newer catalog data (logged in the audit log)")
    catalogs.set_defaults(run=_catalogs, action="show")

    token = sub.add_parser("token", help="API tokens").add_subparsers(dest="action", required=True)
    create = token.add_parser("create", help="create a token and print it once")
    create.add_argument("name")
    create.add_argument("--permission", action="append", choices=PERMISSIONS)
    create.add_argument(
        "--expires-in",
        type=duration,
        metavar="DURATION",
        help="stop working after this long: 30m, 12h, 90d, 2w (default: never)",
    )
    create.set_defaults(run=_token_create)
    revoke = token.add_parser("revoke", help="revoke every token of that name")
    revoke.add_argument("name")
    revoke.set_defaults(run=_token_revoke)
    token.add_parser("list", help="every token: state, expiry, when last used").set_defaults(
        run=_token_list
    )
    cli_curation.add_commands(sub)
    return parser


async def _run(settings: Settings, command: Command, args: argparse.Namespace) -> int:
    async with open_catalog(settings) as catalog:
        return await command(catalog, args)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = settings_or_exit(os.environ)  # a bad variable: one line each, exit 2
    if args.command == "serve":
        from server import main as serve

        serve(settings)
        return 0
    try:
        if args.command == "migrate":
            return asyncio.run(_migrate(settings, args.target))
        return asyncio.run(_run(settings, args.run, args))
    except ServiceError as exc:
        _progress(f"error: {exc}")
        return 1
    except OperationalError as exc:
        _progress(f"error: database: {exc}{_hint(exc)}")
        return 1


def _hint(exc: OperationalError) -> str:
    """A missing table means a database nobody migrated yet; other failures have no hint."""
    text = str(exc)
    missing = "no such table" in text or ("relation" in text and "does not exist" in text)
    return " (has `ai-model-sync migrate` been run?)" if missing else ""


if __name__ == "__main__":
    sys.exit(main())
