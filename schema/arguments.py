"""Arguments and descriptions shared by the operations of several domains."""

from typing import Annotated

import strawberry

PROVIDER = "The provider's slug (`openrouter`, `groq`, ... or a configured instance's slug)."
"""The description of the `provider` argument of the live and saved models' operations."""

ProviderArg = Annotated[
    str, strawberry.argument(description="The provider's slug, e.g. `openrouter`.")
]
UseCacheArg = Annotated[
    bool, strawberry.argument(description="False fetches the list from the provider first.")
]
