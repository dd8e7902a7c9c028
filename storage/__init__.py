"""The database: what admins saved. Knows nothing of HTTP, GraphQL or providers' APIs.

Every query of the service's operations is in this package (the health check's `SELECT 1`
aside), and what leaves it is a typed record (`storage.records`), never an ORM row:

- `figures`: the stored figures of a saved model, declared once (columns, writes, drift, GraphQL);
- `models`: the Tortoise tables; `migrations/`: their versioned history; `database`: connecting
  and migrating;
- `records`: the records handed to the catalog;
- `state`: a provider with its saved models, in one query (the hot path's read; drift's read);
- `saved`: saving, bulk-syncing, clearing, switching and listing saved models;
- `rewrite`: a drift sync's rewrite of saved models in one locked transaction;
- `providers`: provider instances; `tokens`: API tokens.
"""
