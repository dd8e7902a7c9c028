"""The compiled completer: large results built by generated code instead of field by field.

- `codegen`: an object type's selection set as one Python function (what it covers, exactly);
  `leaves`: its writer, and how it completes a scalar.
- `runtime`: what those functions call (leaf coercion, the built list completers and the lists
  they keep), `immutable`, the declaration their kept fields rest on, and `formatted`, a
  field's value kept already serialized on each instance.
- `executor`: `CompiledExecutor`, graphql-core's executor using those functions where they
  apply, and `Compiler`, the per-schema cache of them (one per operation document).
"""
