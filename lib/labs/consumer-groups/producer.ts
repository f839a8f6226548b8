/**
 * The consumer-group lab's producer: a timer that sends one numbered message at a time to the lab topic
 * (`{ n, key }`, so the delivery check can follow each message), Balanced or by one of a few keys.
 */

import type { IggyClient } from '@/lib/iggy';
import type { LabHost } from '../runtime';
import type { ProducerPartitioning, ProducerView } from './contract';
import { CONSUMER_GROUPS_LIMITS as LIMITS, PRODUCER_KEYS } from './limits';

export interface TimedProducerDeps {
  host: LabHost;
  topic: string;
  /** The producer stopped on its own (a send failed); `why` is safe to show. */
  onFailed(why: string): void;
  describeError(error: unknown): string;
}

export class TimedProducer {
  readonly #deps: TimedProducerDeps;
  #running = false;
  #rate: number = LIMITS.defaultRate;
  #partitioning: ProducerPartitioning = 'balanced';
  #sent = 0;
  #lastError: string | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped on every start/stop, so a send that finishes after a stop does not schedule another. */
  #run = 0;
  /** The number the next message carries: counts from 1 per topic. */
  #seq = 0;

  constructor(deps: TimedProducerDeps) {
    this.#deps = deps;
  }

  get running(): boolean {
    return this.#running;
  }

  get sent(): number {
    return this.#sent;
  }

  view(): ProducerView {
    return {
      running: this.#running,
      rate: this.#rate,
      partitioning: this.#partitioning,
      sent: this.#sent,
      lastError: this.#lastError,
    };
  }

  /** Sends the first message now on `client` (the action's, so its frames show); the timer sends the rest. */
  async start(client: IggyClient, rate: number, partitioning: ProducerPartitioning): Promise<void> {
    this.stop();
    this.#running = true;
    this.#rate = rate;
    this.#partitioning = partitioning;
    this.#lastError = null;
    await this.#sendOne(client);
    this.#schedule(this.#run);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#running = false;
    this.#run += 1;
  }

  /** A fresh (or no) topic: stopped, numbering and counters from the start; rate and partitioning stay. */
  restart(): void {
    this.stop();
    this.#seq = 0;
    this.#sent = 0;
    this.#lastError = null;
  }

  #schedule(run: number): void {
    if (!this.#running || this.#run !== run) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#tick(run);
    }, 1000 / this.#rate);
    this.#timer.unref?.();
  }

  async #tick(run: number): Promise<void> {
    if (!this.#running || this.#run !== run) return;
    try {
      const client = await this.#deps.host.client('producer');
      if (this.#run !== run) return;
      await this.#sendOne(client);
    } catch (error) {
      if (this.#run !== run) return;
      this.stop();
      this.#lastError = this.#deps.describeError(error);
      this.#deps.onFailed(this.#lastError);
      return;
    }
    this.#schedule(run);
  }

  async #sendOne(client: IggyClient): Promise<void> {
    const n = ++this.#seq;
    const key = this.#partitioning === 'key' ? PRODUCER_KEYS[n % PRODUCER_KEYS.length]! : null;
    await client.sendMessages({
      streamId: this.#deps.host.streamName,
      topicId: this.#deps.topic,
      partitioning: key === null ? { kind: 'balanced' } : { kind: 'messagesKey', key },
      messages: [{ payload: JSON.stringify({ n, key }) }],
    });
    this.#sent += 1;
  }
}
