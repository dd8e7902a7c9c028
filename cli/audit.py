"""The CLI's `audit` command: the audit log, newest first, as lines or JSON objects."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from catalog.audit_text import audit_json, audit_line
from cli.common import Subparsers, progress, since
from storage.records.activity import AuditFilter

if TYPE_CHECKING:
    from catalog.service import Catalog


async def _audit(catalog: Catalog, args: argparse.Namespace) -> int:
    where = AuditFilter(args.actor, args.provider, args.model, args.operation, args.since)
    page = await catalog.audit.page(where, first=args.limit)
    for record in page.entries:
        if args.json:
            print(json.dumps(audit_json(record), sort_keys=True))
        else:
            print(audit_line(record))
    if page.end_cursor:
        progress(f"(more entries: raise --limit above {args.limit} or narrow --since)")
    return 0


def add_commands(sub: Subparsers) -> None:
    """`audit`, on `cli`'s parser."""
    audit = sub.add_parser("audit", help="the audit log: who changed what, newest first")
    audit.add_argument("--since", type=since, help="24h, 7d, or an ISO date/time")
    audit.add_argument("--actor", help="only this token name (or cli:<user>)")
    audit.add_argument("--provider", help="only changes to this provider instance")
    audit.add_argument("--model", help="only changes that touched this model id")
    audit.add_argument("--operation", help="only this operation (saveModel, bulkSync, ...)")
    audit.add_argument("--limit", type=int, default=100, help="at most this many (1-500)")
    audit.add_argument("--json", action="store_true", help="one JSON object per line")
    audit.set_defaults(run=_audit)
