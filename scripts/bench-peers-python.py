"""One round of `npm run bench:peers` for the official Python SDK (apache-iggy 0.9.0, Rust inside).

Launched by scripts/bench-peers.ts per case and round, in the venv the conformance check uses. Mirrors
what the TypeScript side does: log in, make a stream with a one-partition topic, send `messages`
messages of `payload` bytes in batches of `batch` (fewer if sending takes over --max-seconds) (one list of SendMessage reused for every send, as
the TypeScript side reuses its batch array), then poll them back by offset with count = batch.
Prints one JSON line: {"sendSeconds": .., "pollSeconds": .., "messages": ..}. Timing excludes
start-up and set-up; every SDK call has a deadline so a silent drop fails instead of hanging.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

from apache_iggy import Consumer, IggyClient, Partitioning, PollingStrategy, SendMessage

CALL_TIMEOUT_S = 30.0


async def call(awaitable):
    return await asyncio.wait_for(awaitable, CALL_TIMEOUT_S)


async def run(args: argparse.Namespace) -> dict[str, float]:
    client = IggyClient(args.address)
    await call(client.connect())
    await call(client.login_user(args.username, args.password))
    stream, topic = args.stream, "bench"
    await call(client.create_stream(stream))
    await call(client.create_topic(stream, topic, 1))
    try:
        batch = [SendMessage(b"a" * args.payload) for _ in range(args.batch)]
        partitioning = Partitioning.partition_id(0)
        batches = args.messages // args.batch
        # Warm-up outside the clock, like the TypeScript side's untimed first case.
        for _ in range(min(batches, args.warmup)):
            await call(client.send_messages(stream, topic, partitioning, batch))
        sent = 0
        started = time.perf_counter()
        while sent < batches:
            await call(client.send_messages(stream, topic, partitioning, batch))
            sent += 1
            # A phase that turns out slow stops early: the rate is what counts, not the count.
            if time.perf_counter() - started > args.max_seconds:
                break
        send_seconds = time.perf_counter() - started
        total = sent * args.batch

        consumer = Consumer.Single("bench")
        received = 0
        offset = 0
        started = time.perf_counter()
        while received < total:
            polled = await call(
                client.poll_messages(
                    stream,
                    topic,
                    consumer=consumer,
                    polling_strategy=PollingStrategy.Offset(offset),
                    count=args.batch,
                    auto_commit=False,
                    partition_id=0,
                )
            )
            if not polled:
                raise RuntimeError(f"poll returned nothing at offset {offset}")
            for message in polled:
                if len(message.payload()) != args.payload:
                    raise RuntimeError(f"message {message.offset()} came back with the wrong size")
            received += len(polled)
            offset = polled[-1].offset() + 1
        poll_seconds = time.perf_counter() - started
        return {"sendSeconds": send_seconds, "pollSeconds": poll_seconds, "messages": total}
    finally:
        try:
            await call(client.delete_stream(stream))
        except Exception:  # noqa: BLE001 - cleanup is best effort; the numbers are already taken
            pass


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", required=True)
    parser.add_argument("--username", default="iggy")
    parser.add_argument("--password", default="iggy")
    parser.add_argument("--stream", required=True)
    parser.add_argument("--payload", type=int, required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--messages", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=20, help="untimed sends before the clock starts")
    parser.add_argument("--max-seconds", type=float, default=5.0, help="stop sending early after this long")
    args = parser.parse_args()
    try:
        result = asyncio.run(run(args))
    except Exception as error:  # noqa: BLE001 - reported to the TypeScript side as one line
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
