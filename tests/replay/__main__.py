"""``python -m tests.replay [--port 8765]``: serve every capture until Ctrl-C or SIGTERM.

Prints one ``<name> <base URL>`` line per provider (then the archived captures) and finally
``ready``, so a script starting it can wait for that line.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import threading
from types import FrameType

from tests.replay.catalogue import GEMINI_PAGED, archive_bases, base_url, serve_catalogue
from tests.replay.server import ReplayServer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.replay", description=__doc__)
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    args = parser.parse_args(argv)
    with ReplayServer(args.port) as server:
        bases = serve_catalogue(server)
        bases[GEMINI_PAGED] = base_url(server.url, "gemini", GEMINI_PAGED)
        bases.update(archive_bases(server.url))
        width = max(map(len, bases))
        for name, url in bases.items():
            print(f"{name:<{width}}  {url}")
        print("ready", flush=True)
        # SIGTERM (how a benchmark stops it) exits through the same clean stop as Ctrl-C.
        signal.signal(signal.SIGTERM, _interrupt)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    main()
