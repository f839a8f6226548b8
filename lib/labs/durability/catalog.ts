/**
 * The server's topic options as DescribeOptions lists them (the catalog), and what the durability lab
 * reads out of them and out of a topic's own reported options: the flavor of server (a release lists
 * `durability`, an edge build `enforce_fsync`), a topic's flush settings, and its journal thresholds.
 */

import {
  isIggyError,
  type IggyClient,
  type OptionDefault,
  type OptionDescription,
  type ReportedTopicOption,
  type TopicDetails,
} from '@/lib/iggy';
import type { CatalogOptionView, OptionCatalogView, OptionsFlavor, TopicSettingView } from './contract';
import type { FlushThresholds } from './journal';

/** The documented defaults, used only when neither the topic nor the server's catalog says. */
const FALLBACK_MESSAGE_THRESHOLD = 1024;
const FALLBACK_SIZE_THRESHOLD = 1_048_576n;
const FLUSH_KEYS = [
  'messages_required_to_save',
  'size_of_messages_required_to_save',
  'durability',
  'enforce_fsync',
] as const;

export class OptionCatalog {
  #options: OptionDescription[] | undefined;
  #error: string | undefined;
  /** The connection the state read the catalog on: a new connection may be a different server. */
  #stateConnection: IggyClient | undefined;

  /** Why the last read got no catalog, safe to show; undefined when it got one. */
  get error(): string | undefined {
    return this.#error;
  }

  get known(): boolean {
    return this.#options !== undefined;
  }

  /** Asks the server (DescribeOptions); a server that refuses leaves no catalog and says why. */
  async read(client: IggyClient): Promise<void> {
    try {
      this.#options = await client.describeOptions('topic');
      this.#error = undefined;
    } catch (error) {
      if (!isIggyError(error) || error.kind !== 'server') throw error;
      this.#options = undefined;
      this.#error = `the server did not describe its topic options (${error.message})`;
    }
  }

  /** For the state read: asks again only on a connection it has not asked on yet. */
  async readForState(client: IggyClient): Promise<void> {
    if (this.#stateConnection === client) return;
    await this.read(client);
    this.#stateConnection = client;
  }

  /** Whether the catalog lists `key`; undefined while there is no catalog. */
  lists(key: string): boolean | undefined {
    return this.#options?.some((option) => option.key === key);
  }

  view(): OptionCatalogView | null {
    if (!this.#options) return null;
    const durabilityListed = this.lists('durability') === true;
    const flavor: OptionsFlavor = durabilityListed
      ? 'release'
      : this.lists('enforce_fsync')
        ? 'edge'
        : 'unknown';
    return {
      flavor,
      durabilityListed,
      options: this.#options.map((entry): CatalogOptionView => ({
        key: entry.key,
        kind: entry.kind,
        defaultValue: entry.defaultValue === null ? null : showDefault(entry.defaultValue),
        description: entry.description,
      })),
    };
  }

  /**
   * The journal thresholds of a topic as the server reports them (its explicit or derived options);
   * where the reply lacks one or it is not a plain number, the catalog's default, then the documented one.
   */
  thresholds(topic: TopicDetails | null): FlushThresholds {
    const reported = (key: string) =>
      positiveInteger(topic?.options.find((o) => o.key === key)?.value) ??
      positiveInteger(this.#options?.find((o) => o.key === key)?.defaultValue);
    const messages = reported('messages_required_to_save');
    return {
      messages:
        messages !== undefined && messages <= 0xffff_ffffn ? Number(messages) : FALLBACK_MESSAGE_THRESHOLD,
      bytes: reported('size_of_messages_required_to_save') ?? FALLBACK_SIZE_THRESHOLD,
    };
  }

  forget(): void {
    this.#options = undefined;
    this.#error = undefined;
    this.#stateConnection = undefined;
  }
}

/** A count or size option's value: an integer kind, or a decimal string as a creator may send it. */
function positiveInteger(value: OptionDefault | null | undefined): bigint | undefined {
  if (typeof value === 'bigint') return value > 0n ? value : undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? BigInt(value) : undefined;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) {
    const parsed = BigInt(value.trim());
    return parsed > 0n ? parsed : undefined;
  }
  return undefined;
}

function showDefault(value: OptionDefault): string {
  if (Buffer.isBuffer(value)) return `0x${value.toString('hex')}`;
  return String(value);
}

/** The flush settings of a topic as the server reports them: sent at creation (explicit) or the server's default. */
export function settingsOf(options: readonly ReportedTopicOption[]): TopicSettingView[] {
  const settings: TopicSettingView[] = [];
  for (const key of FLUSH_KEYS) {
    const option = options.find((o) => o.key === key);
    if (!option || option.value === null) continue;
    settings.push({
      key,
      value: showDefault(option.value),
      source: option.explicit ? 'explicit' : 'default',
    });
  }
  return settings;
}
