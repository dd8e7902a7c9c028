"""The CLI's watching commands: `refresh` (for cron, when `REFRESH=off`), `sync-log`, and
`webhook add|list|remove|test`. Registered on `cli`'s parser; they use the catalog only."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from catalog.watch.events import EventType
from cli.common import Subparsers, actor, progress
from errors import ServiceError

if TYPE_CHECKING:
    from catalog.service import Catalog
    from storage.records.activity import SyncRunRecord


def _run_line(run: SyncRunRecord) -> str:
    if run.outcome == "failed":
        return f"{run.provider}\tfailed\t{run.error}"
    diff = (
        "baseline"
        if run.baseline
        else (f"+{run.added} -{run.removed} ~{run.changed} ({run.cosmetic} cosmetic)")
    )
    return f"{run.provider}\tok\t{run.models} models\t{diff}\t{run.duration_ms} ms"


async def _refresh(catalog: Catalog, args: argparse.Namespace) -> int:
    """Fetch each named (default: every active stored) provider's list now; exit 1 when one
    failed. Each fetch enters the sync log and raises its webhook events; due deliveries are
    sent before the command ends."""
    slugs = args.provider or [p.slug for p in await catalog.providers.instances() if p.is_active]
    failed = 0
    for slug in slugs:
        try:
            _, snapshot = await catalog.refresh(actor(), slug, trigger="cli")
            failed += snapshot.stale
        except ServiceError as exc:
            progress(f"error: {exc}")
            failed += 1
            continue
        page = await catalog.watch.sync_runs(slug, first=1, after=None)
        if page.items:
            print(_run_line(page.items[0]))
    sent = await catalog.watch.deliverer.run_due()
    progress(f"refreshed {len(slugs)} providers ({failed} failed); {sent} webhook deliveries sent")
    return 1 if failed else 0


async def _sync_log(catalog: Catalog, args: argparse.Namespace) -> int:
    page = await catalog.watch.sync_runs(args.provider, first=args.limit, after=None)
    for run in page.items:
        print(f"{run.started_at:%Y-%m-%d %H:%M:%S}\t{run.trigger}\t{_run_line(run)}")
    return 0


async def _webhook_add(catalog: Catalog, args: argparse.Namespace) -> int:
    from catalog.watch.endpoints import NewEndpoint  # aiohttp's resolver

    registered = await catalog.watch.register_webhook(
        actor(),
        NewEndpoint(args.url, events=args.event, secret=args.secret, description=args.description),
    )
    endpoint = registered.endpoint
    print(f"{endpoint.id}\t{endpoint.url}\t{','.join(endpoint.events)}")
    print(registered.secret)
    progress("the secret above is shown this once: receivers verify signatures with it")
    return 0


async def _webhook_list(catalog: Catalog, args: argparse.Namespace) -> int:
    for endpoint in await catalog.watch.webhook_endpoints():
        state = "active" if endpoint.is_active else "paused"
        print(f"{endpoint.id}\t{state}\t{endpoint.url}\t{','.join(endpoint.events)}")
    return 0


async def _webhook_remove(catalog: Catalog, args: argparse.Namespace) -> int:
    await catalog.watch.remove_webhook(actor(), args.id)
    progress(f"removed webhook endpoint {args.id}")
    return 0


async def _webhook_test(catalog: Catalog, args: argparse.Namespace) -> int:
    delivery = await catalog.watch.send_test_webhook(actor(), args.id)
    answer = delivery.response_status or delivery.last_error
    print(f"{delivery.message_id}\t{delivery.status}\t{answer}")
    return 0 if delivery.status == "delivered" else 1


def add_commands(sub: Subparsers) -> None:
    """`refresh`, `sync-log`, `webhook ...`, on `cli`'s parser."""
    refresh = sub.add_parser(
        "refresh", help="fetch providers' lists now, log what changed, send webhooks (for cron)"
    )
    refresh.add_argument("provider", nargs="*", help="default: every active stored instance")
    refresh.set_defaults(run=_refresh)
    log = sub.add_parser("sync-log", help="the latest refreshes, newest first")
    log.add_argument("provider", nargs="?")
    log.add_argument("--limit", type=int, default=20)
    log.set_defaults(run=_sync_log)
    hooks = sub.add_parser("webhook", help="webhook endpoints").add_subparsers(
        dest="action", required=True
    )
    add = hooks.add_parser("add", help="register an endpoint; prints its secret once")
    add.add_argument("url")
    choices = [e.value for e in EventType if e is not EventType.TEST]
    add.add_argument("--event", action="append", choices=choices, help="repeatable")
    add.add_argument("--secret", help="a whsec_ secret of your own (default: generated)")
    add.add_argument("--description", default="")
    add.set_defaults(run=_webhook_add)
    hooks.add_parser("list", help="every endpoint").set_defaults(run=_webhook_list)
    for name, run, what in (
        ("remove", _webhook_remove, "remove an endpoint and its delivery log"),
        ("test", _webhook_test, "send a signed webhook.test event now"),
    ):
        command = hooks.add_parser(name, help=what)
        command.add_argument("id", type=int)
        command.set_defaults(run=run)
