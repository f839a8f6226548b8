/**
 * The lib/iggy half of the cross-client check driven by official_python_sdk.py.
 *
 *   npx tsx test/conformance/cross-client.ts send   --address HOST:PORT --stream S
 *   npx tsx test/conformance/cross-client.ts verify --address HOST:PORT --stream S --expect FILE
 *
 * `send` writes a batch with lib/iggy and prints (as JSON on stdout) exactly what it sent, so the
 * official SDK can decode our bytes and compare. `verify` reads a JSON file in the same shape,
 * written by the SDK side, polls with lib/iggy and exits 1 on the first field that differs.
 * Imports are relative: tsx does not resolve the `@/` alias reliably outside the app.
 */

import { readFileSync } from 'node:fs';
import { IggyClient, Partitioning, PollingStrategy, Consumer, isIggyError } from '../../lib/iggy/index';
import type { OutgoingMessage, PolledMessage } from '../../lib/iggy/index';

export const CROSS_TOPIC = 'cross';

/** TLV kind codes (docs/architecture.md#shared-encodings) under the names both sides of the check use. */
const KIND_CODES = {
  raw: 1,
  string: 2,
  bool: 3,
  int8: 4,
  int16: 5,
  int32: 6,
  int64: 7,
  int128: 8,
  uint8: 9,
  uint16: 10,
  uint32: 11,
  uint64: 12,
  uint128: 13,
  float32: 14,
  float64: 15,
} as const;

export type TlvKindName = keyof typeof KIND_CODES;

/** raw → hex, string → text, bool → "true"/"false", integers → decimal, floats → JS number text. */
export interface TlvField {
  kind: TlvKindName;
  value: string;
}

export interface HeaderEntry {
  key: TlvField;
  value: TlvField;
}

/** One message as both sides describe it; bigints travel as decimal strings. */
export interface MessageDescription {
  id: string;
  payloadBase64: string;
  originTimestampMicros: string;
  userHeaders: HeaderEntry[];
  userHeadersHex?: string;
}

export interface CrossDescription {
  stream: string;
  topic: string;
  partitionId: number;
  /** First offset of the batch; absent = poll from First. */
  baseOffset?: string;
  messages: MessageDescription[];
}

const INTEGER_WIDTHS: Partial<Record<TlvKindName, { bytes: number; signed: boolean }>> = {
  int8: { bytes: 1, signed: true },
  int16: { bytes: 2, signed: true },
  int32: { bytes: 4, signed: true },
  int64: { bytes: 8, signed: true },
  int128: { bytes: 16, signed: true },
  uint8: { bytes: 1, signed: false },
  uint16: { bytes: 2, signed: false },
  uint32: { bytes: 4, signed: false },
  uint64: { bytes: 8, signed: false },
  uint128: { bytes: 16, signed: false },
};

function kindName(code: number): TlvKindName {
  const entry = Object.entries(KIND_CODES).find(([, c]) => c === code);
  if (!entry) throw new Error(`unknown TLV kind code ${code}`);
  return entry[0] as TlvKindName;
}

function encodeField(field: TlvField): Buffer {
  const width = INTEGER_WIDTHS[field.kind];
  let data: Buffer;
  if (width) {
    let value = BigInt(field.value);
    if (width.signed && value < 0n) value += 1n << BigInt(8 * width.bytes);
    data = Buffer.alloc(width.bytes);
    for (let i = 0; i < width.bytes; i++) data[i] = Number((value >> BigInt(8 * i)) & 0xffn);
  } else if (field.kind === 'string') {
    data = Buffer.from(field.value, 'utf8');
  } else if (field.kind === 'raw') {
    data = Buffer.from(field.value, 'hex');
  } else if (field.kind === 'bool') {
    data = Buffer.from([field.value === 'true' ? 1 : 0]);
  } else if (field.kind === 'float32') {
    data = Buffer.alloc(4);
    data.writeFloatLE(Number(field.value));
  } else {
    data = Buffer.alloc(8);
    data.writeDoubleLE(Number(field.value));
  }
  const head = Buffer.alloc(5);
  head.writeUInt8(KIND_CODES[field.kind], 0);
  head.writeUInt32LE(data.length, 1);
  return Buffer.concat([head, data]);
}

export function encodeUserHeaders(entries: readonly HeaderEntry[]): Buffer {
  return Buffer.concat(entries.flatMap((e) => [encodeField(e.key), encodeField(e.value)]));
}

function decodeField(kind: TlvKindName, data: Buffer): string {
  const width = INTEGER_WIDTHS[kind];
  if (width) {
    if (data.length !== width.bytes) throw new Error(`${kind} field carries ${data.length} bytes`);
    let value = 0n;
    for (let i = width.bytes - 1; i >= 0; i--) value = (value << 8n) | BigInt(data[i]!);
    if (width.signed && value >= 1n << BigInt(8 * width.bytes - 1)) value -= 1n << BigInt(8 * width.bytes);
    return value.toString();
  }
  switch (kind) {
    case 'string':
      return new TextDecoder('utf-8', { fatal: true }).decode(data);
    case 'raw':
      return data.toString('hex');
    case 'bool':
      if (data.length !== 1 || data[0]! > 1) throw new Error(`bool field carries ${data.toString('hex')}`);
      return data[0] === 1 ? 'true' : 'false';
    case 'float32':
      return String(data.readFloatLE(0));
    default:
      return String(data.readDoubleLE(0));
  }
}

