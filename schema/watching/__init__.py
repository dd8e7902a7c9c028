"""The watching domain: the sync log, the change feed, webhook endpoints and deliveries."""
