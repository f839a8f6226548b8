/**
 * The client's second entry, for the few callers that work below the command surface: benchmarks that time
 * the message codec alone, and the wire inspector, which reads raw header bytes. Anything else outside
 * lib/iggy imports `@/lib/iggy` (eslint.config.mjs enforces it).
 */

export {
  Command,
  HEADER_SIZE,
  Operation,
  ReadCode,
  REQ_OFF_CLIENT,
  REQ_OFF_REQUEST_CHECKSUM,
  REQ_OFF_TIMESTAMP,
} from './wire/constants';
export { decodePollReply, encodeMessageBatch } from './wire/messages';
