"""The database: what admins saved. Knows nothing of HTTP, GraphQL or providers' APIs."""
