"""What the compiled completer does not complete itself, graphql-core does, with its errors.

A small schema of its own (constructed values, not captures): a null in a non-null field, a
scalar refusing a value, an enum member that is not one, a list that is not a list, a field
with a resolver, a schema extension that wraps resolvers. Each response must be graphql-core's,
byte for byte, and the completer must have handed back (or never taken) what it does not cover.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast

import orjson
import pytest
import strawberry
from strawberry.extensions import ParserCache, SchemaExtension

from schema.compiled.executor import CompiledExecutor, CompilerStats, executor_class
from schema.compiled.runtime import immutable


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Leaf:
    name: str
    size: int | None
    colour: Colour
    price: Decimal | None
    when: datetime | None
    weight: float | None = 0.5  # a scalar without an inlined path: coerced by the scalar


@strawberry.type
class Node:
    label: str
    leaves: list[Leaf]
    maybe: list[Leaf | None] | None
    child: Leaf | None

    @strawberry.field
    def shout(self) -> str:
        return self.label.upper()


def good(n: int) -> Leaf:
    when = datetime(2026, 12, 1, tzinfo=UTC)
    return Leaf(name=f"l{n}", size=n, colour=Colour.RED, price=Decimal("0.15"), when=when)


def broken(**change: Any) -> Leaf:
    leaf = good(9)
    for name, value in change.items():
        object.__setattr__(leaf, name, value)
    return leaf


NODES: dict[str, Callable[[], list[Node]]] = {
    "fine": lambda: [Node(label="a", leaves=[good(1), good(2)], maybe=[None, good(3)], child=None)],
    "null in a non-null field": lambda: [
        Node(label="a", leaves=[broken(name=None)], maybe=None, child=good(1))
    ],
    "a null item in a non-null list": lambda: [
        Node(label="a", leaves=[good(1), None], maybe=[], child=None)  # type: ignore[list-item]
    ],
    "an Int out of range": lambda: [
        Node(label="b", leaves=[broken(size=2**40)], maybe=None, child=None)
    ],
    "a String that is an int": lambda: [
        Node(label="c", leaves=[broken(name=7)], maybe=None, child=None)
    ],
    "not an enum member": lambda: [
        Node(label="d", leaves=[broken(colour="green")], maybe=None, child=None)
    ],
    "not a Decimal": lambda: [
        Node(label="e", leaves=[broken(price="cheap")], maybe=None, child=None)
    ],
    "a list that is a generator": lambda: [
        Node(label="f", leaves=(good(n) for n in range(2)), maybe=None, child=None)  # type: ignore[arg-type]
    ],
    "a Float that is not a number": lambda: [
        Node(label="h", leaves=[broken(weight="heavy")], maybe=None, child=None)
    ],
    "a nullable child refusing": lambda: [
        Node(label="g", leaves=[], maybe=[broken(size="x")], child=broken(when="never"))
    ],
}


COERCED = ("a String that is an int", "not a Decimal")
"""Taken as they are by graphql-core too: 7 becomes "7", strawberry's Decimal is `str()`."""


class Wrapping(SchemaExtension):
    """Wraps every resolver (a tracing extension would): nothing is compiled then."""

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        return _next(root, info, *args, **kwargs)


def make_schema(
    case: str, *, compiled: bool, extensions: list[Any] | None = None
) -> strawberry.Schema:
    @strawberry.type
    class Query:
        @strawberry.field
        def nodes(self) -> list[Node]:
            return NODES[case]()

    return strawberry.Schema(
        Query,
        execution_context_class=executor_class() if compiled else None,
        extensions=extensions or [],
    )


QUERY = """query($big: Boolean!) {
  nodes {
    label
    leaves { name size @include(if: $big) colour price when weight __typename }
    maybe { ...L }
    child { ...L }
  }
}
fragment L on Leaf { n: name size colour price when weight }"""


async def respond(schema: strawberry.Schema, query: str = QUERY) -> bytes:
    result = await schema.execute(query, variable_values={"big": True})
    response: dict[str, Any] = {"data": result.data}
    if result.errors:
        response["errors"] = [error.formatted for error in result.errors]
    return orjson.dumps(response)


def stats(schema: strawberry.Schema) -> CompilerStats:
    executor = cast(type[CompiledExecutor], schema.execution_context_class)
    return executor.compiler.stats


@pytest.mark.parametrize("case", NODES)
async def test_the_response_is_graphql_cores(case: str) -> None:
    compiled = make_schema(case, compiled=True)
    expected = await respond(make_schema(case, compiled=False))
    assert await respond(compiled) == expected
    assert await respond(compiled) == expected  # the completers reused
    counted = stats(compiled)
    assert counted.compiled >= 1
    if case in ("fine", *COERCED):
        assert counted.fallbacks == 0 and b"errors" not in expected
    elif case == "a list that is a generator":  # any iterable will do for graphql-core
        assert counted.fallbacks >= 1 and b"errors" not in expected
    else:
        assert counted.fallbacks >= 1 and b'"errors"' in expected


