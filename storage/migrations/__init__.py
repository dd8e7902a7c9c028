"""Versioned schema migrations (Tortoise's own), applied by `ai-model-sync migrate`.

A new one is generated from a change to `storage/models.py` with Tortoise's CLI, then reviewed:
``python -m tortoise --config <module>.TORTOISE_ORM makemigrations -n <what_changed>``, with
that config naming `storage.database.tortoise_apps()` and any database URL.
"""
