/** Random 128-bit values for client ids and message ids, where 0 means "unset" and is never produced. */

import { randomBytes } from 'node:crypto';

export function randomU128(): bigint {
  for (;;) {
    const bytes = randomBytes(16);
    const value = bytes.readBigUInt64LE(0) | (bytes.readBigUInt64LE(8) << 64n);
    if (value !== 0n) return value;
  }
}
