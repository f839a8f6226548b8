import { IggyErrorCode, isIggyError, type Durability, type IggyClient, type TopicDetails } from '@/lib/iggy';
import { DemoError } from './errors';

export type TopicSetupClient = Pick<IggyClient, 'getTopic' | 'createTopic'>;

export interface DemoTopicSpec {
  streamName: string;
  topicName: string;
  partitionsCount: number;
  /** Undefined: send no durability option, the server picks its default. */
  durability?: Durability;
  /** For the message when the server refuses the option (e.g. "0.9.0-edge.5"). */
  serverVersion?: string;
}

/**
 * The server does not know the topic option `durability` (status 4041 UnsupportedOptionKey: an edge build of
 * 0.9.0, or an older server). The topic was not created: a demo topic without the durability that was asked for
 * would quietly lose messages on a crash, the very thing the option was set to prevent.
 */
export function durabilityUnsupportedError(
  durability: Durability,
  serverVersion: string | undefined,
): DemoError {
  const server = serverVersion ? `this Iggy server (version ${serverVersion})` : 'this Iggy server';
  return new DemoError(
    'DURABILITY_UNSUPPORTED',
    `${server} does not support the topic option durability (asked for '${durability}' by IGGY_TOPIC_DURABILITY); ` +
      'the topic was not created. Unset IGGY_TOPIC_DURABILITY or use a released Iggy 0.9.0 server.',
  );
}

export function isDurabilityUnsupported(error: unknown): boolean {
  return DemoError.is(error) && error.code === 'DURABILITY_UNSUPPORTED';
}

/**
 * Returns the demo topic, creating it when missing (with `durability` only when asked for). An existing topic is
 * used as it is: Iggy fixes durability at creation, so a changed IGGY_TOPIC_DURABILITY needs a new topic.
 * Safe against a concurrent creator: "already exists" means read it back.
 */
export async function ensureDemoTopic(client: TopicSetupClient, spec: DemoTopicSpec): Promise<TopicDetails> {
  const existing = await client.getTopic(spec.streamName, spec.topicName);
  if (existing) return existing;
  let created: TopicDetails | null = null;
  try {
    created = await client.createTopic({
      streamId: spec.streamName,
      name: spec.topicName,
      partitionsCount: spec.partitionsCount,
      ...(spec.durability ? { durability: spec.durability } : {}),
    });
  } catch (error) {
    if (isIggyError(error) && error.code === IggyErrorCode.UnsupportedOptionKey && spec.durability)
      throw durabilityUnsupportedError(spec.durability, spec.serverVersion);
    if (!(isIggyError(error) && error.code === IggyErrorCode.TopicNameAlreadyExists)) throw error;
  }
  const topic = created ?? (await client.getTopic(spec.streamName, spec.topicName));
  if (!topic)
    throw new DemoError('TOPIC_NOT_FOUND', `topic '${spec.topicName}' was created but cannot be read back`);
  return topic;
}
