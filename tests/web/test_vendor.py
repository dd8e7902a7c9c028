"""The vendored front-end files are exactly what the manifest records, and complete."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import web.data_urls
from web.data_urls import inline
from web.vendor import VENDOR, manifest, sri

VENDORED = sorted(p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file())


def test_every_vendored_file_is_recorded_and_nothing_else_is_there() -> None:
    assert sorted(manifest().files) == VENDORED


@pytest.mark.parametrize("path", VENDORED)
def test_each_file_matches_its_recorded_sri_hash(path: str) -> None:
    assert sri((VENDOR / path).read_bytes()) == manifest().sri(path), (
        f"{path} differs from web/vendor.json: run `python -m web.revendor` (never edit it)"
    )


def test_every_pinned_package_has_an_exact_version_and_its_npm_integrity() -> None:
    for package in manifest().packages:
        assert package.version.count(".") == 2 and package.version.replace(".", "").isdigit()
        assert package.integrity is not None and package.integrity.startswith("sha512-")
        for target in package.files.values():
            assert target.startswith(f"{package.name.replace('@', '').replace('/', '-')}@")
            assert target.split("/")[0].endswith(f"@{package.version}")
            assert target in manifest().files


def test_every_package_ships_its_license_or_says_which_one_covers_it() -> None:
    for package in manifest().packages:
        has_license = any(Path(target).name == "LICENSE" for target in package.files.values())
        assert has_license or (package.note and "LICENSE" in package.note), package.spec


def test_a_derived_stylesheet_is_npm_s_file_with_its_data_urls_moved_to_files() -> None:
    derived = {path: entry for path, entry in manifest().files.items() if "npm_sha384" in entry}
    assert derived, "GraphiQL's stylesheet embeds fonts: its data URLs must have been moved"
    for path, entry in derived.items():
        css = (VENDOR / path).read_text()
        assert "data:" not in css  # the CSP allows no data: URL
        assets = VENDOR / Path(path).parent / "assets"

        def read(name: str, folder: Path = assets) -> bytes:
            return (folder / name).read_bytes()

        original = inline(css, read)
        assert sri(original.encode()) == entry["npm_sha384"]


def test_data_urls_doctest() -> None:
    assert doctest.testmod(web.data_urls).failed == 0


def test_a_non_canonical_data_url_is_refused_rather_than_changed() -> None:
    with pytest.raises(web.data_urls.DataUrlError):
        web.data_urls.extract("a{b:url(data:image/png;base64,iVBORx==)}")
    with pytest.raises(web.data_urls.DataUrlError):
        web.data_urls.extract("a{b:url(data:application/x-foo;base64,iVBORw0K)}")
