// Is an Iggy server (or the stand-in) there? Asks with a ping, which needs no login.
import { randomBytes } from 'node:crypto';
import net from 'node:net';

/** Sends an Iggy ping (protocol 0.11: 256-byte request header, operation 2, command code 1) and waits for a reply. */
export function pingIggy(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const header = Buffer.alloc(256);
    header.writeUInt32LE(256, 48); // size
    header.writeUInt8(5, 60); // command = Request
    randomBytes(16).copy(header, 128); // client id: any non-zero u128
    header[128] |= 1;
    header.writeUInt8(2, 176); // operation = NonReplicated
    header.writeUInt32LE(1, 196); // command code = ping
    const socket = net.connect({ host, port });
    let received = Buffer.alloc(0);
    const finish = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on('error', () => finish(false));
    // Something that accepts the connection and closes it without a reply (not Iggy, or a proxy) is a "no".
    socket.on('close', () => finish(false));
    socket.on('connect', () => socket.write(header));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 256) finish(received.readUInt8(60) === 8 && received.readUInt32LE(216) === 0);
    });
  });
}

/**
 * Resolves true once every node answers a ping; false after `timeoutMs`, or as soon as `isAlive()` says what
 * should answer has exited.
 */
export async function waitForAll(nodes, timeoutMs, isAlive = () => true) {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(nodes);
  while (Date.now() < deadline) {
    for (const node of [...pending]) if (await pingIggy(node.host, node.port)) pending.delete(node);
    if (pending.size === 0) return true;
    if (!isAlive()) return false;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return false;
}
