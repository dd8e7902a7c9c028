"""Saved models: what is saved, where requests go, and the mutations that save, sync, clear
and switch models."""
