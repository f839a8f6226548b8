import { describe, expect, it } from 'vitest';
import {
  formatMicrosUtc,
  microsToUtcInput,
  partitionHref,
  utcInputToMicros,
} from '@/app/_components/explore/format';
import { detectFormat, renderPayload } from '@/app/_components/explore/payload';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('explorer formatting', () => {
  it('shows server times in full UTC with exact microseconds', () => {
    expect(formatMicrosUtc('1765030141123456')).toBe('2025-12-06 14:09:01.123456 UTC');
    expect(formatMicrosUtc('0')).toBe('1970-01-01 00:00:00.000000 UTC');
    expect(formatMicrosUtc('not a number')).toBe('not a number');
  });

  it('reads the time input as UTC, down to the microsecond, and refuses what is not a time', () => {
    expect(utcInputToMicros('2025-12-06T14:09')).toBe('1765030140000000');
    expect(utcInputToMicros('2025-12-06T14:09:01.123')).toBe('1765030141123000');
    expect(utcInputToMicros('2025-12-06T14:09:01.123456')).toBe('1765030141123456');
    expect(utcInputToMicros('yesterday')).toBeUndefined();
    expect(utcInputToMicros('')).toBeUndefined();
    expect(microsToUtcInput('1765030141123456')).toBe('2025-12-06T14:09:01.123');
  });

  it('builds partition links with names escaped', () => {
    expect(partitionHref('a b', 't/1', 2, { offset: '5' })).toBe('/explore/a%20b/t%2F1/2?offset=5');
  });
});

describe('payload detection', () => {
  it('detects JSON, text and binary', () => {
    expect(detectFormat(bytes('{"a":1}'), false)).toBe('json');
    expect(detectFormat(bytes('hello'), false)).toBe('text');
    expect(detectFormat(Uint8Array.of(0, 1, 2, 255), false)).toBe('hex');
    expect(detectFormat(bytes('{"a": "cut'), true)).toBe('json');
  });

  it('formats JSON, keeps markup as plain text and dumps bytes as hex rows', () => {
    expect(renderPayload(bytes('{"a":[1]}'), 'json')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(renderPayload(bytes('<img src=x onerror=alert(1)>'), 'text')).toBe('<img src=x onerror=alert(1)>');
    expect(
      renderPayload(
        Uint8Array.from({ length: 17 }, (_, i) => i),
        'hex',
      ),
    ).toBe('000000  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f\n000010  10');
    expect(renderPayload(bytes('{broken'), 'json')).toBe('{broken');
  });
});
