"""Serving the package's static files: the right media type, security and cache headers."""

from __future__ import annotations

import os
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from web.data_urls import MEDIA_TYPES
from web.security import file_headers

_MEDIA = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".html": "text/html; charset=utf-8",
    **{f".{ext}": media for ext, media in MEDIA_TYPES.items() if ext != "svg"},
}
"""Set here rather than guessed: `mimetypes` varies by platform (woff2 is unknown to some),
and with `nosniff` a module script served under the wrong type does not run."""


class Assets(StaticFiles):
    """One folder of files; `immutable` for vendored ones, whose paths carry their version."""

    def __init__(self, directory: Path, *, immutable: bool) -> None:
        super().__init__(directory=directory, follow_symlink=False)
        self.headers = file_headers(immutable=immutable)

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        for name, value in self.headers:
            response.headers[name] = value
        if response.status_code != 304:
            suffix = Path(full_path).suffix
            response.headers["Content-Type"] = _MEDIA.get(suffix, "text/plain; charset=utf-8")
        return response
