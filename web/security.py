"""The headers every page and file the service serves to a browser carries.

Both pages (the console and GraphiQL) run under a Content-Security-Policy that allows only
the service's own origin: no inline script or style, no `eval`, no other host, no framing.
The console adds Trusted Types: the DOM accepts HTML strings only from lit-html's own policy.
"""

from __future__ import annotations

from collections.abc import Sequence

SAME_ORIGIN_ONLY = (
    "default-src 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
TRUSTED_TYPES = ("require-trusted-types-for 'script'", "trusted-types lit-html")

CONSOLE_CSP = "; ".join((*SAME_ORIGIN_ONLY, *TRUSTED_TYPES))
GRAPHIQL_CSP = "; ".join(SAME_ORIGIN_ONLY)

_COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def document_headers(csp: str) -> dict[str, str]:
    """For an HTML page: its policy, no framing, revalidated on every visit."""
    return {
        **_COMMON,
        "Content-Security-Policy": csp,
        "X-Frame-Options": "DENY",
        "Cache-Control": "no-cache",
    }


def file_headers(*, immutable: bool) -> Sequence[tuple[str, str]]:
    """For a script, stylesheet or font: versioned vendor paths never change."""
    cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
    return (*_COMMON.items(), ("Cache-Control", cache))
