"""Cross-check the in-memory test server against the official Iggy Python SDK (apache-iggy 0.9.0).

The SDK is a black-box peer: it encodes and decodes every frame with Iggy's own Rust code, so any
disagreement with the test server (or with our description of the protocol, which the server follows) shows up here.

Usage:
    python test/conformance/official_python_sdk.py [--address HOST:PORT] [--username U] [--password P]

Defaults come from IGGY_TEST_SERVER_HOST / IGGY_TEST_SERVER_PORT / IGGY_TEST_SERVER_USERNAME /
IGGY_TEST_SERVER_PASSWORD (127.0.0.1, 8090, iggy, iggy). Exit status 0 = every check passed.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime
import json
import os
import struct
import sys
import tempfile
import time
import uuid
from typing import Any, Awaitable, Callable

from apache_iggy import (
    AutoCommit,
    AutoCommitWhen,
    Consumer,
    HeaderKey,
    HeaderValue,
    IggyClient,
    Partitioning,
    PollingStrategy,
    SendMessage,
)

# Every SDK call gets a deadline: a silent drop on the server side must fail a check, not hang the run.
CALL_TIMEOUT_S = 10.0


async def call(awaitable: Awaitable[Any]) -> Any:
    return await asyncio.wait_for(awaitable, CALL_TIMEOUT_S)


class Checks:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.passed = 0

    async def run(self, name: str, body: Callable[[], Awaitable[None]]) -> None:
        started = time.monotonic()
        try:
            await body()
        except Exception as error:  # noqa: BLE001 - every failure is reported, none stops the run
            self.failures.append(name)
            print(f"FAIL {name}: {type(error).__name__}: {error}")
            return
        self.passed += 1
        print(f"PASS {name} ({(time.monotonic() - started) * 1000:.0f} ms)")


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def messages_view(messages: list[Any]) -> list[tuple[int, str]]:
    return [(m.offset(), m.payload().decode()) for m in messages]


def wire_name(text: str) -> bytes:
    encoded = text.encode()
    return bytes([len(encoded)]) + encoded


def string_identifier(text: str) -> bytes:
    return bytes([2]) + wire_name(text)


# ─── cross-client helpers: lib/iggy (test/conformance/cross-client.ts) against the SDK ──────────────────

CROSS_TOPIC = "cross"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The lib/iggy side is a TypeScript program; tsx start-up on a busy machine is slow, so it gets more than one call.
CROSS_CLIENT_TIMEOUT_S = 60.0

# SDK header classes → the TLV kind names cross-client.ts uses (docs/architecture.md#shared-encodings).
HEADER_KIND_NAMES = {
    "Raw": "raw",
    "String": "string",
    "Bool": "bool",
    "Int8": "int8",
    "Int16": "int16",
    "Int32": "int32",
    "Int64": "int64",
    "Int128": "int128",
    "UnsignedInt8": "uint8",
    "UnsignedInt16": "uint16",
    "UnsignedInt32": "uint32",
    "UnsignedInt64": "uint64",
    "UnsignedInt128": "uint128",
    "Float32": "float32",
    "Float64": "float64",
}


def header_field(typed: Any) -> dict[str, str]:
    """A HeaderKey/HeaderValue as {kind, value} with the value spelled like cross-client.ts spells it."""
    kind = HEADER_KIND_NAMES.get(type(typed).__name__)
    if kind is None:
        raise AssertionError(f"unexpected header type {typed!r}")
    value = typed.value
    if kind == "raw":
        text = bytes(value).hex()
    elif kind == "bool":
        text = "true" if value else "false"
    else:
        text = str(value)
    return {"kind": kind, "value": text}


def canonical_headers(entries: list[dict[str, dict[str, str]]]) -> list[tuple[str, str, str, str]]:
    # Headers are a map on Iggy's side; wire order means nothing.
    return sorted((e["key"]["kind"], e["key"]["value"], e["value"]["kind"], e["value"]["value"]) for e in entries)


def sdk_headers(message: Any) -> list[dict[str, dict[str, str]]]:
    headers = message.user_headers()
    if headers is None:
        return []
    return [{"key": header_field(k), "value": header_field(v)} for k, v in headers.items()]


async def run_cross_client(*arguments: str) -> str:
    """Runs `npx tsx test/conformance/cross-client.ts ...` in the repo root; returns stdout, raises on failure."""
    command = ["npx", "--no-install", "tsx", "test/conformance/cross-client.ts", *arguments]
    try:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=REPO_ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
    except OSError as error:
        raise RuntimeError(
            f"cannot spawn npx tsx ({error}); run from the repo root with node and node_modules installed"
        ) from error
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), CROSS_CLIENT_TIMEOUT_S)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        raise RuntimeError(f"cross-client.ts {arguments[0]} did not finish within {CROSS_CLIENT_TIMEOUT_S:.0f} s") from None
    if process.returncode != 0:
        details = (stderr.decode(errors="replace") or stdout.decode(errors="replace")).strip()
        if process.returncode == 127 or "could not determine executable" in details:
            raise RuntimeError(f"cannot run tsx in {REPO_ROOT}, check skipped: {details}")
        raise AssertionError(f"cross-client.ts {arguments[0]} exited {process.returncode}:\n{details}")
    return stdout.decode()


# ─── consumer-group helpers: raw frames the SDK sends internally, and high-level consumers ──────────────

RESYNC_PARTITION = 0xFFFFFFFF
# Per docs/architecture.md#consumer-groups-on-the-wire: two members on a 4-partition topic own [0, 1] and [3, 2] (sync order).
TWO_MEMBER_ASSIGNMENT = {0: [0, 1], 1: [3, 2]}
# A group consumer that receives nothing for this long has stalled; the check fails instead of hanging.
GROUP_CONSUME_TIMEOUT_S = 20.0


def group_consumer(name: str) -> bytes:
    return bytes([2]) + string_identifier(name)


async def raw_sync(client: IggyClient, stream: str, topic: str, group: str) -> tuple[int, list[int]] | None:
    """SyncConsumerGroup (read code 606), the frame the SDK's group consumer sends after joining."""
    raw = await call(
        client.send_binary_request(606, string_identifier(stream) + string_identifier(topic) + string_identifier(group))
    )
    if len(raw) == 0:
        return None
    expect(len(raw) >= 12, f"sync reply of {len(raw)} bytes")
    generation, count = struct.unpack_from("<QI", raw, 0)
    expect(len(raw) == 12 + 4 * count, f"sync reply of {len(raw)} bytes for {count} partitions")
    return generation, list(struct.unpack_from(f"<{count}I", raw, 12))


