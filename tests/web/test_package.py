"""`pip install` ships the service: the wheel holds every module of every package (subpackages
too), and every page, script, style and vendored file of the console."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from web.vendor import ROOT as WEB

PROJECT = WEB.parent
PACKAGES = ("providers", "storage", "catalog", "schema", "telemetry", "web", "cli")
MODULES = ("server.py", "settings.py", "setting_forms.py", "setting_tables.py", "errors.py")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The names in a wheel built from the checkout (no network: no build isolation)."""
    folder = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(folder), str(PROJECT)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (wheel,) = folder.glob("ai_model_sync-*.whl")
    return set(zipfile.ZipFile(wheel).namelist())


def test_the_wheel_ships_every_module_of_every_package(shipped: set[str]) -> None:
    wanted = {
        path.relative_to(PROJECT).as_posix()
        for package in PACKAGES
        for path in (PROJECT / package).rglob("*.py")
    }
    assert {"schema/live/types.py", "storage/migrations/0001_initial.py"} <= wanted
    assert wanted | set(MODULES) <= shipped


def test_the_wheel_ships_the_console_graphiql_and_their_libraries(shipped: set[str]) -> None:
    wanted = {
        path.relative_to(PROJECT).as_posix()
        for folder in ("static", "templates")
        for path in (WEB / folder).rglob("*")
        if path.is_file()
    } | {"web/vendor.json"}
    assert wanted - shipped == set()
    assert "web/revendor.py" in shipped and "web/pages.py" in shipped
    assert "catalog/catalogs/data/models-dev.json" in shipped  # the catalogs work offline
