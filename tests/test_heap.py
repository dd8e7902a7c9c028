"""A serving process freezes what startup built (`server.freeze_startup_heap`): a full garbage
collection then walks only what requests keep, not the ~120,000 objects of modules, schema and
ORM (60-140 ms with the event loop stopped, every few large responses), and its young
generation's threshold is raised. An app a test builds changes neither: a test process builds
many."""

from __future__ import annotations

import gc

from server import YOUNG_THRESHOLD, build_app
from settings import Settings


async def test_a_serving_app_freezes_the_startup_heap_and_a_test_app_does_not(
    settings: Settings,
) -> None:
    gc.unfreeze()
    threshold = gc.get_threshold()
    try:
        app = build_app(settings)
        async with app.router.lifespan_context(app):
            assert gc.get_freeze_count() == 0
            assert gc.get_threshold() == threshold
        serving = build_app(settings, freeze_heap=True)
        async with serving.router.lifespan_context(serving):
            assert gc.get_freeze_count() > 10_000
            young, *older = gc.get_threshold()
            assert young == max(YOUNG_THRESHOLD, threshold[0]) > 700
            assert older == list(threshold[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
