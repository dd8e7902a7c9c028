"""The SDL contract: `schema.graphql` is current, and everything in it is described."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    lexicographic_sort_schema,
    print_schema,
)
from graphql import (
    build_schema as build_from_sdl,
)

from schema import build_schema
from schema.enums import MIRRORS
from schema.export import SDL_PATH, sdl
from tests.service import Service

ROOT = Path(__file__).resolve().parents[2]


def test_committed_sdl_is_up_to_date() -> None:
    committed = SDL_PATH.read_text(encoding="utf-8")
    assert committed == sdl(), (
        "schema.graphql is out of date: run `python -m schema.export > schema.graphql`"
    )


def test_export_command_checks_and_prints() -> None:
    check = subprocess.run(
        [sys.executable, "-m", "schema.export", "--check"], cwd=ROOT, capture_output=True
    )
    assert check.returncode == 0, check.stderr
    printed = subprocess.run(
        [sys.executable, "-m", "schema.export"], cwd=ROOT, capture_output=True, text=True
    )
    assert printed.stdout == SDL_PATH.read_text(encoding="utf-8")


def test_sdl_is_the_schema_the_server_runs() -> None:
    """Parsing the committed file gives the same schema, so clients can build on it."""
    rebuilt = build_from_sdl(SDL_PATH.read_text(encoding="utf-8"))
    running = build_schema()._schema
    assert print_schema(lexicographic_sort_schema(rebuilt)) == print_schema(
        lexicographic_sort_schema(running)
    )


def _own_types(schema: GraphQLSchema) -> list[GraphQLNamedType]:
    return [t for name, t in schema.type_map.items() if not name.startswith("__")]


def undescribed(schema: GraphQLSchema) -> list[str]:
    """Every type, field, argument, input field and enum value that lacks a description."""
    missing: list[str] = []
    for named in _own_types(schema):
        if not named.description:
            missing.append(named.name)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                if not field.description:
                    missing.append(f"{named.name}.{field_name}")
                missing += [
                    f"{named.name}.{field_name}({arg_name})"
                    for arg_name, arg in field.args.items()
                    if not arg.description
                ]
        elif isinstance(named, GraphQLInputObjectType):
            missing += [
                f"{named.name}.{name}" for name, f in named.fields.items() if not f.description
            ]
        elif isinstance(named, GraphQLEnumType):
            missing += [
                f"{named.name}.{name}" for name, v in named.values.items() if not v.description
            ]
    return missing


def test_everything_is_described() -> None:
    assert undescribed(build_schema()._schema) == []


def test_the_walk_finds_what_lacks_a_description() -> None:
    """The check itself: an undescribed type, field, argument and enum value are all caught."""
    schema = build_from_sdl(
        '''
        """q""" type Query { """f""" a(x: Int): E  b: Int }
        enum E { """v""" ONE TWO }
        input I { """i""" k: Int }
        '''
    )
    assert undescribed(schema) == ["Query.a(x)", "Query.b", "E", "E.TWO", "I"]


@pytest.mark.parametrize("deprecated", ['count: Int! @deprecated(reason: "Use `totalCount`'])
def test_deprecations_are_marked_not_removed(deprecated: str) -> None:
    assert deprecated in SDL_PATH.read_text(encoding="utf-8")


def test_the_capability_argument_is_first_class_not_deprecated() -> None:
    """`availableModels(provider, capability)` is the service as specified: the shorthand
    stays, undeprecated, beside the general `filter`."""
    sdl = SDL_PATH.read_text(encoding="utf-8")
    start = sdl.index("availableModels(")
    arguments = sdl[start : sdl.index("): AvailableModelList", start)]
    assert "capability: Capability = null" in arguments
    assert "filter: ModelFilter" in arguments
    assert "@deprecated" not in arguments


async def test_introspection_is_on_by_default(service: Service) -> None:
    """GraphiQL and codegen read the schema this way unless production switches it off."""
    data = await service.gql("{ __schema { queryType { name } } }")
    assert data == {"__schema": {"queryType": {"name": "Query"}}}


async def test_graphiql_introspection_passes_the_default_limits(service: Service) -> None:
    from graphql import get_introspection_query

    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )
    data = await service.gql(query)
    assert data["__schema"]["queryType"]["name"] == "Query"


def test_readme_queries_match_the_schema() -> None:
    """Every GraphQL example in the README parses and validates against the schema."""
    import re

    from graphql import parse, validate

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```graphql\n(.*?)```", readme, flags=re.DOTALL)
    assert len(blocks) >= 5
    running = build_schema()._schema
    for block in blocks:
        assert validate(running, parse(block)) == [], block


def test_every_error_code_is_in_the_readme_table() -> None:
    from schema.errors import ErrorCode

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Error codes") :]
    missing = [code.value for code in ErrorCode if f"`{code.value}`" not in table]
    assert missing == []


def test_each_graphql_enum_has_the_members_of_the_service_enum_it_shows() -> None:
    """A capability (or sort field, or drift status) added to the service must be added, and
    described, in the schema's enum too."""
    for graphql_enum, service_enum in MIRRORS:
        members = [(member.name, member.value) for member in graphql_enum]
        assert members == [(member.name, member.value) for member in service_enum]


def test_building_the_schema_registers_nothing_on_the_services_enums() -> None:
    build_schema()
    for _, service_enum in MIRRORS:
        assert not hasattr(service_enum, "__strawberry_definition__"), service_enum
