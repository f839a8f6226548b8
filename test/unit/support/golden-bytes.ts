/** Byte vectors from shared/iggy-golden-vectors.md (beside this repository) and iggy-wire-protocol.md docs/architecture.md#worked-examples-and-test-vectors, written out in full. */

const zeroRow = '00'.repeat(32);

export const GOLDEN_PRODUCE_BATCH = Buffer.from(
  [
    '000000000000000000000000000000000000000000000000e803000000000000',
    '8c01000000000000a91f38c86307267c02000000000000000000000000000000',
    zeroRow.repeat(6),
    'bfd2b9205a759675070000000000000000000000000000000000000000000000',
    '000000000d000000000000000000000066697273742d7061796c6f6164d66b7e',
    '1c758eb7c0080000000000000000000000000000000100000032000000110000',
    '000e00000000000000000000007365636f6e642d7061796c6f6164757365722d',
    '6865616465722d6279746573',
  ].join(''),
  'hex',
);

export const GOLDEN_SEND_PREFIX = Buffer.from(
  '12000000' + '010401000000' + '010402000000' + '0100' + '02000000',
  'hex',
);

export const GOLDEN_POLL_REPLY = Buffer.from(
  [
    '0300000065000000000000000200000003000000000000006400000000000000',
    '8813000000000000e8030000000000008c01000000000000c96826b38a8feed2',
    '0200000000000000000000000000000000000000000000000000000000000000',
    zeroRow.repeat(5),
    '00000000000000000000000000000000bfd2b9205a7596750700000000000000',
    '00000000000000000000000000000000000000000d0000000000000000000000',
    '66697273742d7061796c6f6164d66b7e1c758eb7c00800000000000000000000',
    '00000000000100000032000000110000000e0000000000000000000000736563',
    '6f6e642d7061796c6f6164757365722d6865616465722d6279746573',
  ].join(''),
  'hex',
);

/** docs/architecture.md#worked-examples-and-test-vectors register frame body (36 bytes). */
export const LOGIN_BODY_9_1 = Buffer.from(
  '002c00000b6e6578746a732d64656d6f05302e312e300469676779046967677900000000',
  'hex',
);

/** docs/architecture.md#worked-examples-and-test-vectors full frame: 292 bytes, only the non-zero rows of the dump filled in. */
export function loginFrame91(): Buffer {
  const frame = Buffer.alloc(292);
  Buffer.from('24010000000000000000000005000000', 'hex').copy(frame, 0x30);
  Buffer.from('ffeeddccbbaa00998877665544332211', 'hex').copy(frame, 0x80);
  Buffer.from('01000000000000000000000000000000', 'hex').copy(frame, 0xb0);
  LOGIN_BODY_9_1.copy(frame, 0x100);
  return frame;
}

/** docs/architecture.md#worked-examples-and-test-vectors send body (344 bytes), built from the table. */
export const SEND_BODY_9_3 = Buffer.from(
  [
    '1f000000',
    '020b64656d6f2d73747265616d',
    '020a64656d6f2d746f706963',
    '0100',
    '01000000',
    '00'.repeat(24),
    '0040204648470600',
    '3501000000000000',
    '50860fb148b59734',
    '01000000',
    '00'.repeat(204),
    '377be63f6ce08fb6',
    'efcdab8967452301efcdab8967452301',
    '00000000',
    '00000000',
    '00000000',
    '05000000',
    '0000000000000000',
    '68656c6c6f',
  ].join(''),
  'hex',
);
