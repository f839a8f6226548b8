/** Sending one message from the explorer: payload and typed headers checked before Iggy is asked. */
import {
  encodeUserHeaders,
  Partitioning,
  type IggyClient,
  type UserHeader,
  type UserHeaderValue,
} from '@/lib/iggy';
import type { ExplorerSent, HeaderInput, SendBody } from './contract';
import { ExplorerError } from './errors';
import { EXPLORER_LIMITS } from './limits';
import { requirePartition, requireTopic } from './lookup';

const bad = (message: string) => new ExplorerError('BAD_REQUEST', message);

/** The payload bytes: text as UTF-8, JSON checked to parse (and sent as written), base64 decoded strictly. */
export function payloadBytes(payload: SendBody['payload']): Buffer {
  let bytes: Buffer;
  if (payload.encoding === 'base64') {
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(payload.data))
      throw bad('payload.data is not valid base64');
    bytes = Buffer.from(payload.data, 'base64');
  } else {
    if (payload.encoding === 'json') {
      try {
        JSON.parse(payload.data);
      } catch (error) {
        throw bad(`payload is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}`);
      }
    }
    bytes = Buffer.from(payload.data, 'utf8');
  }
  if (bytes.length === 0) throw bad('payload must not be empty');
  if (bytes.length > EXPLORER_LIMITS.maxSendPayloadBytes)
    throw new ExplorerError(
      'PAYLOAD_TOO_LARGE',
      `payload is ${bytes.length} bytes; the explorer sends at most ${EXPLORER_LIMITS.maxSendPayloadBytes}`,
    );
  return bytes;
}

function headerValue(h: HeaderInput): UserHeaderValue {
  const v = h.value;
  switch (h.kind) {
    case 'string':
      return { kind: 'string', value: v };
    case 'raw':
      if (!/^(?:[0-9a-fA-F]{2})+$/.test(v)) throw bad(`header '${h.key}': raw values are hex bytes`);
      return { kind: 'raw', value: Buffer.from(v, 'hex') };
    case 'bool':
      if (v !== 'true' && v !== 'false') throw bad(`header '${h.key}': bool is true or false`);
      return { kind: 'bool', value: v === 'true' };
    case 'float32':
    case 'float64':
      if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v)) throw bad(`header '${h.key}': not a number`);
      return { kind: h.kind, value: Number(v) };
    case 'int64':
    case 'int128':
    case 'uint64':
    case 'uint128':
      if (!/^-?\d{1,40}$/.test(v)) throw bad(`header '${h.key}': not a whole number`);
      return { kind: h.kind, value: BigInt(v) };
    default:
      if (!/^-?\d{1,10}$/.test(v)) throw bad(`header '${h.key}': not a whole number`);
      return { kind: h.kind as 'int8', value: Number(v) };
  }
}

/** Typed headers → their TLV bytes; a range or size the codec refuses is the caller's 400. */
export function headerBytes(headers: HeaderInput[]): Buffer | undefined {
  if (headers.length === 0) return undefined;
  const typed: UserHeader[] = headers.map((h) => ({ key: h.key, value: headerValue(h) }));
  try {
    return encodeUserHeaders(typed);
  } catch (error) {
    throw bad(error instanceof Error ? error.message : 'invalid user headers');
  }
}

function partitioningOf(body: SendBody): Partitioning {
  switch (body.partitioning.kind) {
    case 'balanced':
      return Partitioning.balanced();
    case 'partitionId':
      return Partitioning.partitionId(body.partitioning.partitionId);
    case 'messagesKey':
      return Partitioning.messagesKey(body.partitioning.key);
  }
}

export async function sendOne(
  client: IggyClient,
  body: SendBody,
  payload: Buffer,
  headers: Buffer | undefined,
): Promise<Omit<ExplorerSent, 'frames' | 'framesDropped' | 'cli'>> {
  const details = await requireTopic(client, body.stream, body.topic);
  if (body.partitioning.kind === 'partitionId') requirePartition(details, body.partitioning.partitionId);
  const result = await client.sendMessages({
    streamId: body.stream,
    topicId: body.topic,
    partitioning: partitioningOf(body),
    messages: [{ payload, ...(headers ? { userHeaders: headers } : {}) }],
  });
  return {
    stream: body.stream,
    topic: body.topic,
    partitionId: result.partitionId ?? null,
    offset: result.baseOffset === undefined ? null : result.baseOffset.toString(),
    payloadBytes: payload.length,
  };
}
