"""The catalog service: live lists (cached), and the save / sync / clear flows.

It composes `providers` (upstream APIs) and `storage` (the database) and knows nothing of
GraphQL or HTTP requests, so the GraphQL schema and the CLI share every rule.
"""
