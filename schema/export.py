"""The SDL contract: `schema.graphql` at the repository root is this module's output.

    python -m schema.export > schema.graphql     # regenerate
    python -m schema.export --check              # exit 1 when schema.graphql is out of date

The SDL is printed from the code (`build_schema()`), never edited by hand; a test and CI fail
when the committed file differs, so every schema change shows up in review as a diff of it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from schema import build_schema

SDL_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"


def sdl() -> str:
    """The schema's SDL, as committed (ends with one newline)."""
    return build_schema().as_str().rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m schema.export", description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help=f"compare with {SDL_PATH.name} instead of printing"
    )
    args = parser.parse_args(argv)
    if not args.check:
        sys.stdout.write(sdl())
        return 0
    committed = SDL_PATH.read_text(encoding="utf-8") if SDL_PATH.exists() else ""
    if committed != sdl():
        print(
            f"{SDL_PATH.name} is out of date: run `python -m schema.export > schema.graphql`",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
