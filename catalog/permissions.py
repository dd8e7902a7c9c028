"""The permissions a token may hold, declared once: `catalog.access` checks them (and names
them for the schema), the CLI's parser offers them (`token create --permission`) without
loading the database layer."""

from __future__ import annotations

MANAGE = "ai.manage"
READ = "ai.read"
PERMISSIONS = (MANAGE, READ)
