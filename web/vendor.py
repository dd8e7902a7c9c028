"""The vendored front-end libraries: which npm packages, at which versions, with which hashes.

`web/vendor.json` is the one declaration. Its `packages` pin each npm package (name, exact
version, the files taken from its tarball and where they go under `static/vendor/`) with the
tarball's npm integrity; its `files` record each vendored file's SHA-384 as an SRI value (and,
for a stylesheet whose `data:` URLs were moved to files, the SHA-384 of npm's original).
`python -m web.revendor` writes both from the registry; pages put the SRI values in their
`<script>`/`<link>` tags, so a file changed on disk is refused by the browser, and a test
checks every file against its record.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
MANIFEST = ROOT / "vendor.json"
VENDOR = ROOT / "static" / "vendor"


@dataclass(frozen=True, slots=True)
class Package:
    """One pinned npm package and the files vendored from it (tarball path -> vendored path)."""

    name: str
    version: str
    license: str
    files: dict[str, str]
    integrity: str | None = None
    note: str | None = None

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"


@dataclass(frozen=True, slots=True)
class Manifest:
    packages: tuple[Package, ...]
    files: dict[str, dict[str, str]]

    def sri(self, path: str) -> str:
        """The `integrity` attribute for a vendored file, e.g. ``react@18.3.1/react....js``."""
        return self.files[path]["sha384"]

    def path(self, name: str, source: str) -> str:
        """Where `source` of package `name` is vendored, e.g. ``("react", "umd/react...js")``
        -> ``react@18.3.1/react...js``: pages name files by package, never by version."""
        for package in self.packages:
            if package.name == name and source in package.files:
                return package.files[source]
        raise KeyError(f"{name} {source} is not vendored (see web/vendor.json)")

    def to_json(self) -> str:
        packages = []
        for package in self.packages:
            entry: dict[str, Any] = {
                "name": package.name,
                "version": package.version,
                "license": package.license,
            }
            if package.note:
                entry["note"] = package.note
            entry["integrity"] = package.integrity
            entry["files"] = package.files
            packages.append(entry)
        body = {"packages": packages, "files": dict(sorted(self.files.items()))}
        return json.dumps(body, indent=2) + "\n"


def parse(text: str) -> Manifest:
    body = json.loads(text)
    packages = tuple(
        Package(
            name=entry["name"],
            version=entry["version"],
            license=entry["license"],
            files=dict(entry["files"]),
            integrity=entry.get("integrity"),
            note=entry.get("note"),
        )
        for entry in body["packages"]
    )
    return Manifest(packages, dict(body.get("files", {})))


@cache
def manifest() -> Manifest:
    """The committed manifest (read once per process)."""
    return parse(MANIFEST.read_text())


def sri(content: bytes) -> str:
    """A Subresource Integrity value: ``sha384-<base64 digest>``."""
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()
