"""What the service shows a browser: the admin console at `/admin` and GraphiQL at `/graphql`.

Both are static files in this package (`pip install` ships them; no Node at install or run
time): the console is plain ES modules on lit-html, GraphiQL its own UMD bundle with React,
all vendored at pinned versions (`web/vendor.json`). Both talk only to `/graphql`, as any
customer's frontend does, under a CSP that allows only the service's own origin.

>>> [route.path for route in routes(console=True, graphiql=False)]
['/admin', '/admin/{path:path}', '/static/vendor', '/static/shared', '/static/console']
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route

from web.assets import Assets
from web.pages import CONSOLE, Pages
from web.vendor import ROOT, VENDOR

__all__ = ["Pages", "routes"]


def routes(*, console: bool, graphiql: bool) -> list[BaseRoute]:
    """The console's page and the files of the enabled features (the GraphiQL page itself is
    rendered by the GraphQL view, for a browser asking `/graphql` for HTML)."""
    pages = Pages(console=console, graphiql=graphiql)
    found: list[BaseRoute] = []
    if console:
        found += [
            Route("/admin", pages.console_page, methods=["GET"]),
            Route("/admin/{path:path}", pages.console_page, methods=["GET"]),
        ]
    if console or graphiql:
        found.append(Mount("/static/vendor", Assets(VENDOR, immutable=True)))
        found.append(Mount("/static/shared", Assets(ROOT / "static" / "shared", immutable=False)))
    if console:
        found.append(Mount("/static/console", Assets(CONSOLE, immutable=False)))
    if graphiql:
        ide = Assets(ROOT / "static" / "graphiql", immutable=False)
        found.append(Mount("/static/graphiql", ide))
    return found
