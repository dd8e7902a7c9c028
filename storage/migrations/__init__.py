"""Versioned schema migrations (Tortoise's own), applied by `ai-model-sync migrate`.

A new one is generated from a change to `storage/models/` or `storage/figures.py` with
Tortoise's CLI, then reviewed (read what it wrote; test that the upgrade keeps data):
``python -m tortoise --config storage.tortoise_config.TORTOISE_ORM makemigrations -n <what>``.
"""
