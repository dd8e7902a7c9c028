"""The CLI's secrets commands: `token create|revoke|list` (API tokens) and `rotate-keys`
(re-encrypt stored provider keys and webhook secrets with the first of `SECRET_KEYS`)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from catalog.permissions import MANAGE, PERMISSIONS
from cli.common import Subparsers, actor, duration, progress, when

if TYPE_CHECKING:
    from catalog.service import Catalog


async def _token_create(catalog: Catalog, args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    expires_at = now + args.expires_in if args.expires_in else None
    token = await catalog.tokens.create(
        actor(), args.name, args.permission or [MANAGE], expires_at=expires_at
    )
    until = f"expires {when(expires_at)}" if expires_at else "never expires"
    progress(f"token {args.name!r} created ({until}); it is shown once, store it now:")
    print(token)
    return 0


async def _token_revoke(catalog: Catalog, args: argparse.Namespace) -> int:
    revoked = await catalog.tokens.revoke(actor(), args.name)
    progress(f"revoked {revoked} token(s) named {args.name!r}")
    return 0 if revoked else 1


async def _token_list(catalog: Catalog, args: argparse.Namespace) -> int:
    from catalog.access import list_tokens

    now = datetime.now(UTC)
    print("name\tpermissions\tstate\tcreated\texpires\tlast used")
    for token in await list_tokens():
        print(
            f"{token.name}\t{','.join(token.permissions)}\t{token.state(now)}\t"
            f"{when(token.created_at)}\t{when(token.expires_at, 'never')}\t"
            f"{when(token.last_used_at, 'never')}"
        )
    return 0


async def _rotate_keys(catalog: Catalog, args: argparse.Namespace) -> int:
    rotated = await catalog.providers.rotate_keys(actor())
    secrets = await catalog.watch.endpoints.rotate_secrets()
    progress(
        f"re-encrypted {rotated} stored API key(s) and {secrets} webhook secret(s) with the "
        "first of SECRET_KEYS"
    )
    return 0


def add_rotate_keys(sub: Subparsers) -> None:
    """`rotate-keys`, on `cli`'s parser."""
    rotate = sub.add_parser(
        "rotate-keys", help="re-encrypt stored API keys with the first of SECRET_KEYS"
    )
    rotate.set_defaults(run=_rotate_keys)


def add_commands(sub: Subparsers) -> None:
    """`token create|revoke|list`, on `cli`'s parser."""
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
