"""The compiled completer against graphql-core: random valid operations over the real schema,
on the real captures (through the replay upstream and a real database), must give byte-identical
responses, errors included, whether graphql-core completes every field or the compiled
completers do, first built and then reused (their kept fields on the views).

hypothesis-graphql generates the operations (root fields, arguments, sub-selections); on top
of them this test draws aliases, `@include`/`@skip` on variables, inline and named fragments,
`__typename` and repeated fields, and which provider each `availableModels` lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
import pytest
from graphql import (
    FieldNode,
    GraphQLNamedType,
    GraphQLObjectType,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    print_ast,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import queries
from starlette.requests import Request

from catalog.access import MANAGE, Principal
from schema import Schema, build_schema
from schema.context import Context
from schema.live.loaders import Loaders
from schema.live.views import ModelViews
from schema.result_cache.store import ResultCache
from tests.service import Service

ROOTS = ["availableModels", "savedModels", "activeModel"]
# mostly small lists (graphql-core takes ~0.3 s over OpenRouter's 549 models), some OpenRouter;
# mistral has no key in the tests' settings: its error, and a slug nothing knows
LISTED = ["groq", "ollama", "openrouter"]
PROVIDERS = [*LISTED, "groq", "ollama", "mistral", "nosuch"]
CONDITIONS = ("c0", "c1")
HOW = ["plain"] * 6 + ["alias", "include", "skip", "inline", "named", "twice"]

PLAIN = build_schema(compiled=False)
COMPILED = build_schema()


async def respond(
    schema: Schema, service: Service, views: ModelViews, text: str, variables: dict[str, Any]
) -> bytes:
    """The response's bytes as the view encodes them: `data`, then the formatted errors."""
    services = service.services
    context = Context(
        request=Request({"type": "http", "method": "POST", "path": "/graphql", "headers": []}),
        settings=services.catalog.settings,
        catalog=services.catalog,
        principal=Principal("test", frozenset({MANAGE})),
        loaders=Loaders.for_request(services.catalog),
        results=ResultCache(0),
        views=views,
    )
    result = await schema.execute(text, variable_values=variables, context_value=context)
    response: dict[str, Any] = {"data": result.data}
    if result.errors:
        response["errors"] = [error.formatted for error in result.errors]
    return orjson.dumps(response)


class Decorator:
    """Prints a generated operation again, with what this test draws added to it."""

    def __init__(self, draw: Callable[[st.SearchStrategy[Any]], Any], schema: Schema) -> None:
        self.draw, self.schema = draw, schema._schema
        self.fragments: list[str] = []
        self.used: set[str] = set()
        self.count = 0

    def operation(self, node: OperationDefinitionNode) -> str:
        root = self.schema.query_type
        assert root is not None
        body = self.selections(node.selection_set, root)
        used = sorted(self.used)
        declared = f"({', '.join(f'${name}: Boolean!' for name in used)})" if used else ""
        return "\n".join([f"query Q{declared} {body}", *self.fragments])

    def selections(self, selection_set: SelectionSetNode, parent: GraphQLNamedType) -> str:
        assert isinstance(parent, GraphQLObjectType)
        parts = []
        for node in selection_set.selections:
            assert isinstance(node, FieldNode)
            parts.append(self.field(node, parent))
        if self.draw(st.integers(0, 5)) == 0:
            parts.insert(self.draw(st.integers(0, len(parts))), "__typename")
        return "{ " + " ".join(parts) + " }"

    def field(self, node: FieldNode, parent: GraphQLObjectType) -> str:
        name = node.name.value
        arguments = self.arguments(node)
        head = name + (f"({', '.join(arguments)})" if arguments else "")
        how = self.draw(st.sampled_from(HOW))
        self.count += 1
        if how in ("include", "skip"):
            variable = self.draw(st.sampled_from(CONDITIONS))
            self.used.add(variable)
            head += f" @{how}(if: ${variable})"
        if how == "alias":
            head = f"a{self.count}: {head}"
        text = head
        if node.selection_set:
            kind = get_named_type(parent.fields[name].type)
            text += " " + self.selections(node.selection_set, kind)
        if how == "inline":
            return f"... on {parent.name} {{ {text} }}"
        if how == "named":
            self.fragments.append(f"fragment F{self.count} on {parent.name} {{ {text} }}")
            return f"...F{self.count}"
        if how == "twice":  # merged by graphql-core into one response key
            return f"{text} {text}"
        return text

    def arguments(self, node: FieldNode) -> list[str]:
        """The generated arguments; for `availableModels` a real provider (a random slug only
        errs), a page size it accepts, and now and then a generated filter, sort or search
        (random strings match nothing, random cursors are refused)."""
        generated = {a.name.value: print_ast(a) for a in node.arguments or ()}
        if node.name.value != "availableModels":
            return list(generated.values())
        kept = [f'provider: "{self.draw(st.sampled_from(PROVIDERS))}"']
        for name in ("capability", "filter", "sort", "search"):
            if name in generated and self.draw(st.integers(0, 3)) == 0:
                kept.append(generated[name])
        first = self.draw(st.sampled_from([None, None, 0, 1, 3, 20, 500]))
        if first is not None:
            kept.append(f"first: {first}")
        return kept


@st.composite
def operations(draw: Callable[[st.SearchStrategy[Any]], Any]) -> tuple[str, dict[str, Any]]:
    document = draw(queries(PLAIN._schema, fields=ROOTS, print_ast=lambda node: node))
    operation = document.definitions[0]
    decorator = Decorator(draw, PLAIN)
    text = decorator.operation(operation)
    variables = {name: draw(st.booleans()) for name in sorted(decorator.used)}
    return text, variables


SYNC = """mutation($p: String!) {
  bulkSync(provider: $p, limit: 3, activateFirst: true) { created } }"""


@pytest.fixture
async def saved(service: Service) -> Service:
    """Three models of each listed provider saved, one active, from its cached list (a
    `saveModel` would fetch the list again)."""
    for provider in LISTED:
        await service.gql(SYNC, {"p": provider})
    return service


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_compiled_responses_are_graphql_cores_byte_for_byte(
    saved: Service, data: st.DataObject
) -> None:
    text, variables = data.draw(operations())
    views = ModelViews()
    expected = await respond(PLAIN, saved, ModelViews(), text, variables)
    first = await respond(COMPILED, saved, views, text, variables)
    again = await respond(COMPILED, saved, views, text, variables)  # the kept fields reused
    assert first == expected, text
    assert again == expected, text
