"""Drift: how saved models differ from the live list (`modelChanges`), and applying it
(`syncSavedModels`)."""
