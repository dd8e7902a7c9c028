"""The two HTML documents: the console's single page and GraphiQL's.

Each is a template filled with the app's root path (so a proxy may mount the service under a
prefix) and, for vendored files, the SRI hashes recorded in `web/vendor.json`. Neither holds
inline script or style: their code is served files, so the CSP allows only 'self'.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html import escape
from string import Template

from starlette.requests import Request
from starlette.responses import HTMLResponse

from web.security import CONSOLE_CSP, GRAPHIQL_CSP, document_headers
from web.vendor import ROOT, Manifest, manifest

TEMPLATES = ROOT / "templates"
CONSOLE = ROOT / "static" / "console"

GRAPHIQL_STYLES = (
    ("graphiql", "graphiql.min.css"),
    ("@graphiql/plugin-explorer", "dist/style.css"),
)
GRAPHIQL_SCRIPTS = (
    ("react", "umd/react.production.min.js"),
    ("react-dom", "umd/react-dom.production.min.js"),
    ("graphiql", "graphiql.min.js"),
    ("@graphiql/plugin-explorer", "dist/index.umd.js"),
)
CONSOLE_LIBRARY = "lit-html"


@dataclass(frozen=True, slots=True)
class Pages:
    """Renders the documents for the enabled features."""

    console: bool
    graphiql: bool

    def console_page(self, request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        html = _template("console.html").substitute(
            graphql=escape(f"{root}/graphql"),
            base=escape(f"{root}/admin"),
            graphiql=escape(f"{root}/graphql") if self.graphiql else "",
            static=escape(f"{root}/static"),
            preloads=self._preloads(root),
        )
        return HTMLResponse(html, headers=document_headers(CONSOLE_CSP))

    def graphiql_page(self, request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        vendored = manifest()
        styles = (
            _tag("link", vendored, root, name, source, rel="stylesheet")
            for name, source in GRAPHIQL_STYLES
        )
        scripts = (
            _tag("script", vendored, root, name, source) for name, source in GRAPHIQL_SCRIPTS
        )
        html = _template("graphiql.html").substitute(
            graphql=escape(f"{root}/graphql"),
            console=escape(f"{root}/admin" if self.console else f"{root}/graphql"),
            static=escape(f"{root}/static"),
            styles="\n".join(styles),
            scripts="\n".join(scripts),
        )
        return HTMLResponse(html, headers=document_headers(GRAPHIQL_CSP))

    def _preloads(self, root: str) -> str:
        """Every module the console may import, fetched at once instead of one import level
        after another (the library's with its recorded SRI hash)."""
        vendored = manifest()
        library = next(p for p in vendored.packages if p.name == CONSOLE_LIBRARY)
        links = [
            _tag("link", vendored, root, library.name, source, rel="modulepreload")
            for source in library.files
            if source.endswith(".js")
        ]
        links.extend(
            f'<link rel="modulepreload" href="{escape(root)}/static/console/{module}">'
            for module in console_modules()
        )
        return "\n".join(links)


def _tag(kind: str, vendored: Manifest, root: str, name: str, source: str, **attrs: str) -> str:
    path = vendored.path(name, source)
    url = escape(f"{root}/static/vendor/{path}")
    extra = "".join(f' {key}="{escape(value)}"' for key, value in attrs.items())
    integrity = escape(vendored.sri(path))
    if kind == "script":
        return f'<script src="{url}" integrity="{integrity}"{extra}></script>'
    return f'<link href="{url}" integrity="{integrity}"{extra}>'


@cache
def console_modules() -> tuple[str, ...]:
    """The console's own modules, relative to its folder."""
    return tuple(sorted(p.relative_to(CONSOLE).as_posix() for p in CONSOLE.rglob("*.js")))


@cache
def _template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text())
