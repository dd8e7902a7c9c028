"""Abuse limits: how long, deep and aliased a document may be, and how much validating it may
cost; introspection and "Did you mean" suggestions on or off.

A document over a limit is refused before anything runs, with `extensions.code`
`QUERY_TOO_COMPLEX` (`GRAPHQL_VALIDATION_FAILED` for introspection when it is switched off):

- length and tokens are parser options (`max_source_length`: whitespace and comments count;
  `max_tokens`: comments count), so the parser never reads past them;
- depth, aliases and fields are measured first, in one pass (`shape_errors`) that measures
  each fragment **once** and reuses the figures at every spread, so its cost is linear in the
  document whatever its shape, and only a document within these limits meets graphql-core's
  rules (Strawberry's own rules re-expand every spread at every use: 22 fragments
  each spreading the next twice took ~29 s of CPU). Aliases and fields count at every use of
  their fragment, so a document that would expand to millions of fields (2^22 for those 22
  fragments) is refused, whatever later walks it; introspection fields do not count towards
  depth, so GraphiQL's schema query (229 fields, expanded) passes;
- graphql-core's rule that checks overlapping fields can be merged is quadratic in the fields
  sharing a name at one response level (240 repeats of one field: ~0.3 s): the same pass
  counts those pairs and refuses a document with more than `FIELD_COMPARISONS`, and the rule
  itself runs on that budget too (for what the count cannot see). Every realistic document
  costs far less: none of the shipped operations, nor GraphiQL's introspection query, has a
  single pair.

Rules are built once per schema (see `schema.parsing`), which caches validation results.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    specified_rules,
)
from graphql.validation import NoSchemaIntrospectionCustomRule, OverlappingFieldsCanBeMergedRule
from graphql.validation.validate import ValidationAbortedError
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from schema.errors import ErrorCode
from settings import Settings

FIELD_COMPARISONS = 5_000
"""Budget of graphql-core's overlapping-fields rule per document (~10 ms of CPU at most)."""

_COMPLEX = {"code": ErrorCode.QUERY_TOO_COMPLEX.value}


@dataclass(frozen=True, slots=True)
class Limits:
    """What a document may be (`from_settings()`: the settings' defaults)."""

    max_depth: int
    max_aliases: int
    max_fields: int
    max_tokens: int
    max_length: int
    introspection: bool

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Limits:
        settings = settings or Settings()
        return cls(
            max_depth=settings.max_query_depth,
            max_aliases=settings.max_aliases,
            max_fields=settings.max_fields,
            max_tokens=settings.max_tokens,
            max_length=settings.max_query_length,
            introspection=settings.introspection,
        )

    @property
    def parse_options(self) -> dict[str, Any]:
        return {"max_tokens": self.max_tokens, "max_source_length": self.max_length}

    @property
    def hide_suggestions(self) -> bool:
        """No "Did you mean ..." naming fields, arguments or values when introspection is off."""
        return not self.introspection

    def rules(self) -> tuple[type[ASTValidationRule], ...]:
        """graphql-core's rules (overlapping fields on a budget) and Strawberry's."""
        rules = [
            BudgetedOverlap if r is OverlappingFieldsCanBeMergedRule else r for r in specified_rules
        ]
        rules += [MaybeNullValidationRule, OneOfInputValidationRule]
        if not self.introspection:
            rules.append(NoSchemaIntrospectionCustomRule)
        return tuple(rules)


@dataclass(frozen=True, slots=True)
class Shape:
    """How deep a selection nests (introspection fields not counted), and how many aliases
    and fields it holds, every fragment spread expanded."""

    depth: int = 0
    aliases: int = 0
    fields: int = 0


class _Measure:
    """Measures selection sets, each fragment once (`shapes` remembers it by name)."""

    def __init__(self, document: DocumentNode) -> None:
        self.fragments = _fragments(document)
        self.shapes: dict[str, Shape] = {}
        self.measuring: set[str] = set()

    def selections(self, selection_set: SelectionSetNode | None) -> Shape:
        depth = aliases = fields = 0
        for selection in selection_set.selections if selection_set else ():
            shape = self.selection(selection)
            depth = max(depth, shape.depth)
            aliases, fields = aliases + shape.aliases, fields + shape.fields
        return Shape(depth, aliases, fields)

    def selection(self, node: object) -> Shape:
        if isinstance(node, FieldNode):
            inner = self.selections(node.selection_set)
            counted = not node.name.value.startswith("__") and node.selection_set is not None
            depth = inner.depth + 1 if counted else 0
            return Shape(depth, inner.aliases + bool(node.alias), inner.fields + 1)
        if isinstance(node, InlineFragmentNode):
            return self.selections(node.selection_set)
        if isinstance(node, FragmentSpreadNode):
            return self.fragment(node.name.value)
        return Shape()

    def fragment(self, name: str) -> Shape:
        known = self.shapes.get(name)
        if known is not None:
            return known
        definition = self.fragments.get(name)
        if definition is None or name in self.measuring:
            return Shape()  # unknown or cyclic: graphql-core's own rules report those
        self.measuring.add(name)
        shape = self.shapes[name] = self.selections(definition.selection_set)
        self.measuring.discard(name)
        return shape


