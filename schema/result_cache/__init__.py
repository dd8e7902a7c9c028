"""Not re-executing an unchanged result: the catalog's hot path, in three parts.

Executing a 549-model list costs graphql-core ~6 µs per resolved field (~100 ms); serving the
same result again costs almost nothing, and its bytes are encoded once.

- `store`: `ResultCache`, a bounded LRU of execution results, one per process (`Services`),
  each entry with room for its encoded response.
- `extension`: `CachedResults`, the schema extension that decides, before execution, whether
  a stored result answers the operation (every root field is in the schema's cacheable table
  with a fingerprint, see `CacheableField`), and stores error-free results after it.
- `encoding`: the view's JSON encoder, which hands back a stored result's bytes instead of
  encoding it again (`encoded`, `EncodedResponse`, `encode_response`).

A miss executes inside `CachedResults.on_execute` (the `yield`) with the compiled completer
(`schema.compiled`): whatever sets `execution_context.result` there is stored under the same
key. An executor that produces the response's bytes itself may pass them to
`ResultCache.put(key, result, body=...)`, and a hit then serves them as they are.
"""
