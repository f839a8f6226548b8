/** Protocol 0.11.0 packed as major << 20 | minor << 10 | patch (the server's version gate, docs/architecture.md#register-and-login). */
export const CLIENT_PROTOCOL_VERSION = 0x00002c00;
export const CLIENT_PROTOCOL_VERSION_TEXT = '0.11';
export const TARGET_SERVER_VERSION_TEXT = '0.9.0';

export function packVersion(major: number, minor: number, patch: number): number {
  return ((major & 0x3ff) << 20) | ((minor & 0x3ff) << 10) | (patch & 0x3ff);
}

/** 0x2C00 → "0.11.0". */
export function describePackedVersion(packed: number): string {
  const major = (packed >>> 20) & 0x3ff;
  const minor = (packed >>> 10) & 0x3ff;
  const patch = packed & 0x3ff;
  return `${major}.${minor}.${patch}`;
}
