import { describe, expect, it } from 'vitest';
import {
  IggyError,
  IggyErrorCode,
  codeName,
  describeCode,
  evictionError,
  evictionName,
  isIggyError,
  serverError,
} from '@/lib/iggy/errors';
import { describePackedVersion, packVersion } from '@/lib/iggy/wire/version';

describe('IggyError', () => {
  it('names and describes every code of docs/architecture.md#error-codes', () => {
    const codes = [
      3, 4, 5, 6, 20, 30, 40, 41, 42, 57, 58, 59, 1009, 1012, 1019, 1020, 2010, 2013, 2015, 2019, 2021, 3007,
      3013, 3021, 3024, 4041, 4042, 4100, 4102, 5000, 5004, 5006, 14003,
    ];
    for (const code of codes) {
      expect(codeName(code)).not.toMatch(/^Unknown/);
      expect(describeCode(code)).not.toMatch(/^Iggy error code/);
    }
    expect(codeName(IggyErrorCode.StreamIdNotFound)).toBe('StreamIdNotFound');
    expect(codeName(3024)).toBe('TooManyConsumerOffsets');
    expect(codeName(4102)).toBe('SegmentSizeMismatchAtOpen');
    expect(serverError(3024).message).toContain('consumer offsets');
    expect(serverError(4102).message).toContain('segment');
    expect(codeName(123456)).toBe('Unknown123456');
    expect(describeCode(123456)).toBe('Iggy error code 123456');
  });

  it('marks transient, timeout and disconnected errors retryable', () => {
    expect(serverError(57).retryable).toBe(true);
    expect(serverError(58).retryable).toBe(true);
    expect(serverError(1009).retryable).toBe(false);
    expect(new IggyError({ code: IggyErrorCode.Timeout, kind: 'timeout' }).retryable).toBe(true);
    expect(isIggyError(serverError(1))).toBe(true);
    expect(isIggyError(new Error('x'))).toBe(false);
  });

  it('maps every eviction reason of docs/architecture.md#replies-and-evictions to a named error with the SDK code', () => {
    const expected: Record<number, number> = {
      1: 40,
      2: 3,
      3: 3,
      4: 3,
      5: 3,
      6: 3,
      7: 40,
      8: 40,
      9: 42,
      10: 53,
      11: 40,
      12: 40,
      13: 30,
      14: 14003,
      15: 4,
    };
    for (const [reason, code] of Object.entries(expected)) {
      const error = evictionError(Number(reason));
      expect(error.kind).toBe('eviction');
      expect(error.code).toBe(code);
      expect(error.evictionReason).toBe(Number(reason));
      expect(evictionName(Number(reason))).not.toMatch(/^Unknown/);
      expect(error.message).toContain(`eviction ${reason}`);
    }
    expect(evictionError(9).terminal).toBe(true);
    expect(evictionError(13).terminal).toBe(false);
    expect(evictionError(99).message).toContain('unknown');
  });

  it('eviction 14 names the server window and the protocol this client speaks', () => {
    const error = evictionError(14, 0x3000, 0x3000);
    expect(error.codeName).toBe('IncompatibleProtocolVersion');
    expect(error.message).toContain('0.12.0 to 0.12.0');
    expect(error.message).toContain('protocol 0.11');
    expect(error.message).toContain('Iggy server 0.9.0');
    expect(evictionError(14, packVersion(1, 2, 3), packVersion(1, 0, 0)).message).toContain('1.0.0 to 1.2.3');
    expect(evictionError(14).message).toContain('did not report');
    expect(describePackedVersion(0x2c00)).toBe('0.11.0');
  });
});
