"""Curation and routing: display names, notes and tags (`curateModel`), slots (`slots`,
`setSlot`, `deleteSlot`) and where a slot's request goes (`route`)."""
