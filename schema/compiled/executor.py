"""`CompiledExecutor`: graphql-core's executor, completing objects with compiled completers.

graphql-core completes a 549-model list field by field (~22,000 fields, ~6 µs each). Here an
object whose whole selection set the compiler covers (`schema.compiled.codegen`) is completed
by one generated function instead, compiled once per operation document and kept in the
schema's `Compiler`. graphql-core still resolves the root fields (resolvers, permissions),
reports errors, and completes whatever the compiler does not cover; a value the completer does
not complete exactly (a null in a non-null field, a scalar that refuses) makes graphql-core
complete that object itself, so the response is the one graphql-core gives, errors included
(`tests/compiled` compares them on random operations).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from graphql import (
    GraphQLObjectType,
    GraphQLResolveInfo,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from graphql.execution.collect_fields import FieldDetailsList, FragmentDetails, GroupedFieldSet
from graphql.language import DirectiveNode, FieldNode, FragmentSpreadNode, InlineFragmentNode
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.compiled.codegen import Completer, compile_object

_CONDITIONS = ("include", "skip")


@dataclass(slots=True)
class CompilerStats:
    """What the compiled path did, for tests and the bench."""

    compiled: int = 0  # completers built
    completed: int = 0  # objects completed by a completer
    fallbacks: int = 0  # objects a completer handed back to graphql-core
    uncompilable: int = 0  # selection sets the compiler does not cover


@dataclass(slots=True)
class _Operation:
    """The completers of one operation, for each value of the variables its @include/@skip
    read (`conditions`). Keeps the operation alive: node ids in the keys stay unique."""

    operation: OperationDefinitionNode
    conditions: tuple[str, ...]
    variants: dict[Hashable, dict[Hashable, Completer | None]] = field(default_factory=dict)


class Compiler:
    """One per schema: compiled completers by operation, at most `size` operations (LRU),
    at most `variants` sets of @include/@skip values each."""

    def __init__(self, size: int = 256, variants: int = 16) -> None:
        self.size, self.variants = size, variants
        self.stats = CompilerStats()
        self._operations: OrderedDict[int, _Operation] = OrderedDict()

    def clear(self) -> None:
        """Forget every completer (the bench's uncached case)."""
        self._operations.clear()

    def completers(
        self,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDetails],
        variables: dict[str, Any],
    ) -> dict[Hashable, Completer | None]:
        """The completers of this operation for these variables (filled as they are built)."""
        entry = self._operations.get(id(operation))
        if entry is None or entry.operation is not operation:
            entry = _Operation(operation, _condition_variables(operation, fragments))
            self._operations[id(operation)] = entry
            while len(self._operations) > self.size:
                self._operations.popitem(last=False)
        self._operations.move_to_end(id(operation))
        variant = tuple(repr(variables.get(name)) for name in entry.conditions)
        found = entry.variants.get(variant)
        if found is None:
            if len(entry.variants) >= self.variants:
                entry.variants.clear()
            found = entry.variants[variant] = {}
        return found


def _condition_variables(
    operation: OperationDefinitionNode, fragments: dict[str, FragmentDetails]
) -> tuple[str, ...]:
    """The variables any @include/@skip of the operation (or a fragment it may use) reads."""
    names: set[str] = set()
    sets: list[SelectionSetNode] = [operation.selection_set]
    sets += [details.definition.selection_set for details in fragments.values()]
    while sets:
        for selection in sets.pop().selections:
            assert isinstance(selection, FieldNode | FragmentSpreadNode | InlineFragmentNode)
            names.update(_read(selection.directives or ()))
            if not isinstance(selection, FragmentSpreadNode) and selection.selection_set:
                sets.append(selection.selection_set)
    return tuple(sorted(names))


def _read(directives: tuple[DirectiveNode, ...] | list[DirectiveNode]) -> set[str]:
    return {
        argument.value.name.value
        for directive in directives
        if directive.name.value in _CONDITIONS
        for argument in directive.arguments or ()
        if isinstance(argument.value, VariableNode)
    }


class CompiledExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor; objects completed by compiled completers where they apply.
    `schema.build_schema` makes a subclass with its own `compiler`."""

    compiler: ClassVar[Compiler]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shared: dict[Hashable, Completer | None] | None = None
        self._local: dict[int, tuple[FieldDetailsList, Completer | None]] = {}

    def complete_object_value(
        self,
        return_type: GraphQLObjectType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        completer = self._completer(return_type, field_details_list)
        if completer is not None:
            try:
                completed = completer(result)
            except Exception:  # graphql-core completes it, and reports what it reports
                self.compiler.stats.fallbacks += 1
            else:
                self.compiler.stats.completed += 1
                return completed
        return super().complete_object_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _completer(self, kind: GraphQLObjectType, details: FieldDetailsList) -> Completer | None:
        local = self._local.get(id(details))
        if local is not None:
            return local[1]
        completer = None
        if not self.middleware_manager or not self.middleware_manager.middlewares:
            shared = self._shared
            if shared is None:
                shared = self._shared = self.compiler.completers(
                    self.operation, self.fragments, self.variable_values.coerced
                )
            key = (kind.name, *(id(detail.node) for detail in details))
            if key in shared:
                completer = shared[key]
            else:
                completer = shared[key] = compile_object(kind, details, self._collect)
                stats = self.compiler.stats
                if completer is None:
                    stats.uncompilable += 1
                else:
                    stats.compiled += 1
        self._local[id(details)] = (details, completer)  # the list kept: its id stays unique
        return completer

    def _collect(
        self, kind: GraphQLObjectType, details: FieldDetailsList
    ) -> GroupedFieldSet | None:
        collected = self.collect_subfields(kind, details)
        if collected.new_defer_usages or collected.forbidden_directive_instances:
            return None  # @defer / @stream: graphql-core's incremental delivery
        return collected.grouped_field_set


def executor_class() -> type[CompiledExecutor]:
    """A `CompiledExecutor` with a compiler of its own (one per schema)."""
    return type("CompiledExecutor", (CompiledExecutor,), {"compiler": Compiler()})