class _Overlaps:
    """The pairs of fields sharing a response name, per response level (inline fragments
    flattened, spreads expanded with each fragment's names counted once): what graphql-core's
    overlap rule compares, pair by pair."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.known: dict[str, Counter[str]] = {}
        self.counting: set[str] = set()

    def names(self, selection_set: SelectionSetNode) -> Counter[str]:
        found: Counter[str] = Counter()
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                found[(node.alias or node.name).value] += 1
            elif isinstance(node, InlineFragmentNode):
                found.update(self.names(node.selection_set))
            elif isinstance(node, FragmentSpreadNode):
                found.update(self.fragment(node.name.value))
        return found

    def fragment(self, name: str) -> Counter[str]:
        known = self.known.get(name)
        definition = self.fragments.get(name)
        if known is not None or definition is None or name in self.counting:
            return known or Counter()
        self.counting.add(name)
        known = self.known[name] = self.names(definition.selection_set)
        self.counting.discard(name)
        return known

    def pairs(self, document: DocumentNode, most: int) -> int:
        """The pairs in every response level of `document` (stops counting past `most`)."""
        total = 0
        stack = [
            d.selection_set
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode | FragmentDefinitionNode)
        ]
        while stack and total <= most:
            level = stack.pop()
            total += sum(k * (k - 1) // 2 for k in self.names(level).values())
            nodes = list(level.selections)
            while nodes:  # the levels below: each field's, through inline fragments
                node = nodes.pop()
                if isinstance(node, InlineFragmentNode):
                    nodes.extend(node.selection_set.selections)
                elif isinstance(node, FieldNode) and node.selection_set is not None:
                    stack.append(node.selection_set)
        return total


def overlapping_pairs(document: DocumentNode, most: int = FIELD_COMPARISONS) -> int:
    """How many pairs of same-named fields `document`'s response levels hold (counted up to
    a little past `most`)."""
    return _Overlaps(_fragments(document)).pairs(document, most)


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def repeated_too_often() -> GraphQLError:
    return _too_complex(
        "the document repeats fields too often to be checked: merging its overlapping "
        f"fields takes more than {FIELD_COMPARISONS} comparisons"
    )


def shape_errors(document: DocumentNode, limits: Limits) -> list[GraphQLError]:
    """Why `document` is deeper, more aliased or larger than `limits` allow (empty: it is not).

    Run before graphql-core's rules, which then only ever see a document within the limits.
    """
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    measure = _Measure(document)
    try:
        shapes = [(op, measure.selections(op.selection_set)) for op in operations]
    except RecursionError:
        return [_too_complex("the document nests too deeply")]
    errors = [
        _too_complex(
            f"'{op.name.value if op.name else 'anonymous'}' exceeds maximum operation depth of"
            f" {limits.max_depth} (MAX_QUERY_DEPTH): it nests {shape.depth} levels",
            op,
        )
        for op, shape in shapes
        if shape.depth > limits.max_depth
    ]
    aliases = sum(shape.aliases for _, shape in shapes)
    if aliases > limits.max_aliases:
        errors.append(
            _too_complex(f"{aliases} aliases found. Allowed: {limits.max_aliases} (MAX_ALIASES)")
        )
    fields = sum(shape.fields for _, shape in shapes)
    if fields > limits.max_fields:
        errors.append(
            _too_complex(
                f"{fields} fields once its fragments are expanded; at most {limits.max_fields}"
                " are allowed (MAX_FIELDS)"
            )
        )
    if not errors and overlapping_pairs(document) > FIELD_COMPARISONS:
        errors.append(repeated_too_often())
    return errors


def _too_complex(message: str, node: OperationDefinitionNode | None = None) -> GraphQLError:
    return GraphQLError(message, node, extensions=_COMPLEX)


class BudgetedOverlap(OverlappingFieldsCanBeMergedRule):
    """graphql-core's rule with a per-document budget instead of its process-wide default
    (500,000 units, over a second of CPU); exhausting it refuses the document."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.rule_context.remaining_complexity_budget = FIELD_COMPARISONS

    def enter_selection_set(self, *args: Any) -> None:
        try:
            super().enter_selection_set(*args)
        except ValidationAbortedError:
            if self.rule_context.remaining_complexity_budget >= 0:
                raise
            raise ValidationAbortedError(
                repeated_too_often().message, extensions=_COMPLEX
            ) from None
