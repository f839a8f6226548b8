import { WireDecodeError, WireReader, WireWriter } from '../wire/bytes';
import { EvictionReason, Operation } from '../wire/codes';
import { resultOk } from '../wire/frame';
import { leaveGroup } from '../model/groups';
import {
  type ClientEntry,
  type ConnectionState,
  type Request,
  type ServerContext,
  boundClient,
} from './context';
import { buildCommittedReply, sendEviction } from './replies';

type LoginBody =
  | { kind: 'password'; version: number; username: string; password: string }
  | { kind: 'token'; version: number; token: string };

/** Register (operation 1, docs/architecture.md#register-and-login, #sessions-client-ids-and-logout). */
export function handleRegister(ctx: ServerContext, req: Request): void {
  const evict = (reason: number, window?: { max: number; min: number }) =>
    sendEviction(ctx, req, reason, { client: req.header.client, window });

  if (req.body.length < 4) return evict(EvictionReason.MalformedLogin);
  const version = req.body.readUInt32LE(0);
  const max = ctx.options.protocolVersion;
  const min = max & ~0x3ff;
  // Accepted: at least the minimum, and major.minor not above the server's.
  if (version < min || version >>> 10 > max >>> 10)
    return evict(EvictionReason.IncompatibleProtocol, { max, min });

  const login = decodeLogin(req.body);
  if (!login) return evict(EvictionReason.MalformedLogin);
  // No personal access tokens exist on the test server, so every token is a bad token.
  if (login.kind === 'token') return evict(10);

  const { username, password } = login;
  if (
    [...username].length < 3 ||
    [...username].length > 50 ||
    [...password].length < 3 ||
    [...password].length > 100
  ) {
    return evict(EvictionReason.InvalidCredentials);
  }
  const user = ctx.options.users.find((u) => u.username === username);
  if (!user || user.password !== password || !user.active) return evict(EvictionReason.InvalidCredentials);

  const current = boundClient(ctx, req.connection);
  if (current) {
    // Re-login on a registered connection: OK with the existing session, old client id stays bound.
    return ctx.send(req.connection, loginReply(ctx, req, current));
  }

  const existing = ctx.clients.get(req.header.client);
  if (existing && existing.userId !== user.id) return evict(EvictionReason.SessionError);

  ctx.commitPosition += 1n;
  ctx.replication?.metadataCommitted({ kind: 'other' });
  const entry: ClientEntry = existing ?? {
    clientId: req.header.client,
    userId: user.id,
    session: 0n,
    connection: undefined,
    watermark: 0n,
    lastReply: undefined,
  };
  // Re-registering an id keeps its watermark; the binding moves here and the old connection goes stale.
  entry.session = ctx.commitPosition;
  entry.connection = req.connection;
  ctx.clients.set(entry.clientId, entry);
  req.connection.boundClientId = entry.clientId;
  ctx.options.log(
    `connection ${req.connection.id} registered client ${entry.clientId.toString(16)} as ${username}`,
  );
  ctx.send(req.connection, loginReply(ctx, req, entry));
}

function loginReply(ctx: ServerContext, req: Request, entry: ClientEntry): Buffer {
  const payload = new WireWriter()
    .u32(entry.userId)
    .u64(entry.session)
    .u32(ctx.options.protocolVersion)
    .wireName(ctx.options.serverVersion)
    .toBuffer();
  const frame = buildCommittedReply(ctx, req, entry.clientId, Operation.Register, resultOk(payload));
  frame.writeBigUInt64LE(entry.session, 176);
  return frame;
}

/** Tries the password shape first, then the token shape; undefined when neither decodes exactly. */
export function decodeLogin(body: Buffer): LoginBody | undefined {
  try {
    const r = new WireReader(body);
    const version = r.u32();
    r.wireName();
    r.wireName();
    const username = r.wireName();
    const password = r.shortString();
    r.bytes(r.u32());
    if (r.atEnd()) return { kind: 'password', version, username, password };
  } catch (error) {
    if (!(error instanceof WireDecodeError)) throw error;
  }
  try {
    const r = new WireReader(body);
    const version = r.u32();
    r.wireName();
    r.wireName();
    const token = r.shortString();
    r.bytes(r.u32());
    if (r.atEnd()) return { kind: 'token', version, token };
  } catch (error) {
    if (!(error instanceof WireDecodeError)) throw error;
  }
  return undefined;
}

/** Logout (operation 3, docs/architecture.md#sessions-client-ids-and-logout): OK even on an unregistered connection; never result-framed. */
export function handleLogout(ctx: ServerContext, req: Request): void {
  const entry = boundClient(ctx, req.connection);
  if (entry) {
    ctx.commitPosition += 1n;
    ctx.replication?.metadataCommitted({ kind: 'other' });
    logOut(ctx, entry);
  }
  req.connection.boundClientId = undefined;
  ctx.send(
    req.connection,
    buildCommittedReply(ctx, req, req.header.client, Operation.Logout, Buffer.alloc(0)),
  );
}

/** Unbinds a client and removes it from every consumer group, which rebalances. */
export function logOut(ctx: ServerContext, entry: ClientEntry): void {
  const connection = entry.connection;
  entry.connection = undefined;
  if (connection && connection.boundClientId === entry.clientId) connection.boundClientId = undefined;
  removeFromGroups(ctx, entry.clientId);
}

export function removeFromGroups(ctx: ServerContext, clientId: bigint): void {
  for (const stream of ctx.state.streams.values()) {
    for (const topic of stream.topics.values()) {
      for (const group of topic.groups.values()) {
        leaveGroup(topic, group, clientId);
      }
    }
  }
}

export function isGroupMember(ctx: ServerContext, clientId: bigint): boolean {
  for (const stream of ctx.state.streams.values()) {
    for (const topic of stream.topics.values()) {
      for (const group of topic.groups.values()) if (group.members.has(clientId)) return true;
    }
  }
  return false;
}

export function connectionClosed(ctx: ServerContext, connection: ConnectionState): void {
  const entry = boundClient(ctx, connection);
  if (entry) logOut(ctx, entry);
}
