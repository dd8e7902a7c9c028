"""``python -m tests.browser.seed``: the CLI's `migrate`, then an `ai.manage` and an `ai.read`
token (printed one a line, in that order), in one process instead of three: the browser tests
start a fresh server, database and all, for each test."""

from __future__ import annotations

import sys

from cli import main

COMMANDS = (
    ["migrate"],
    ["token", "create", "admin"],
    ["token", "create", "viewer", "--permission", "ai.read"],
)


def seed() -> int:
    for argv in COMMANDS:
        code = main(argv)
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(seed())
