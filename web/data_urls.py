"""Moving the `data:` URLs out of a vendored stylesheet, and putting them back.

GraphiQL's stylesheet embeds its fonts and two images as `url(data:...;base64,...)`. A page
whose Content-Security-Policy allows only 'self' refuses them, so re-vendoring (`web.revendor`)
writes each one to `assets/<digest>.<ext>` beside the stylesheet and points the `url()` there.
`inline` reverses that exactly: a test rebuilds npm's original file from the derived one and its
assets and checks it against the hash recorded from the npm tarball.

>>> css, assets = extract('a{background:url("data:image/png;base64,iVBORw0K")}')
>>> css
'a{background:url("assets/823ceb99fcef5252333e.png")}'
>>> inline(css, assets.__getitem__)
'a{background:url("data:image/png;base64,iVBORw0K")}'
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable

MEDIA_TYPES = {
    "woff2": "font/woff2",
    "woff": "font/woff",
    "ttf": "font/ttf",
    "png": "image/png",
    "gif": "image/gif",
    "svg": "image/svg+xml",
    "jpg": "image/jpeg",
}
"""The file extension each embedded media type is written with (and served as)."""

_EXTENSIONS = {media: ext for ext, media in MEDIA_TYPES.items()}
_DATA_URL = re.compile(r"""url\((["']?)data:([a-z0-9.+/-]+);base64,([A-Za-z0-9+/=]+)\1\)""")
_ASSET_URL = re.compile(r"""url\((["']?)assets/([0-9a-f]{20})\.([a-z0-9]+)\1\)""")


class DataUrlError(ValueError):
    """A `data:` URL that cannot be moved to a file and restored byte for byte."""


def asset_name(content: bytes, media_type: str) -> str:
    """`<first 20 hex digits of its SHA-256>.<ext>`: the same content gets the same name."""
    extension = _EXTENSIONS.get(media_type)
    if extension is None:
        raise DataUrlError(f"no file extension known for embedded {media_type!r}")
    return f"{hashlib.sha256(content).hexdigest()[:20]}.{extension}"


def extract(css: str) -> tuple[str, dict[str, bytes]]:
    """The stylesheet with each base64 `data:` URL replaced by `assets/<name>`, and the files."""
    assets: dict[str, bytes] = {}

    def move(match: re.Match[str]) -> str:
        quote, media_type, encoded = match.groups()
        try:
            content = base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise DataUrlError(f"invalid base64 in a {media_type} data URL") from exc
        if base64.b64encode(content).decode() != encoded:
            raise DataUrlError(f"a {media_type} data URL is not in canonical base64")
        name = asset_name(content, media_type)
        assets[name] = content
        return f"url({quote}assets/{name}{quote})"

    return _DATA_URL.sub(move, css), assets


def inline(css: str, read: Callable[[str], bytes]) -> str:
    """The inverse of `extract`: each `assets/<name>` URL back as its `data:` URL."""

    def restore(match: re.Match[str]) -> str:
        quote, digest, extension = match.groups()
        name = f"{digest}.{extension}"
        encoded = base64.b64encode(read(name)).decode()
        return f"url({quote}data:{MEDIA_TYPES[extension]};base64,{encoded}{quote})"

    return _ASSET_URL.sub(restore, css)
