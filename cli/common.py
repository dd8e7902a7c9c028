"""What every CLI command module shares: the command's signature, progress on stderr, the
audit log's actor, and the time forms the options take and print.

The parser is built on every start, `--help` and a usage error included, so the command
modules import here, at their top, only what their options need (choices, defaults): the
catalog, the database and HTTP are imported inside the commands that use them
(`tests/test_cli_start.py` holds it)."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from catalog.audit import Actor
    from catalog.service import Catalog

Command: TypeAlias = "Callable[[Catalog, argparse.Namespace], Awaitable[int]]"
"""A subcommand: runs on an open catalog, returns the exit status."""

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""Where each module adds its subcommands (`add_commands`)."""


def actor() -> Actor:
    """Who the audit log names for a CLI write: `cli:<user>`."""
    from catalog.audit import Actor

    return Actor.cli()


def progress(message: str) -> None:
    """Progress and notes go to stderr, so stdout holds the results alone."""
    print(message, file=sys.stderr, flush=True)


def when(moment: datetime | None, none: str = "") -> str:
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
