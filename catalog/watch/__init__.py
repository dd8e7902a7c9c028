"""Watching: the catalog refreshes itself, logs what changed and tells someone.

- `recorder`: every fetch of a list becomes a sync-log run with its diff (`catalog.listdiff`)
  and raises webhook events (`events`);
- `scheduler`: the scheduled refresh, one process at a time (a lease row);
- `endpoints`: webhook endpoints (URL policy, encrypted secrets); `delivery`: signed sends,
  retries, the outbox.

`service.Watch` is the service the schema and the CLI call: the reads (sync log, feed, delivery
log) and the mutations, one method each. This file imports nothing, so a module of the package
(the CLI's parser reads `events.EventType`) loads only what it needs.
"""
