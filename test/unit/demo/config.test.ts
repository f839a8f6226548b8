import { describe, expect, it } from 'vitest';
import { DemoConfigError, loadDemoConfig } from '@/lib/demo/config';

function configError(env: Record<string, string | undefined>): DemoConfigError {
  try {
    loadDemoConfig(env);
  } catch (error) {
    if (error instanceof DemoConfigError) return error;
    throw error;
  }
  throw new Error('expected a DemoConfigError');
}

describe('loadDemoConfig', () => {
  it('uses the documented defaults for an empty environment', () => {
    const config = loadDemoConfig({});
    expect(config.address).toBe('127.0.0.1:8090');
    expect(config.iggy.username).toBe('iggy');
    expect(config.iggy.password).toBe('iggy');
    expect(config.streamName).toBe('demo-stream');
    expect(config.topicName).toBe('demo-topic');
    expect(config.consumerName).toBe('demo-consumer');
    expect(config.producerRatePerSec).toBe(1);
    expect(config.partitionsCount).toBe(1);
  });

  it('reads every variable, and treats blank values as unset', () => {
    const config = loadDemoConfig({
      IGGY_URL: 'iggy://alice:s3cret@example.test:9100',
      IGGY_STREAM: 'orders',
      IGGY_TOPIC: ' events ',
      IGGY_CONSUMER: 'dashboard',
      PRODUCER_RATE: '2.5',
      IGGY_PARTITIONS: '3',
    });
    expect(config).toMatchObject({
      address: 'example.test:9100',
      streamName: 'orders',
      topicName: 'events',
      consumerName: 'dashboard',
      producerRatePerSec: 2.5,
      partitionsCount: 3,
    });
    expect(loadDemoConfig({ IGGY_STREAM: '  ', PRODUCER_RATE: '' }).streamName).toBe('demo-stream');
  });

  it.each([
    ['PRODUCER_RATE', '0', /PRODUCER_RATE must be between 0.1 and 1000/],
    ['PRODUCER_RATE', '1001', /PRODUCER_RATE/],
    ['PRODUCER_RATE', 'fast', /PRODUCER_RATE must be a plain decimal number/],
    ['PRODUCER_RATE', '1e3', /PRODUCER_RATE must be a plain decimal number/],
    ['PRODUCER_RATE', '-1', /PRODUCER_RATE/],
    ['IGGY_PARTITIONS', '0', /IGGY_PARTITIONS must be a whole number/],
    ['IGGY_PARTITIONS', '1.5', /IGGY_PARTITIONS must be a whole number/],
    ['IGGY_PARTITIONS', '65', /IGGY_PARTITIONS/],
    ['IGGY_TOPIC_DURABILITY', 'fsync', /IGGY_TOPIC_DURABILITY must be 'replicated' or 'persisted'/],
    ['IGGY_TOPIC_DURABILITY', 'true', /IGGY_TOPIC_DURABILITY/],
    ['IGGY_STREAM', 'x'.repeat(256), /IGGY_STREAM must be 1 to 255 UTF-8 bytes/],
    ['IGGY_TOPIC', 'é'.repeat(128), /IGGY_TOPIC must be 1 to 255 UTF-8 bytes/],
    ['IGGY_CONSUMER', 'bad\u0007name', /IGGY_CONSUMER must not contain control characters/],
  ])('rejects %s=%j with a clear message', (name, value, pattern) => {
    const error = configError({ [name]: value });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(pattern);
  });

  it('IGGY_TOPIC_DURABILITY: unset or empty sends no option; replicated/persisted in any case', () => {
    expect(loadDemoConfig({})).not.toHaveProperty('topicDurability');
    expect(loadDemoConfig({ IGGY_TOPIC_DURABILITY: ' ' })).not.toHaveProperty('topicDurability');
    expect(loadDemoConfig({ IGGY_TOPIC_DURABILITY: 'persisted' }).topicDurability).toBe('persisted');
    expect(loadDemoConfig({ IGGY_TOPIC_DURABILITY: ' Replicated ' }).topicDurability).toBe('replicated');
  });

  it('lists every problem at once', () => {
    const error = configError({ PRODUCER_RATE: '0', IGGY_PARTITIONS: 'many' });
    expect(error.problems).toHaveLength(2);
  });

  it.each([
    'http://iggy:hunter2-secret@127.0.0.1:8090',
    'iggy://iggy:hunter2-secret@',
    'iggy://iggy:hunter2-secret@127.0.0.1:99999',
    'not a url hunter2-secret',
  ])('rejects IGGY_URL %j without ever echoing the password', (url) => {
    const error = configError({ IGGY_URL: url });
    expect(error.message).toMatch(/IGGY_URL/);
    expect(error.message).not.toContain('hunter2-secret');
  });
});
