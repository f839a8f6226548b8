// Payload bytes → something to read. Only ever text in a <pre>: nothing is parsed as HTML or run.

export type PayloadFormat = 'json' | 'text' | 'hex';

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** UTF-8 text, or undefined when the bytes are not valid UTF-8 or hold control characters other than whitespace. */
export function asText(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  return /[\u0000-\u0008\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}

export function detectFormat(bytes: Uint8Array, truncated: boolean): PayloadFormat {
  const text = asText(bytes);
  if (text === undefined) return 'hex';
  if (!truncated) {
    try {
      JSON.parse(text);
      return 'json';
    } catch {
      return 'text';
    }
  }
  return /^\s*[[{]/.test(text) ? 'json' : 'text';
}

export function renderPayload(bytes: Uint8Array, format: PayloadFormat): string {
  if (format === 'hex') {
    const lines: string[] = [];
    for (let at = 0; at < bytes.length; at += 16) {
      const row = Array.from(bytes.subarray(at, at + 16), (b) => b.toString(16).padStart(2, '0')).join(' ');
      lines.push(`${at.toString(16).padStart(6, '0')}  ${row}`);
    }
    return lines.join('\n');
  }
  const text = asText(bytes) ?? new TextDecoder('utf-8').decode(bytes);
  if (format === 'json') {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      return text;
    }
  }
  return text;
}
