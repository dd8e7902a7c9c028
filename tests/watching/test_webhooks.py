"""Webhook deliveries against a real receiver: retries with back-off on 500 and on a receiver
that hangs, never a second delivery of one event, the test event, the URL policy, the secret
shown once."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from catalog.clock import utc
from catalog.watch.delivery import Deliverer, Policy
from settings import Settings
from storage import webhooks
from tests.clock import ManualClock
from tests.service import Service, running_service
from tests.watching.conftest import REGISTER, Receiver, register

TEST = """mutation($id: ID!) { sendTestWebhook(id: $id) {
  messageId eventType status attempts responseStatus lastError payload } }"""
LOG = """query($id: ID) { webhookDeliveries(endpointId: $id, first: 10) {
  deliveries { messageId eventType status attempts responseStatus lastError } } }"""
ENDPOINTS = "{ webhookEndpoints { id url events isActive description } }"
UPDATE = """mutation($id: ID!, $input: UpdateWebhookInput!) {
  updateWebhook(id: $id, input: $input) { id isActive events } }"""
REMOVE = "mutation($id: ID!) { removeWebhook(id: $id) }"


async def test_a_test_event_is_signed_and_logged(watching: Service, receiver: Receiver) -> None:
    registered = await register(watching, receiver, description="ops pager")
    endpoint = registered["endpoint"]
    assert registered["secret"].startswith("whsec_")
    assert endpoint["events"] == [
        "model.changed",
        "model.missing",
        "model.retiring",
        "refresh.failing",
    ]
    sent = (await watching.gql(TEST, {"id": endpoint["id"]}))["sendTestWebhook"]
    assert (sent["status"], sent["attempts"], sent["responseStatus"]) == ("delivered", 1, 204)
    # the receiver checked the signature with `standardwebhooks` against the real time
    (message,) = receiver.received
    assert message["id"] == sent["messageId"] and message["type"] == "webhook.test"
    assert receiver.refused == 0
    # the secret is never shown again, by the API or the log
    listed = (await watching.gql(ENDPOINTS))["webhookEndpoints"]
    assert listed == [{**endpoint, "description": "ops pager"}]
    body = (await watching.post(ENDPOINTS)).text + (
        await watching.post(LOG, {"id": endpoint["id"]})
    ).text
    assert registered["secret"] not in body and registered["secret"][6:] not in body


async def test_a_failing_receiver_gets_retries_with_back_off_and_no_duplicate(
    watching: Service, receiver: Receiver, clock: ManualClock
) -> None:
    endpoint = (await register(watching, receiver))["endpoint"]
    receiver.answers = [500, "hang"]
    first = (await watching.gql(TEST, {"id": endpoint["id"]}))["sendTestWebhook"]
    assert (first["status"], first["attempts"], first["responseStatus"]) == ("pending", 1, 500)
    deliverer = watching.services.scheduler.deliverer
    assert await deliverer.run_due() == 0  # the retry waits 30 s
    clock.advance(30)
    assert await deliverer.run_due() == 1  # the receiver hangs: given up on after 0.5 s
    log = (await watching.gql(LOG, {"id": endpoint["id"]}))["webhookDeliveries"]["deliveries"]
    assert log[0]["lastError"] == "no answer within 0.5 s" and log[0]["attempts"] == 2
    clock.advance(59)
    assert await deliverer.run_due() == 0  # then 60 s
    clock.advance(1)
    assert await deliverer.run_due() == 1
    log = (await watching.gql(LOG, {"id": endpoint["id"]}))["webhookDeliveries"]["deliveries"]
    assert (log[0]["status"], log[0]["attempts"], log[0]["responseStatus"]) == ("delivered", 3, 204)
    clock.advance(3600)
    assert await deliverer.run_due() == 0
    # three attempts, one message id, delivered once
    assert receiver.attempts == 3 and [m["id"] for m in receiver.received] == [first["messageId"]]


async def test_a_delivery_is_given_up_after_the_last_attempt(
    watching: Service, receiver: Receiver, clock: ManualClock
) -> None:
    endpoint = (await register(watching, receiver))["endpoint"]
    receiver.answers = [503, 503, 503]
    await watching.gql(TEST, {"id": endpoint["id"]})
    for _ in range(4):
        clock.advance(3600)
        await watching.services.scheduler.deliverer.run_due()
    (failed,) = (await watching.gql(LOG, {"id": endpoint["id"]}))["webhookDeliveries"]["deliveries"]
    assert (failed["status"], failed["attempts"], failed["lastError"]) == ("failed", 3, "HTTP 503")
    assert receiver.attempts == 3


async def test_two_deliverers_claim_a_delivery_once(watching: Service, receiver: Receiver) -> None:
    endpoint = (await register(watching, receiver))["endpoint"]
    mine = watching.services.scheduler.deliverer
    other = Deliverer(mine.http, mine.keys, mine.policy, mine.clock, allow_private=True)
    receiver.answers = ["hang"]  # the first claim is still in flight when the second looks
    queued = await webhooks.enqueue(
        "test:both", "webhook.test", {}, utc(mine.clock), endpoint_id=int(endpoint["id"])
    )
    assert queued == 1
    sent = await asyncio.gather(mine.run_due(), other.run_due())
    assert sorted(sent) == [0, 1] and receiver.attempts == 1
    again = await webhooks.enqueue("test:both", "webhook.test", {}, utc(mine.clock))
    assert again is None  # one event per key: noticed twice, stored once


async def test_endpoints_are_managed_and_paused(watching: Service, receiver: Receiver) -> None:
    endpoint = (await register(watching, receiver, events=["models.added"]))["endpoint"]
    assert endpoint["events"] == ["models.added"]
    paused = await watching.gql(UPDATE, {"id": endpoint["id"], "input": {"isActive": False}})
    assert paused["updateWebhook"]["isActive"] is False
    assert (await watching.gql(REMOVE, {"id": endpoint["id"]}))["removeWebhook"] is True
    assert (await watching.gql(ENDPOINTS))["webhookEndpoints"] == []
    gone = await watching.error(TEST, {"id": endpoint["id"]})
    assert gone["extensions"]["code"] == "NOT_FOUND"


async def test_bad_endpoints_are_refused_with_codes(watching: Service) -> None:
    for url, says in (
        ("ftp://example.com/x", "http:// or https://"),
        ("https://user:pw@example.com/x", "credentials"),
    ):
        error = await watching.error(REGISTER, {"input": {"url": url}})
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and says in error["message"]
    events = await watching.error(
        REGISTER, {"input": {"url": "https://example.com", "events": ["nope"]}}
    )
    assert "unknown: nope" in events["message"]
    secret = await watching.error(
        REGISTER, {"input": {"url": "https://example.com", "secret": "short"}}
    )
    assert secret["extensions"]["code"] == "BAD_USER_INPUT" and "short" not in secret["message"]
    reader = await watching.error(
        REGISTER, {"input": {"url": "https://example.com"}}, token=watching.reader_token
    )
    assert reader["extensions"]["code"] == "FORBIDDEN"


async def test_private_addresses_are_refused_unless_allowed(settings: Settings) -> None:
    strict = dataclasses.replace(settings, webhook_allow_private=False)
    async with running_service(strict) as service:
        for url in (
            "http://127.0.0.1:9/x",
            "http://10.0.0.8/x",
            "http://169.254.169.254/latest",
            "http://[::1]/x",
        ):
            error = await service.error(REGISTER, {"input": {"url": url}})
            assert error["extensions"]["code"] == "BAD_USER_INPUT"
            assert "WEBHOOK_ALLOW_PRIVATE" in error["message"]
        # a name is checked where it is connected to: localhost resolves inward
        registered = await service.gql(REGISTER, {"input": {"url": "http://localhost:9/x"}})
        sent = await service.gql(TEST, {"id": registered["registerWebhook"]["endpoint"]["id"]})
        delivery = sent["sendTestWebhook"]
        assert delivery["status"] == "pending" and "no public address" in delivery["lastError"]


def test_back_off_doubles_up_to_six_hours() -> None:
    policy = Policy(timeout=10, max_attempts=20, retry_base=30)
    assert [policy.delay(n) for n in (1, 2, 3, 10, 15)] == [30, 60, 120, 15360, 21600]


async def test_a_private_address_is_refused_at_send_time_once_disallowed(
    watching: Service, receiver: Receiver
) -> None:
    endpoint = (await register(watching, receiver))["endpoint"]  # registered while allowed
    mine = watching.services.scheduler.deliverer
    strict = Deliverer(mine.http, mine.keys, mine.policy, mine.clock, allow_private=False)
    now = utc(mine.clock)
    await webhooks.enqueue("test:strict", "webhook.test", {}, now, endpoint_id=int(endpoint["id"]))
    assert await strict.run_due() == 1
    log = (await watching.gql(LOG, {"id": endpoint["id"]}))["webhookDeliveries"]["deliveries"]
    assert "WEBHOOK_ALLOW_PRIVATE" in log[0]["lastError"] and receiver.attempts == 0


async def test_a_failed_attempt_logs_the_receiver_s_origin_only(
    watching: Service, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    secret_path = f"{receiver.url}?token=hook-secret-in-the-url"
    endpoint = (await register(watching, receiver, url=secret_path))["endpoint"]
    receiver.answers = [500]
    await watching.gql(TEST, {"id": endpoint["id"]})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"to http://127.0.0.1:{receiver.port}: attempt 1 failed (HTTP 500)" in logged
    assert "hook-secret-in-the-url" not in logged and "/hooks" not in logged


async def test_rotated_secrets_still_sign_what_receivers_verify(
    watching: Service, receiver: Receiver
) -> None:
    endpoint = (await register(watching, receiver))["endpoint"]
    assert await watching.services.catalog.watch.endpoints.rotate_secrets() == 1
    sent = (await watching.gql(TEST, {"id": endpoint["id"]}))["sendTestWebhook"]
    assert sent["status"] == "delivered" and receiver.refused == 0