async def raw_group_poll(client: IggyClient, stream: str, topic: str, group: str, partition: int) -> tuple[int, int]:
    """A group poll (code 100, Next, no auto-commit) of an explicit partition; returns (partition id, count)."""
    body = (
        group_consumer(group)
        + string_identifier(stream)
        + string_identifier(topic)
        + bytes([1])
        + struct.pack("<I", partition)
        + bytes([5])
        + struct.pack("<Q", 0)
        + struct.pack("<I", 10)
        + bytes([0])
    )
    raw = await call(client.send_binary_request(100, body))
    expect(len(raw) >= 16, f"poll reply of {len(raw)} bytes")
    partition_id, _current, count = struct.unpack_from("<IQI", raw, 0)
    return partition_id, count


async def members_by_id(client: IggyClient, stream: str, topic: str, group: str) -> dict[int, list[int]]:
    details = await call(client.get_consumer_group(stream, topic, group))
    expect(details is not None, f"get_consumer_group({group}) returned None")
    members = {m.id: list(m.partitions) for m in details.members}
    expect(details.members_count == len(members), f"members_count {details.members_count} for {members}")
    return members


async def consume_together(consumers: list[Any], wanted: int) -> list[list[tuple[int, int, str]]]:
    """Runs every consumer's consume_messages at once until together they hold `wanted` distinct messages.

    Returns what each one received (duplicates kept, so the caller can see them). A stall past
    GROUP_CONSUME_TIMEOUT_S raises with what had arrived by then.
    """
    received: list[list[tuple[int, int, str]]] = [[] for _ in consumers]
    shutdowns = [asyncio.Event() for _ in consumers]
    enough = asyncio.Event()

    def distinct() -> int:
        return len({(p, o) for own in received for p, o, _ in own})

    def on_message_for(index: int) -> Callable[[Any], Awaitable[None]]:
        async def on_message(message: Any) -> None:
            received[index].append((message.partition_id(), message.offset(), message.payload().decode()))
            if distinct() >= wanted:
                enough.set()

        return on_message

    tasks = [
        asyncio.ensure_future(consumer.consume_messages(on_message_for(index), shutdowns[index]))
        for index, consumer in enumerate(consumers)
    ]
    try:
        waiter = asyncio.ensure_future(enough.wait())
        done, _ = await asyncio.wait([waiter, *tasks], timeout=GROUP_CONSUME_TIMEOUT_S, return_when=asyncio.FIRST_COMPLETED)
        if waiter not in done:
            waiter.cancel()
            failed = [t.exception() for t in done if t is not waiter and t.exception() is not None]
            if failed:
                raise AssertionError(f"consume_messages failed: {failed[0]!r}")
            raise AssertionError(
                f"only {distinct()} of {wanted} messages within {GROUP_CONSUME_TIMEOUT_S:.0f} s: "
                f"{[sorted(own) for own in received]}"
            )
    finally:
        for shutdown in shutdowns:
            shutdown.set()
        # The SDK stops a consumer at its next poll after the event; give it a bounded moment.
        await asyncio.wait(tasks, timeout=CALL_TIMEOUT_S)
        for task in tasks:
            if not task.done():
                task.cancel()
    return received

