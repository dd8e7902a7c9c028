"""Live lists: what a provider offers right now (`availableModels`, `refreshModels`)."""