/** Walks `[kind u8][length u32][data]` fields pairwise; the block must be consumed exactly. */
export function decodeUserHeaders(bytes: Buffer): HeaderEntry[] {
  const fields: TlvField[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 5) throw new Error(`user headers: ${bytes.length - at} trailing bytes at ${at}`);
    const kind = kindName(bytes.readUInt8(at));
    const length = bytes.readUInt32LE(at + 1);
    if (at + 5 + length > bytes.length) throw new Error(`user headers: field at ${at} overruns the block`);
    fields.push({ kind, value: decodeField(kind, bytes.subarray(at + 5, at + 5 + length)) });
    at += 5 + length;
  }
  if (fields.length % 2 !== 0) throw new Error('user headers: a key without a value');
  const entries: HeaderEntry[] = [];
  for (let i = 0; i < fields.length; i += 2) entries.push({ key: fields[i]!, value: fields[i + 1]! });
  return entries;
}

/** Headers are a map on Iggy's side, so wire order carries no meaning: compare sorted. */
function canonicalHeaders(entries: readonly HeaderEntry[]): string {
  return JSON.stringify(
    entries
      .map((e) => [e.key.kind, e.key.value, e.value.kind, e.value.value])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  );
}

// ─── the batch lib/iggy sends ─────────────────────────────────────────────────

const ORIGIN_BASE_MICROS = 1_700_000_000_000_000n;

function binaryPayload(sizeBytes: number): Buffer {
  const bytes = Buffer.alloc(sizeBytes);
  for (let i = 0; i < sizeBytes; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  return bytes;
}

interface PlannedMessage {
  id: bigint;
  payload: Buffer;
  originTimestampMicros: bigint;
  userHeaders: HeaderEntry[];
}

/** Origins are deliberately out of order: the batch base is their minimum, each frame carries a delta. */
function plannedMessages(): PlannedMessage[] {
  return [
    {
      id: 1n,
      payload: Buffer.from('hello from lib/iggy', 'utf8'),
      originTimestampMicros: ORIGIN_BASE_MICROS + 5n,
      userHeaders: [
        {
          key: { kind: 'string', value: 'trace-id' },
          value: { kind: 'string', value: 'trace-0af7651916cd43dd' },
        },
        { key: { kind: 'string', value: 'attempt' }, value: { kind: 'uint32', value: '3000000000' } },
      ],
    },
    {
      id: (1n << 128n) - 1n,
      payload: Buffer.from('Grüße — 日本語 — 🚀 ✓', 'utf8'),
      originTimestampMicros: ORIGIN_BASE_MICROS,
      userHeaders: [
        { key: { kind: 'string', value: 'städte' }, value: { kind: 'string', value: 'Zürich ⇄ 東京 🚄' } },
        { key: { kind: 'string', value: 'size' }, value: { kind: 'uint64', value: '18446744073709551615' } },
        { key: { kind: 'string', value: 'replayed' }, value: { kind: 'bool', value: 'true' } },
        { key: { kind: 'string', value: 'digest' }, value: { kind: 'raw', value: '00ff10ab' } },
        { key: { kind: 'string', value: 'delta' }, value: { kind: 'int64', value: '-42' } },
      ],
    },
    {
      id: 0x0123456789abcdef0123456789abcdefn,
      payload: binaryPayload(64 * 1024),
      originTimestampMicros: ORIGIN_BASE_MICROS + 3_000_000n,
      userHeaders: [],
    },
  ];
}

function describe(message: PlannedMessage): MessageDescription {
  return {
    id: message.id.toString(),
    payloadBase64: message.payload.toString('base64'),
    originTimestampMicros: message.originTimestampMicros.toString(),
    userHeaders: message.userHeaders,
    userHeadersHex: encodeUserHeaders(message.userHeaders).toString('hex'),
  };
}

// ─── command line ─────────────────────────────────────────────────────────────

interface Args {
  mode: 'send' | 'verify';
  host: string;
  port: number;
  stream: string;
  username: string;
  password: string;
  expect?: string;
}

function parseArgs(argv: string[]): Args {
  const [mode, ...rest] = argv;
  if (mode !== 'send' && mode !== 'verify') throw new Error('first argument must be send or verify');
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i]!;
    const value = rest[i + 1];
    if (!flag.startsWith('--') || value === undefined) throw new Error(`expected --flag value, got ${flag}`);
    flags.set(flag.slice(2), value);
  }
  const address = flags.get('address') ?? '127.0.0.1:8090';
  const match = /^(.+):(\d{1,5})$/.exec(address);
  if (!match) throw new Error(`--address must be host:port, got ${address}`);
  const stream = flags.get('stream');
  if (!stream) throw new Error('--stream is required');
  if (mode === 'verify' && !flags.get('expect')) throw new Error('verify needs --expect <json file>');
  return {
    mode,
    host: match[1]!,
    port: Number(match[2]),
    stream,
    username: flags.get('username') ?? 'iggy',
    password: flags.get('password') ?? 'iggy',
    expect: flags.get('expect'),
  };
}

