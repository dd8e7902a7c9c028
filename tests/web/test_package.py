"""`pip install` ships the console: the wheel holds every page, script, style and vendored file."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from web.vendor import ROOT as WEB

PROJECT = WEB.parent


def test_the_wheel_ships_the_console_graphiql_and_their_libraries(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(PROJECT)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("ai_model_sync-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    wanted = {
        path.relative_to(PROJECT).as_posix()
        for folder in ("static", "templates")
        for path in (WEB / folder).rglob("*")
        if path.is_file()
    } | {"web/vendor.json"}
    assert wanted - shipped == set()
    assert "web/revendor.py" in shipped and "web/pages.py" in shipped
    assert "catalog/catalogs/data/models-dev.json" in shipped  # the catalogs work offline
