"""``python -m web.revendor [--check | --update]``: vendor the pinned npm packages again.

For each package in `web/vendor.json` it runs `npm pack name@version` (npm's own client, which
verifies the tarball against the registry's `dist.integrity`), asks `npm view` for that
`dist.integrity`, hashes the tarball itself, and stops unless all three agree and equal the
integrity recorded in the manifest (`--update` records a new one: after changing a version).
It then rewrites `web/static/vendor/` from the tarballs (stylesheets get their `data:` URLs
moved to files, see `web.data_urls`) and the manifest's SRI hashes. `--check` writes nothing
and exits 1 when the committed files differ from what the registry serves.

Needs `npm` and the registry; the service itself never does (no Node at install or run time).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import replace
from pathlib import Path

from web import data_urls
from web.vendor import MANIFEST, VENDOR, Manifest, Package, parse, sri


class VendorError(RuntimeError):
    """The registry's answer does not match what was pinned or recorded."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m web.revendor", description=__doc__)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="compare only; write nothing")
    mode.add_argument("--update", action="store_true", help="record new tarball integrities")
    args = parser.parse_args(argv)
    pinned = parse(MANIFEST.read_text())
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "vendor"
        try:
            fresh = vendor_all(pinned, Path(scratch), out, accept_new=args.update)
        except VendorError as exc:
            print(f"revendor: {exc}", file=sys.stderr)
            return 1
        if args.check:
            return _compare(fresh, out)
        shutil.rmtree(VENDOR, ignore_errors=True)
        shutil.copytree(out, VENDOR)
        MANIFEST.write_text(fresh.to_json())
    print(f"vendored {len(fresh.files)} files from {len(fresh.packages)} packages")
    return 0


def vendor_all(pinned: Manifest, scratch: Path, out: Path, *, accept_new: bool) -> Manifest:
    packages: list[Package] = []
    files: dict[str, dict[str, str]] = {}
    for package in pinned.packages:
        tarball, integrity = fetch(package, scratch)
        if package.integrity not in (None, integrity) and not accept_new:
            raise VendorError(
                f"{package.spec}: the registry's integrity {integrity} differs from the one "
                f"recorded ({package.integrity}); run with --update only if the version changed"
            )
        packages.append(replace(package, integrity=integrity))
        files.update(unpack(package, tarball, out))
    return Manifest(tuple(packages), files)


def fetch(package: Package, scratch: Path) -> tuple[Path, str]:
    """The package's tarball via `npm pack`, and its integrity once npm and we agree on it."""
    packed = json.loads(_npm("pack", package.spec, "--json", "--pack-destination", str(scratch)))
    tarball = scratch / packed[0]["filename"]
    registry = json.loads(_npm("view", package.spec, "dist.integrity", "--json"))
    ours = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if not packed[0]["integrity"] == registry == ours:
        raise VendorError(
            f"{package.spec}: integrity mismatch: npm pack {packed[0]['integrity']}, "
            f"registry {registry}, tarball {ours}"
        )
    return tarball, ours


def unpack(package: Package, tarball: Path, out: Path) -> dict[str, dict[str, str]]:
    """Write the package's pinned files under `out`; their manifest entries."""
    entries: dict[str, dict[str, str]] = {}
    with tarfile.open(tarball) as archive:
        for source, target in package.files.items():
            member = archive.extractfile(f"package/{source}")
            if member is None:
                raise VendorError(f"{package.spec} has no file {source}")
            content = member.read()
            entry = {"sha384": sri(content)}
            if target.endswith(".css"):
                css, assets = data_urls.extract(content.decode())
                if assets:
                    entry = {"sha384": sri(css.encode()), "npm_sha384": sri(content)}
                    content = css.encode()
                    folder = Path(target).parent / "assets"
                    for name, asset in assets.items():
                        _write(out / folder / name, asset)
                        entries[f"{folder}/{name}"] = {"sha384": sri(asset)}
            _write(out / target, content)
            entries[target] = entry
    return entries


def _compare(fresh: Manifest, out: Path) -> int:
    committed, served = _files(VENDOR), _files(out)
    paths = committed.keys() | served.keys()
    differ = sorted(p for p in paths if committed.get(p) != served.get(p))
    if MANIFEST.read_text() != fresh.to_json():
        differ.append(str(MANIFEST.name))
    for path in differ:
        print(f"revendor: differs from the registry: {path}", file=sys.stderr)
    if not differ:
        print(f"{len(served)} vendored files match the registry")
    return 1 if differ else 0


def _files(folder: Path) -> dict[str, bytes]:
    files = (p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _npm(*args: str) -> str:
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError("npm is not installed (needed to re-vendor, never to run the service)")
    done = subprocess.run([npm, *args], capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise VendorError(f"npm {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


if __name__ == "__main__":
    sys.exit(main())