async function send(client: IggyClient, args: Args): Promise<CrossDescription> {
  await client.ensureStream(args.stream);
  await client.ensureTopic(args.stream, CROSS_TOPIC, 1);
  const planned = plannedMessages();
  const outgoing: OutgoingMessage[] = planned.map((m) => ({
    id: m.id,
    payload: m.payload,
    originTimestampMicros: m.originTimestampMicros,
    userHeaders: m.userHeaders.length > 0 ? encodeUserHeaders(m.userHeaders) : undefined,
  }));
  const result = await client.sendMessages({
    streamId: args.stream,
    topicId: CROSS_TOPIC,
    partitioning: Partitioning.partitionId(0),
    messages: outgoing,
  });
  return {
    stream: args.stream,
    topic: CROSS_TOPIC,
    partitionId: 0,
    baseOffset: result.baseOffset?.toString(),
    messages: planned.map(describe),
  };
}

function mismatches(index: number, expected: MessageDescription, actual: PolledMessage): string[] {
  const where = `message ${index} (offset ${actual.offset})`;
  const found: string[] = [];
  if (actual.id.toString() !== expected.id)
    found.push(`${where} id: expected ${expected.id}, got ${actual.id}`);
  const expectedPayload = Buffer.from(expected.payloadBase64, 'base64');
  if (!actual.payload.equals(expectedPayload)) {
    const at = [...expectedPayload].findIndex((b, i) => actual.payload[i] !== b);
    found.push(
      `${where} payload: expected ${expectedPayload.length} bytes, got ${actual.payload.length} bytes` +
        (at >= 0 ? `; first difference at byte ${at}` : ''),
    );
  }
  if (actual.originTimestampMicros.toString() !== expected.originTimestampMicros) {
    found.push(
      `${where} origin timestamp: expected ${expected.originTimestampMicros}, got ${actual.originTimestampMicros}`,
    );
  }
  let decoded: HeaderEntry[];
  try {
    decoded = decodeUserHeaders(actual.userHeaders);
  } catch (error) {
    found.push(
      `${where} user headers ${actual.userHeaders.toString('hex')} do not decode: ${(error as Error).message}`,
    );
    return found;
  }
  if (canonicalHeaders(decoded) !== canonicalHeaders(expected.userHeaders)) {
    found.push(
      `${where} user headers: expected ${canonicalHeaders(expected.userHeaders)}, got ${canonicalHeaders(decoded)} ` +
        `(raw ${actual.userHeaders.toString('hex')})`,
    );
  }
  return found;
}

async function verify(client: IggyClient, args: Args): Promise<string[]> {
  const expected = JSON.parse(readFileSync(args.expect!, 'utf8')) as CrossDescription;
  const polled = await client.pollMessages({
    consumer: Consumer.single('cross-client-verify'),
    streamId: args.stream,
    topicId: expected.topic,
    partitionId: expected.partitionId,
    strategy:
      expected.baseOffset === undefined
        ? PollingStrategy.first()
        : PollingStrategy.offset(BigInt(expected.baseOffset)),
    count: expected.messages.length,
    autoCommit: false,
  });
  if (polled.messages.length !== expected.messages.length) {
    return [`expected ${expected.messages.length} messages, lib/iggy polled ${polled.messages.length}`];
  }
  return expected.messages.flatMap((m, i) => mismatches(i, m, polled.messages[i]!));
}

/** Piped stdout is asynchronous: process.exit() right after a bare write cuts off anything past 64 KiB. */
function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) =>
    process.stdout.write(text, (error) => (error ? reject(error) : resolve())),
  );
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const client = new IggyClient({
    host: args.host,
    port: args.port,
    username: args.username,
    password: args.password,
    pingIntervalMs: 0,
    reconnect: { enabled: false },
  });
  try {
    await client.connect();
    if (args.mode === 'send') {
      await writeOut(`${JSON.stringify(await send(client, args))}\n`);
      return 0;
    }
    const problems = await verify(client, args);
    for (const problem of problems) process.stderr.write(`MISMATCH ${problem}\n`);
    if (problems.length === 0) await writeOut('lib/iggy decoded every message as the official SDK sent it\n');
    return problems.length === 0 ? 0 : 1;
  } finally {
    await client.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const text = isIggyError(error)
      ? `${error.kind} ${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
    process.stderr.write(`cross-client: ${text}\n`);
    process.exit(2);
  },
);
