"""The console's front-end code against the service it talks to: every GraphQL document it
sends is valid for the schema and within the server's limits, its copies of schema facts match
the schema, and its page registry lists every page module. These fail before a browser would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import GraphQLEnumType, OperationDefinitionNode, parse, specified_rules, validate
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

from schema import build_schema
from schema.limits import Limits
from web.pages import CONSOLE
from web.vendor import manifest

GQL = re.compile(r"gql`(.*?)`", re.DOTALL)
MODULES = sorted(CONSOLE.rglob("*.js"))
DOCUMENTS = [
    (f"{path.relative_to(CONSOLE)}:{n}", text)
    for path in MODULES
    for n, text in enumerate(GQL.findall(path.read_text()))
]
SCHEMA = build_schema()._schema


def test_the_console_sends_graphql_documents() -> None:
    assert len(DOCUMENTS) >= 15
    # every request sends a constant marked gql`...`: none is built from strings at run time
    for path in MODULES:
        if path.name == "graphql.js":
            continue
        source = path.read_text()
        constants = set(re.findall(r"const ([A-Z_]+) = gql`", source))
        imported = set(re.findall(r"import \{ ([A-Z_]+) \}", source))
        for sent in re.findall(r"\.request\(\s*([^,\s)]+)", source):
            assert sent in constants | imported, f"{path.name} sends {sent}"


@pytest.mark.parametrize(("where", "document"), DOCUMENTS, ids=[w for w, _ in DOCUMENTS])
def test_each_document_is_valid_and_within_the_server_s_limits(where: str, document: str) -> None:
    limits = Limits.from_settings()
    parsed = parse(document, max_tokens=limits.max_tokens)
    rules = [*specified_rules, depth_rule(limits.max_depth, None), aliases_rule(limits.max_aliases)]
    errors = validate(SCHEMA, parsed, rules)
    assert not errors, f"{where}: {[e.message for e in errors]}"
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    names = [op.name.value for op in operations if op.name is not None]
    assert len(names) == len(operations) == 1, where  # one named operation per document
    assert names[0].startswith("Console"), where  # the server's logs tell the console apart


def test_the_console_s_capabilities_are_the_schema_s() -> None:
    enum = SCHEMA.get_type("Capability")
    assert isinstance(enum, GraphQLEnumType)
    source = (CONSOLE / "core" / "format.js").read_text()
    listed = re.search(r"export const CAPABILITIES = \[(.*?)\];", source, re.DOTALL)
    assert listed is not None
    assert re.findall(r'"([A-Z]+)"', listed.group(1)) == list(enum.values)


def test_lit_is_imported_from_the_vendored_version_only() -> None:
    lit = next(p for p in manifest().packages if p.name == "lit-html")
    imports = re.findall(r'from "([^"]+)"', (CONSOLE / "core" / "lit.js").read_text())
    assert imports and all(f"/vendor/lit-html@{lit.version}/" in i for i in imports)
    for target in (i.split("/vendor/", 1)[1] for i in imports):
        assert target in manifest().files, target
    for path in MODULES:
        if path.name != "lit.js":
            assert "/vendor/" not in path.read_text(), f"{path}: import through core/lit.js"


def test_every_page_module_is_in_the_registry() -> None:
    registry = (CONSOLE / "pages" / "index.js").read_text()
    listed = set(re.findall(r'from "\./([a-z-]+)\.js"', registry))
    pages = {p.stem for p in (CONSOLE / "pages").glob("*.js")} - {"index"}
    # sign-in and not-found are the shell's own, shown outside the registry's routes
    assert listed == pages - {"sign-in", "not-found"}
    for name in listed:
        source = (CONSOLE / "pages" / f"{name}.js").read_text()
        for key in ("path:", "title:", "requires:", "create:"):
            assert key in source, f"pages/{name}.js declares no {key}"


def test_no_module_writes_html_strings_or_inline_styles() -> None:
    for path in [*MODULES, *Path(CONSOLE.parent / "graphiql").glob("*.js")]:
        source = path.read_text()
        for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "unsafeHTML"):
            assert forbidden not in source, f"{path.name}: {forbidden}"
        assert not re.search(r"\bstyle=", source), f"{path.name}: inline style"
        assert not re.search(r"localStorage\s*[.[]", source), f"{path.name}: localStorage"