async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--address",
        default=f"{os.environ.get('IGGY_TEST_SERVER_HOST', '127.0.0.1')}:{os.environ.get('IGGY_TEST_SERVER_PORT', '8090')}",
    )
    parser.add_argument("--username", default=os.environ.get("IGGY_TEST_SERVER_USERNAME", "iggy"))
    parser.add_argument("--password", default=os.environ.get("IGGY_TEST_SERVER_PASSWORD", "iggy"))
    parser.add_argument(
        "--incompatible-address",
        help="a server speaking protocol 0.12.5 (IGGY_TEST_SERVER_PROTOCOL_VERSION=0.12.5): login must be refused",
    )
    args = parser.parse_args()

    suffix = uuid.uuid4().hex[:8]
    stream = f"conformance-{suffix}"
    topic = "events"
    reader = "py-reader"
    group = "py-group"
    client = IggyClient(args.address)
    checks = Checks()

    async def login() -> None:
        await call(client.connect())
        await call(client.login_user(args.username, args.password))
        await call(client.ping())

    async def create_stream() -> None:
        await call(client.create_stream(stream))
        details = await call(client.get_stream(stream))
        expect(details is not None, "get_stream returned None right after create")
        expect(details.name == stream, f"name {details.name!r}")
        expect(details.topics_count == 0, f"topics_count {details.topics_count}")
        listed = [s.name for s in await call(client.get_streams())]
        expect(stream in listed, f"get_streams misses {stream}: {listed}")

    async def duplicate_stream_rejected() -> None:
        try:
            await call(client.create_stream(stream))
        except RuntimeError as error:
            expect("already exists" in str(error).lower() or "1012" in str(error), f"unexpected error text: {error}")
            return
        raise AssertionError("a duplicate stream name was accepted")

    async def create_topic() -> None:
        await call(client.create_topic(stream, topic, 2))
        details = await call(client.get_topic(stream, topic))
        expect(details is not None, "get_topic returned None right after create")
        expect(details.partitions_count == 2, f"partitions_count {details.partitions_count}")
        partitions = [(p.id, p.segments_count, p.current_offset, p.messages_count) for p in details.partitions]
        expect(partitions == [(0, 1, 0, 0), (1, 1, 0, 0)], f"partitions {partitions}")
        expect(type(details.message_expiry).__name__ == "NeverExpire", f"message_expiry {details.message_expiry!r}")
        expect(type(details.max_topic_size).__name__ == "Unlimited", f"max_topic_size {details.max_topic_size!r}")
        expect(details.compression_algorithm == "none", f"compression {details.compression_algorithm}")

    async def send_messages() -> None:
        first = await call(
            client.send_messages(stream, topic, Partitioning.partition_id(0), [SendMessage(f"m{i}") for i in range(5)])
        )
        confirmations = [(c.partition_id, c.base_offset) for c in first.confirmations]
        expect(confirmations == [(0, 0)], f"first send confirmations {confirmations}")
        second = await call(
            client.send_messages(
                stream,
                topic,
                0,
                [SendMessage("m5", id=0x0123456789ABCDEF0123456789ABCDEF), SendMessage(b"m6"), SendMessage("m7")],
            )
        )
        expect([(c.partition_id, c.base_offset) for c in second.confirmations] == [(0, 5)], "second send base offset")
        await call(client.send_messages(stream, topic, Partitioning.balanced(), [SendMessage("balanced")]))
        await call(client.send_messages(stream, topic, Partitioning.messages_key("user-1"), [SendMessage("keyed")]))

    async def poll_next_with_auto_commit() -> None:
        def poll() -> Awaitable[list[Any]]:
            return client.poll_messages(
                stream,
                topic,
                consumer=Consumer.Single(reader),
                polling_strategy=PollingStrategy.Next(),
                count=3,
                auto_commit=True,
                partition_id=0,
            )

        first = messages_view(await call(poll()))
        expect(first == [(0, "m0"), (1, "m1"), (2, "m2")], f"first Next poll {first}")
        second = await call(poll())
        expect(messages_view(second) == [(3, "m3"), (4, "m4"), (5, "m5")], f"second Next poll {messages_view(second)}")
        expect(second[2].id() == 0x0123456789ABCDEF0123456789ABCDEF, f"message id {second[2].id():#x}")
        expect(all(m.partition_id() == 0 for m in second), "partition ids")

    async def consumer_offset() -> None:
        # get_consumer_offset (code 120) is not wrapped by this SDK build; its raw-request path still frames it.
        body = (
            bytes([1])
            + string_identifier(reader)
            + string_identifier(stream)
            + string_identifier(topic)
            + bytes([1])
            + struct.pack("<I", 0)
        )
        raw = await call(client.send_binary_request(120, body))
        expect(len(raw) == 20, f"offset reply length {len(raw)}")
        partition_id, current_offset, stored_offset = struct.unpack("<IQQ", raw)
        expect(partition_id == 0, f"partition {partition_id}")
        expect(stored_offset == 5, f"stored offset {stored_offset} (auto-commit keeps the last returned offset)")
        expect(current_offset >= 7, f"current offset {current_offset}")

    async def other_strategies() -> None:
        async def poll(strategy: Any, count: int) -> list[tuple[int, str]]:
            return messages_view(
                await call(
                    client.poll_messages(
                        stream,
                        topic,
                        consumer=Consumer.Single("py-peek"),
                        polling_strategy=strategy,
                        count=count,
                        auto_commit=False,
                        partition_id=0,
                    )
                )
            )

        expect((await poll(PollingStrategy.Offset(6), 2)) == [(6, "m6"), (7, "m7")], "Offset(6)")
        expect((await poll(PollingStrategy.First(), 2)) == [(0, "m0"), (1, "m1")], "First")
        last = await poll(PollingStrategy.Last(), 1)
        expect(len(last) == 1 and last[0][0] >= 7, f"Last {last}")
        expect((await poll(PollingStrategy.Timestamp(0), 1)) == [(0, "m0")], "Timestamp(0)")

    async def topic_counters() -> None:
        details = await call(client.get_topic(stream, topic))
        total = sum(p.messages_count for p in details.partitions)
        expect(total == 10, f"messages across partitions {total}")
        p0 = details.partitions[0]
        expect(p0.current_offset == p0.messages_count - 1, f"partition 0 current {p0.current_offset} count {p0.messages_count}")

    async def consumer_group() -> None:
        await call(client.create_consumer_group(stream, topic, group))
        await call(client.join_consumer_group(stream, topic, group))
        details = await call(client.get_consumer_group(stream, topic, group))
        expect(details is not None and details.members_count == 1, "one member after join")
        assigned = sorted(p for m in details.members for p in m.partitions)
        expect(assigned == [0, 1], f"assigned partitions {assigned}")
        seen: list[tuple[int, int]] = []
        for _ in range(4):
            batch = await call(
                client.poll_messages(
                    stream,
                    topic,
                    consumer=Consumer.Group(group),
                    polling_strategy=PollingStrategy.Next(),
                    count=100,
                    auto_commit=True,
                )
            )
            seen.extend((m.partition_id(), m.offset()) for m in batch)
        expect(len(seen) == len(set(seen)), f"a group member saw a message twice: {seen}")
        expect(len(seen) >= 8, f"group polls returned {len(seen)} messages")
        await call(client.leave_consumer_group(stream, topic, group))
        after = await call(client.get_consumer_group(stream, topic, group))
        expect(after is not None and after.members_count == 0, "no members after leave")

    async def high_level_group_consumer() -> None:
        high_topic = "fan-out"
        await call(client.create_topic(stream, high_topic, 3))
        for partition in range(3):
            await call(client.send_messages(stream, high_topic, partition, [SendMessage(f"p{partition}-{i}") for i in range(2)]))
        consumer = await call(
            client.consumer_group(
                "py-high-level",
                stream,
                high_topic,
                batch_length=10,
                auto_commit=AutoCommit.When(AutoCommitWhen.PollingMessages()),
            )
        )
        received: list[tuple[int, int, str]] = []

        async def collect() -> None:
            async for message in consumer.iter_messages():
                received.append((message.partition_id(), message.offset(), message.payload().decode()))
                if len(received) >= 6:
                    break

        await call(collect())
        expect(sorted(received) == [(p, i, f"p{p}-{i}") for p in range(3) for i in range(2)], f"received {received}")
        await call(consumer.store_offset(1, 0))
        await call(consumer.delete_offset(0))
        try:
            await call(consumer.delete_offset(0))
        except RuntimeError as error:
            expect("not found" in str(error).lower(), f"second delete error text: {error}")
        else:
            raise AssertionError("deleting a never-stored offset succeeded")

    async def logged_in_client() -> IggyClient:
        peer = IggyClient(args.address)
        await call(peer.connect())
        await call(peer.login_user(args.username, args.password))
        return peer

    members: list[IggyClient] = []

    async def member_clients(count: int) -> list[IggyClient]:
        # Each group member needs its own connection: the server keys membership by client (session).
        while len(members) < count:
            members.append(await logged_in_client())
        return members[:count]

    async def group_assignment() -> None:
        quad, quad_group = "quad", "py-quad"
        await call(client.create_topic(stream, quad, 4))
        await call(client.create_consumer_group(stream, quad, quad_group))
        first, second, third = await member_clients(3)
        generations: list[int] = []

        async def expect_state(step: str, wanted: dict[int, list[int]], syncing: dict[int, IggyClient]) -> None:
            listed = await members_by_id(client, stream, quad, quad_group)
            # GetConsumerGroup's partition order is not pinned down by the observed rule; sync's order is (e.g. [3, 2]).
            expect(
                {m: sorted(p) for m, p in listed.items()} == {m: sorted(p) for m, p in wanted.items()},
                f"after {step}: get_consumer_group members {listed}, the observed rule says {wanted}",
            )
            step_generations = set()
            for member_id, peer in syncing.items():
                synced = await raw_sync(peer, stream, quad, quad_group)
                expect(synced is not None, f"after {step}: member {member_id}'s sync reply is empty")
                generation, partitions = synced
                expect(
                    partitions == wanted[member_id],
                    f"after {step}: member {member_id} syncs {partitions}, the observed rule says {wanted[member_id]}",
                )
                step_generations.add(generation)
            expect(len(step_generations) == 1, f"after {step}: members sync different generations {step_generations}")
            (generation,) = step_generations
            expect(not generations or generation > generations[-1], f"after {step}: generation {generation}, before {generations}")
            generations.append(generation)

        await call(first.join_consumer_group(stream, quad, quad_group))
        await expect_state("member 0 joins", {0: [0, 1, 2, 3]}, {0: first})
        await call(second.join_consumer_group(stream, quad, quad_group))
        await expect_state("member 1 joins", TWO_MEMBER_ASSIGNMENT, {0: first, 1: second})
        await call(third.join_consumer_group(stream, quad, quad_group))
        await expect_state("member 2 joins", {0: [0, 1], 1: [3], 2: [2]}, {0: first, 1: second, 2: third})
        await call(second.leave_consumer_group(stream, quad, quad_group))
        await expect_state("member 1 leaves", {0: [0, 2], 2: [1, 3]}, {0: first, 2: third})
        expect((await raw_sync(second, stream, quad, quad_group)) is None, "a member that left still syncs partitions")
        await call(first.leave_consumer_group(stream, quad, quad_group))
        await call(third.leave_consumer_group(stream, quad, quad_group))
        expect((await members_by_id(client, stream, quad, quad_group)) == {}, "members left after every leave")

    async def group_resync_replies() -> None:
        quad, resync_group = "quad", "py-resync"
        await call(client.create_consumer_group(stream, quad, resync_group))
        first, second = await member_clients(2)
        await call(first.join_consumer_group(stream, quad, resync_group))
        await call(second.join_consumer_group(stream, quad, resync_group))
        owned = await members_by_id(client, stream, quad, resync_group)
        expect(sorted(owned) == [0, 1], f"member ids {sorted(owned)}")
        # Which connection got which member id is not observable through the SDK; sync tells each its own.
        mine = await raw_sync(first, stream, quad, resync_group)
        expect(mine is not None, "first member's sync is empty")
        _, own_partitions = mine
        for partition in own_partitions:
            answered, _ = await raw_group_poll(first, stream, quad, resync_group, partition)
            expect(answered == partition, f"own partition {partition} polled, reply names partition {answered}")
        for partition in sorted(set(range(4)) - set(own_partitions)):
            answered, count = await raw_group_poll(first, stream, quad, resync_group, partition)
            expect(
                (answered, count) == (RESYNC_PARTITION, 0),
                f"foreign partition {partition}: reply partition {answered}, {count} messages (want 0xFFFFFFFF, 0)",
            )
        answered, count = await raw_group_poll(client, stream, quad, resync_group, 0)
        expect((answered, count) == (RESYNC_PARTITION, 0), f"non-member poll: partition {answered}, {count} messages")
        expect((await raw_sync(client, stream, quad, resync_group)) is None, "a non-member's sync is not empty")
        await call(first.leave_consumer_group(stream, quad, resync_group))
        await call(second.leave_consumer_group(stream, quad, resync_group))

    split, split_group = "split", "py-split"
    split_consumers: list[Any] = []

    async def send_numbered(first_number: int, count: int) -> None:
        for partition in range(4):
            numbers = [n for n in range(first_number, first_number + count) if n % 4 == partition]
            await call(client.send_messages(stream, split, partition, [SendMessage(f"n{n}") for n in numbers]))

    async def two_sdk_group_consumers() -> None:
        await call(client.create_topic(stream, split, 4))
        for peer in await member_clients(2):
            split_consumers.append(
                await call(
                    peer.consumer_group(
                        split_group,
                        stream,
                        split,
                        batch_length=7,
                        auto_commit=AutoCommit.When(AutoCommitWhen.PollingMessages()),
                        # Without a pause an idle consumer polls in a tight loop (tens of thousands of polls a second).
                        poll_interval=datetime.timedelta(milliseconds=5),
                    )
                )
            )
        assignment = await members_by_id(client, stream, split, split_group)
        expect(sorted(assignment) == [0, 1], f"member ids after both consumers joined: {sorted(assignment)}")
        # A raw sync on a consumer's own connection tells which partitions that consumer owns.
        synced = [await raw_sync(peer, stream, split, split_group) for peer in await member_clients(2)]
        expect(all(s is not None for s in synced), f"a joined consumer's sync is empty: {synced}")
        own = [set(s[1]) for s in synced if s is not None]
        await send_numbered(0, 40)
        received = await consume_together(split_consumers, 40)
        everything = [payload for own in received for _, _, payload in own]
        expect(sorted(everything) == sorted(f"n{n}" for n in range(40)), f"received {sorted(everything)}")
        seen = [{p for p, _, _ in messages} for messages in received]
        expect(seen == own, f"consumers read partitions {seen}, their syncs say {own} (group lists {assignment})")
        expect(sorted(sorted(p) for p in own) == [[0, 1], [2, 3]], f"two-member assignment {own}, the observed rule says [0, 1] / [3, 2]")
        for messages in received:
            for partition, offset, payload in messages:
                number = int(payload[1:])
                expect((partition, offset) == (number % 4, number // 4), f"{payload} at partition {partition} offset {offset}")

    async def remaining_member_takes_all() -> None:
        expect(len(split_consumers) == 2, "the two-consumer check did not set up its consumers")
        _, second = await member_clients(2)
        await call(second.leave_consumer_group(stream, split, split_group))
        assignment = await members_by_id(client, stream, split, split_group)
        expect(list(assignment.values()) == [[0, 1, 2, 3]], f"after a leave the group assigns {assignment}")
        await send_numbered(40, 40)
        (received,) = await consume_together(split_consumers[:1], 40)
        expect(sorted(payload for _, _, payload in received) == sorted(f"n{n}" for n in range(40, 80)),
               f"remaining member received {sorted(received)}")
        expect({p for p, _, _ in received} == {0, 1, 2, 3}, f"remaining member read partitions {sorted({p for p, _, _ in received})}")

    async def errors_map_to_sdk_errors() -> None:
        async def expect_error(awaitable: Awaitable[Any], fragment: str) -> None:
            try:
                await call(awaitable)
            except RuntimeError as error:
                expect(fragment in str(error).lower(), f"expected {fragment!r} in {error!r}")
                return
            raise AssertionError(f"no error (expected {fragment!r})")

        stranger = IggyClient(args.address)
        await call(stranger.connect())
        await expect_error(stranger.login_user(args.username, args.password + "-wrong"), "invalid credentials")
        await expect_error(client.send_messages(stream, "missing", 0, [SendMessage("x")]), "not found")
        await expect_error(
            client.poll_messages(
                stream,
                "missing",
                consumer=Consumer.Single(1),
                polling_strategy=PollingStrategy.First(),
                count=1,
                auto_commit=False,
            ),
            "not found",
        )
        await expect_error(client.create_topic(stream, "too-wide", 1001), "too many partitions")

    async def sdk_decodes_lib_iggy() -> None:
        cross_stream = f"cross-ts-{suffix}"
        output = await run_cross_client("send", "--address", args.address, "--stream", cross_stream,
                                        "--username", args.username, "--password", args.password)
        try:
            sent = json.loads(output)
        except json.JSONDecodeError as error:
            raise AssertionError(f"cross-client.ts send printed no JSON: {output[:200]!r}") from error
        expected = sent["messages"]
        polled = await call(
            client.poll_messages(
                cross_stream,
                CROSS_TOPIC,
                consumer=Consumer.Single("py-cross"),
                polling_strategy=PollingStrategy.Offset(int(sent["baseOffset"])),
                count=len(expected),
                auto_commit=False,
                partition_id=sent["partitionId"],
            )
        )
        expect(len(polled) == len(expected), f"SDK polled {len(polled)} of {len(expected)} messages")
        for index, (want, got) in enumerate(zip(expected, polled)):
            where = f"message {index} (offset {got.offset()})"
            expect(got.id() == int(want["id"]), f"{where} id: lib/iggy sent {want['id']}, SDK read {got.id()}")
            payload = base64.b64decode(want["payloadBase64"])
            expect(
                got.payload() == payload,
                f"{where} payload: lib/iggy sent {len(payload)} bytes, SDK read {len(got.payload())} bytes",
            )
            expect(
                got.origin_timestamp() == int(want["originTimestampMicros"]),
                f"{where} origin timestamp: lib/iggy sent {want['originTimestampMicros']}, SDK read {got.origin_timestamp()}",
            )
            expect(
                canonical_headers(sdk_headers(got)) == canonical_headers(want["userHeaders"]),
                f"{where} user headers: lib/iggy sent {canonical_headers(want['userHeaders'])} "
                f"(raw {want.get('userHeadersHex')}), SDK read {canonical_headers(sdk_headers(got))}",
            )
        await call(client.delete_stream(cross_stream))

    async def lib_iggy_decodes_sdk() -> None:
        cross_stream = f"cross-py-{suffix}"
        await call(client.create_stream(cross_stream))
        await call(client.create_topic(cross_stream, CROSS_TOPIC, 1))
        outgoing = [
            (
                7,
                "sent by the official SDK",
                {
                    HeaderKey.String("trace-id"): HeaderValue.String("py-4bf92f3577b34da6"),
                    HeaderKey.String("attempt"): HeaderValue.UnsignedInt32(4_000_000_000),
                },
            ),
            (
                (1 << 128) - 2,
                "Grüße — 日本語 — 🐍 ✓",
                {
                    HeaderKey.String("städte"): HeaderValue.String("Zürich ⇄ 東京 🚄"),
                    HeaderKey.String("size"): HeaderValue.UnsignedInt64((1 << 64) - 1),
                    HeaderKey.String("replayed"): HeaderValue.Bool(False),
                    HeaderKey.String("digest"): HeaderValue.Raw(bytes([0, 0xFF, 0x10, 0xAB])),
                    HeaderKey.String("delta"): HeaderValue.Int64(-42),
                },
            ),
            (0xFEDCBA9876543210FEDCBA9876543210, bytes((i * 7 + (i >> 8)) & 0xFF for i in range(64 * 1024)), None),
        ]
        before_micros = time.time_ns() // 1000
        confirmation = await call(
            client.send_messages(
                cross_stream,
                CROSS_TOPIC,
                Partitioning.partition_id(0),
                [SendMessage(data, user_headers=headers, id=message_id) for message_id, data, headers in outgoing],
            )
        )
        after_micros = time.time_ns() // 1000
        base_offset = confirmation.confirmations[0].base_offset
        # The SDK stamps origin timestamps itself; read them back through the SDK to learn the exact values.
        own = await call(
            client.poll_messages(
                cross_stream,
                CROSS_TOPIC,
                consumer=Consumer.Single("py-cross"),
                polling_strategy=PollingStrategy.Offset(base_offset),
                count=len(outgoing),
                auto_commit=False,
                partition_id=0,
            )
        )
        expect(len(own) == len(outgoing), f"SDK polled back {len(own)} of its {len(outgoing)} messages")
        messages = []
        for (message_id, data, headers), polled in zip(outgoing, own):
            origin = polled.origin_timestamp()
            expect(before_micros <= origin <= after_micros, f"SDK origin {origin} outside [{before_micros}, {after_micros}]")
            payload = data.encode() if isinstance(data, str) else data
            messages.append(
                {
                    "id": str(message_id),
                    "payloadBase64": base64.b64encode(payload).decode(),
                    "originTimestampMicros": str(origin),
                    "userHeaders": [{"key": header_field(k), "value": header_field(v)} for k, v in (headers or {}).items()],
                }
            )
        expectation = {
            "stream": cross_stream,
            "topic": CROSS_TOPIC,
            "partitionId": 0,
            "baseOffset": str(base_offset),
            "messages": messages,
        }
        with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="iggy-cross-", delete=False) as file:
            json.dump(expectation, file)
            expectation_path = file.name
        try:
            await run_cross_client("verify", "--address", args.address, "--stream", cross_stream,
                                   "--username", args.username, "--password", args.password,
                                   "--expect", expectation_path)
        finally:
            os.unlink(expectation_path)
        await call(client.delete_stream(cross_stream))

    async def stats() -> None:
        result = await call(client.get_stats())
        expect(result.streams_count >= 1, f"streams_count {result.streams_count}")
        expect(result.iggy_server_version.startswith("0.9.0"), f"server version {result.iggy_server_version}")

    async def delete_stream() -> None:
        await call(client.delete_stream(stream))
        expect((await call(client.get_stream(stream))) is None, "stream still there after delete")

    async def incompatible_server() -> None:
        newer = IggyClient(args.incompatible_address)
        await call(newer.connect())
        try:
            await call(newer.login_user(args.username, args.password))
        except RuntimeError as error:
            # Eviction 14 carries max at byte 144 and min at byte 148; the SDK prints [min, max].
            expect("[0.12.0, 0.12.5]" in str(error), f"unexpected error text: {error}")
            return
        raise AssertionError("a 0.11 client was logged in by a 0.12.5 server")

    if args.incompatible_address:
        await checks.run("eviction 14 carries the accepted version window", incompatible_server)
    await checks.run("login and ping", login)
    if "login and ping" in checks.failures:
        print("cannot continue without a session")
        return 1
    await checks.run("create stream, get stream, list streams", create_stream)
    await checks.run("duplicate stream name is rejected", duplicate_stream_rejected)
    await checks.run("create topic with SDK default options; get topic", create_topic)
    await checks.run("send to partition 0, Balanced and messages key", send_messages)
    await checks.run("poll Next with auto-commit", poll_next_with_auto_commit)
    await checks.run("get consumer offset (raw code 120)", consumer_offset)
    await checks.run("poll Offset / First / Last / Timestamp", other_strategies)
    await checks.run("topic counters after sends", topic_counters)
    await checks.run("consumer group join, poll, leave", consumer_group)
    await checks.run("high-level consumer group: iterate, store and delete offsets", high_level_group_consumer)
    await checks.run("group member ids 0, 1, 2 and the observed assignment (get consumer group, raw sync 606)", group_assignment)
    await checks.run("group poll of a foreign partition or by a non-member answers 0xFFFFFFFF", group_resync_replies)
    await checks.run("two SDK group consumers read 40 messages exactly once, each from its own partitions",
                     two_sdk_group_consumers)
    await checks.run("after one SDK group member leaves, the other reads all 4 partitions", remaining_member_takes_all)
    await checks.run("server errors surface as the SDK's errors", errors_map_to_sdk_errors)
    await checks.run("official SDK decodes messages sent by lib/iggy", sdk_decodes_lib_iggy)
    await checks.run("lib/iggy decodes messages sent by the official SDK", lib_iggy_decodes_sdk)
    await checks.run("get stats", stats)
    await checks.run("delete stream", delete_stream)

    print(f"{checks.passed} passed, {len(checks.failures)} failed")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    exit_code = asyncio.run(main())
    sys.stdout.flush()
    # The SDK's Rust runtime can abort while the interpreter tears down; the verdict is already printed.
    os._exit(exit_code)