async def test_a_field_with_a_resolver_is_graphql_cores_and_its_children_compiled() -> None:
    query = "{ nodes { label shout leaves { name } } }"
    compiled = make_schema("fine", compiled=True)
    assert await respond(compiled, query) == await respond(
        make_schema("fine", compiled=False), query
    )
    counted = stats(compiled)
    assert counted.uncompilable == 1  # Node: `shout` has a resolver
    assert counted.compiled == 1 and counted.completed == 2  # each Leaf


async def test_an_extension_wrapping_resolvers_turns_compiling_off() -> None:
    compiled = make_schema("fine", compiled=True, extensions=[Wrapping])
    assert await respond(compiled) == await respond(make_schema("fine", compiled=False))
    assert stats(compiled).compiled == 0 and stats(compiled).completed == 0


@immutable
@strawberry.type
class Kept:
    name: str


async def test_an_immutable_views_fields_are_completed_once_per_selection() -> None:
    views = [Kept(name="a"), Kept(name="b")]

    @strawberry.type
    class Query:
        @strawberry.field
        def kept(self) -> list[Kept]:
            return views

    schema = strawberry.Schema(
        Query, execution_context_class=executor_class(), extensions=[ParserCache]
    )  # the same text, the same document: its completers (as `schema.parsing` gives)
    first = await schema.execute("{ kept { name } }")
    object.__setattr__(views[0], "name", "changed")  # what `immutable` promises never happens
    again = await schema.execute("{ kept { name } }")
    other = await schema.execute("{ kept { n: name } }")  # another selection: completed anew
    assert first.data == again.data == {"kept": [{"name": "a"}, {"name": "b"}]}
    assert other.data == {"kept": [{"n": "changed"}, {"n": "b"}]}


@immutable
@strawberry.type
class Tag:
    name: str


@strawberry.type
class Duck:
    """Not `immutable`, with a `Tag`'s fields: graphql-core completes it as a `Tag`."""

    name: str


@strawberry.type
class Holder:
    label: str
    tags: list[Tag]
    colours: list[Colour]
    words: list[str]


SHARED, RED, WORDS = (Tag(name="a"), Tag(name="b")), (Colour.RED,), ("w",)
DUCK = Duck(name="duck")
DUCKS = (DUCK,)  # the same tuple each time
HOLDERS: dict[str, Callable[[], list[Holder]]] = {
    "tuples shared by two objects": lambda: [
        Holder(label="x", tags=SHARED, colours=RED, words=WORDS),  # type: ignore[arg-type]
        Holder(label="y", tags=SHARED, colours=RED, words=WORDS),  # type: ignore[arg-type]
    ],
    "a null in a tuple": lambda: [Holder(label="x", tags=(SHARED[0], None), colours=[], words=[])],  # type: ignore[arg-type]
    "another class in a tuple": lambda: [Holder(label="x", tags=DUCKS, colours=[], words=[])],  # type: ignore[arg-type]
    "not an enum member in a tuple": lambda: [
        Holder(label="x", tags=[], colours=("green",), words=[])  # type: ignore[arg-type]
    ],
    "an int among strings in a tuple": lambda: [
        Holder(label="x", tags=[], colours=[], words=("w", 7))  # type: ignore[arg-type]
    ],
}


def holder_schema(case: str, *, compiled: bool) -> strawberry.Schema:
    @strawberry.type
    class Query:
        @strawberry.field
        def holders(self) -> list[Holder]:
            return HOLDERS[case]()

    return strawberry.Schema(
        Query,
        execution_context_class=executor_class() if compiled else None,
        extensions=[ParserCache],  # the same document each time: its completers reused
    )


HOLDER_QUERY = "{ holders { label tags { name __typename } colours words } }"


@pytest.mark.parametrize("case", HOLDERS)
async def test_a_tuples_kept_list_is_graphql_cores(case: str) -> None:
    """A tuple of enum members, exact strings or `immutable` objects is completed once per
    completer and its list kept; anything else in it is completed anew, as graphql-core does."""
    compiled, plain = holder_schema(case, compiled=True), holder_schema(case, compiled=False)
    for name in ("duck", "changed"):  # the duck changes in between: it is never kept
        object.__setattr__(DUCK, "name", name)
        expected = await respond(plain, HOLDER_QUERY)
        assert await respond(compiled, HOLDER_QUERY) == expected
        assert case != "another class in a tuple" or name.encode() in expected
    failing = case in ("a null in a tuple", "not an enum member in a tuple")
    assert (b'"errors"' in expected) == failing
    assert (stats(compiled).fallbacks > 0) == failing


async def test_a_shared_tuple_is_completed_once() -> None:
    result = await holder_schema("tuples shared by two objects", compiled=True).execute(
        HOLDER_QUERY
    )
    assert result.data is not None and not result.errors
    x, y = result.data["holders"]
    assert x["tags"] == [{"name": "a", "__typename": "Tag"}, {"name": "b", "__typename": "Tag"}]
    assert x["tags"] is y["tags"] and x["colours"] is y["colours"] and x["words"] is y["words"]
