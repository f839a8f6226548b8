/**
 * Register (login): the one frame the session sends itself, before any command (docs/architecture.md#register-and-login).
 * It has no descriptor because it is stamped with the session's own operation, not run through the client.
 */

import { invalidArgument, protocolError } from '../../errors';
import { BinaryReader, BinaryWriter, utf8 } from '../binary';
import { writeName } from '../primitives';
import { CLIENT_PROTOCOL_VERSION } from '../version';

export interface LoginInput {
  username: string;
  password: string;
  sdkName: string;
  sdkVersion: string;
  protocolVersion?: number;
}

/** `[version u32][sdk name][sdk version][username][password u8-prefixed][context u32 length = 0]`. */
export function encodeLoginBody(input: LoginInput): Buffer {
  const w = new BinaryWriter(128);
  w.u32(input.protocolVersion ?? CLIENT_PROTOCOL_VERSION);
  writeName(w, input.sdkName, 'sdk name');
  writeName(w, input.sdkVersion, 'sdk version');
  writeName(w, input.username, 'username');
  // Never echo the password in an error: check its length here instead of via writeName.
  const password = utf8(typeof input.password === 'string' ? input.password : '');
  if (password.length < 1 || password.length > 255)
    throw invalidArgument('password must be 1..255 UTF-8 bytes');
  w.u8(password.length).bytes(password);
  w.u32(0);
  return w.toBuffer();
}

export interface LoginReply {
  userId: number;
  session: bigint;
  serverProtocolVersion: number;
  serverVersion: string;
}

/** Login payload after the result count: user_id, session, protocol version, server version. */
export function decodeLoginReply(payload: Buffer): LoginReply {
  const r = new BinaryReader(payload, 'login reply');
  const userId = r.u32();
  const session = r.u64();
  const serverProtocolVersion = r.u32();
  const serverVersion = r.name();
  r.expectEnd();
  if (session === 0n) throw protocolError('login reply carries session 0');
  return { userId, session, serverProtocolVersion, serverVersion };
}
