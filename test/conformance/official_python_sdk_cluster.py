"""Cross-check the test server's cluster mode against the official Iggy Python SDK (apache-iggy 0.9.0).

The SDK logs in to every node of a test cluster (`npm run test-server -- --cluster 3`) and asks for the
cluster metadata (read code 12) with its raw-request call. The reply is decoded here by hand, independently of
the test server's codec and of lib/iggy, and compared with the roster the cluster was started with.

The SDK is leader-aware: logged in on a follower, it reads that node's metadata, redials the leader and logs in
again there, so its later requests (raw ones too) reach the leader. Each node's own reply is therefore also
read with a few raw frames built here (login, then code 12 on the same connection).

Usage:
    python test/conformance/official_python_sdk_cluster.py --addresses 127.0.0.1:18097,127.0.0.1:18098,...

Exit status 0 = every check passed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import struct
import sys
import time
from typing import Any, Awaitable, Callable

from apache_iggy import IggyClient

CALL_TIMEOUT_S = 10.0
GET_CLUSTER_METADATA = 12
ROLE_LEADER, ROLE_FOLLOWER = 0, 1
STATUS_HEALTHY = 0


async def call(awaitable: Awaitable[Any]) -> Any:
    return await asyncio.wait_for(awaitable, CALL_TIMEOUT_S)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def decode_cluster_metadata(raw: bytes) -> dict[str, Any]:
    """[name_len u32][name][count u32], per node [len u32][name][len u32][ip][tcp quic http ws: u16 x4][role u8][status u8]."""
    at = 0

    def take(size: int) -> bytes:
        nonlocal at
        expect(at + size <= len(raw), f"reply ends at {len(raw)} bytes, needed {at + size}")
        chunk = raw[at : at + size]
        at += size
        return chunk

    def text() -> str:
        (length,) = struct.unpack("<I", take(4))
        return take(length).decode("utf-8")

    cluster_name = text()
    (count,) = struct.unpack("<I", take(4))
    nodes = []
    for _ in range(count):
        name = text()
        ip = text()
        tcp, quic, http, websocket, role, status = struct.unpack("<HHHHBB", take(10))
        nodes.append(
            {"name": name, "ip": ip, "tcp": tcp, "quic": quic, "http": http, "websocket": websocket,
             "role": role, "status": status}
        )
    expect(at == len(raw), f"{len(raw) - at} bytes left after the last node")
    return {"cluster_name": cluster_name, "nodes": nodes}


def raw_frame(client: int, operation: int, body: bytes, session: int = 0, request: int = 0, code: int = 0) -> bytes:
    """A 256-byte request header (size @48, command 5 @60, client u128 @128, request @168, operation @176,
    session @184, code @196; checksum 0 = not checked) followed by the body."""
    header = bytearray(256)
    struct.pack_into("<I", header, 48, 256 + len(body))
    header[60] = 5
    header[128:144] = client.to_bytes(16, "little")
    struct.pack_into("<Q", header, 168, request)
    header[176] = operation
    struct.pack_into("<Q", header, 184, session)
    struct.pack_into("<I", header, 196, code)
    return bytes(header) + body


def read_reply(sock: socket.socket) -> tuple[int, bytes]:
    """(status @216, body) of the next reply frame."""
    def exactly(size: int) -> bytes:
        chunks = b""
        while len(chunks) < size:
            chunk = sock.recv(size - len(chunks))
            expect(len(chunk) > 0, "connection closed before a whole frame arrived")
            chunks += chunk
        return chunks

    header = exactly(256)
    (size,) = struct.unpack_from("<I", header, 48)
    expect(header[60] == 8, f"command {header[60]} instead of a reply (8); eviction reason {header[255]}")
    (status,) = struct.unpack_from("<I", header, 216)
    return status, exactly(size - 256)


def raw_cluster_metadata(address: str, username: str, password: str) -> bytes:
    """Logs in on exactly this node with raw frames and reads code 12 there (no redirect)."""
    host, port = address.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=CALL_TIMEOUT_S) as sock:
        sock.settimeout(CALL_TIMEOUT_S)
        client = secrets.randbits(127) | 1
        short = lambda text: bytes([len(text.encode())]) + text.encode()  # noqa: E731
        login = struct.pack("<I", 0x2C00) + short("conformance") + short("0.1.0") + short(username) + short(password)
        sock.sendall(raw_frame(client, 1, login + struct.pack("<I", 0)))
        status, body = read_reply(sock)
        expect(status == 0, f"login on {address} answered status {status}")
        (session,) = struct.unpack_from("<Q", body, 8)
        sock.sendall(raw_frame(client, 2, b"", session=session, request=1, code=GET_CLUSTER_METADATA))
        status, body = read_reply(sock)
        expect(status == 0, f"code 12 on {address} answered status {status}")
        return body


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


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--addresses", required=True, help="the cluster's nodes, comma-separated HOST:PORT, node-0 first")
    parser.add_argument("--cluster-name", default="demo-cluster")
    parser.add_argument("--username", default=os.environ.get("IGGY_TEST_SERVER_USERNAME", "iggy"))
    parser.add_argument("--password", default=os.environ.get("IGGY_TEST_SERVER_PASSWORD", "iggy"))
    args = parser.parse_args()
    addresses = [a.strip() for a in args.addresses.split(",") if a.strip()]
    # The roster the cluster was configured with: node-i on the i-th address, node-0 the leader of view 0.
    expected = {
        "cluster_name": args.cluster_name,
        "nodes": [
            {"name": f"node-{i}", "ip": address.rsplit(":", 1)[0], "tcp": int(address.rsplit(":", 1)[1]),
             "quic": 0, "http": 0, "websocket": 0,
             "role": ROLE_LEADER if i == 0 else ROLE_FOLLOWER, "status": STATUS_HEALTHY}
            for i, address in enumerate(addresses)
        ],
    }
    checks = Checks()
    raw_replies: dict[int, bytes] = {}

    def metadata_from(index: int) -> Callable[[], Awaitable[None]]:
        async def check() -> None:
            client = IggyClient(addresses[index])
            await call(client.connect())
            await call(client.login_user(args.username, args.password))
            raw = bytes(await call(client.send_binary_request(GET_CLUSTER_METADATA, b"")))
            decoded = decode_cluster_metadata(raw)
            expect(decoded == expected, f"node-{index} answered {decoded}, configured {expected}")
            raw_replies[index] = raw

        return check

    for index in range(len(addresses)):
        await checks.run(f"SDK login via node-{index}; cluster metadata (SDK raw code 12) matches the roster",
                         metadata_from(index))

    node_replies: dict[int, bytes] = {}

    def own_reply_of(index: int) -> Callable[[], Awaitable[None]]:
        async def check() -> None:
            raw = await asyncio.to_thread(raw_cluster_metadata, addresses[index], args.username, args.password)
            decoded = decode_cluster_metadata(raw)
            expect(decoded == expected, f"node-{index} answered {decoded}, configured {expected}")
            node_replies[index] = raw

        return check

    for index in range(len(addresses)):
        await checks.run(f"node-{index}'s own code-12 reply (raw frames, no redirect) matches the roster",
                         own_reply_of(index))

    async def identical() -> None:
        expect(len(node_replies) == len(addresses), f"only {len(node_replies)} of {len(addresses)} nodes answered")
        first = node_replies[0]
        for index, raw in node_replies.items():
            expect(raw == first, f"node-{index}'s reply differs from node-0's: {raw.hex()} vs {first.hex()}")
        expect(raw_replies.get(0) == first, "the SDK's reply differs from node-0's own")

    await checks.run("every node answers the same cluster metadata bytes, and the SDK read the same", identical)

    async def follower_login_finds_leader() -> None:
        # Logged in on a follower, the SDK must have understood that node's metadata well enough to find the
        # leader: a write through it succeeds (a follower itself would refuse it with 58).
        expect(len(addresses) > 1, "needs at least two nodes")
        client = IggyClient(addresses[1])
        await call(client.connect())
        await call(client.login_user(args.username, args.password))
        name = f"via-follower-{secrets.token_hex(4)}"
        await call(client.create_stream(name))
        leader = IggyClient(addresses[0])
        await call(leader.connect())
        await call(leader.login_user(args.username, args.password))
        expect((await call(leader.get_stream(name))) is not None, f"{name} is not on the leader")
        await call(leader.delete_stream(name))

    await checks.run("SDK logged in on node-1 (a follower) redials the leader it reads there; its write lands",
                     follower_login_finds_leader)

    print(f"{checks.passed} passed, {len(checks.failures)} failed")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    exit_code = asyncio.run(main())
    sys.stdout.flush()
    # The SDK's Rust runtime can abort while the interpreter tears down; the verdict is already printed.
    os._exit(exit_code)
