import type { DemoStatus } from '@/lib/api/contract';

/** `stand-in`: connected, but to the in-memory stand-in server, not to Iggy. */
export type ConnectionTone = 'ok' | 'stand-in' | 'busy' | 'down' | 'unknown';

export interface ConnectionView {
  tone: ConnectionTone;
  /** Short word for the badge. */
  label: string;
  /** Extra facts (version, round trip) or the reason it is down. */
  detail?: string;
  address?: string;
}

/**
 * What the connection badge says, from the latest /api/status answer, or from the error fetching it (which
 * wins: the polled status keeps the last good answer around after a failure, and that must not read as "Connected").
 */
export function connectionView(
  status: DemoStatus | undefined,
  fetchError: { code: string; message: string } | false | undefined,
): ConnectionView {
  if (fetchError) {
    const offline = fetchError.code === 'NETWORK' || fetchError.code === 'TIMEOUT';
    return offline
      ? { tone: 'down', label: 'App offline', detail: 'The demo app is not answering.' }
      : { tone: 'down', label: 'App error', detail: fetchError.message };
  }
  if (!status) return { tone: 'unknown', label: 'Checking…' };
  const { iggy } = status;
  const state = iggy.state ?? (iggy.connected ? 'connected' : 'unreachable');
  if (state === 'connected' || (iggy.connected && state !== 'unreachable')) {
    const facts = [
      iggy.serverVersion ? `Iggy ${iggy.serverVersion}` : null,
      typeof iggy.roundTripMs === 'number' ? `${Math.max(0, Math.round(iggy.roundTripMs))} ms` : null,
    ].filter(Boolean);
    if (iggy.standIn) {
      return {
        tone: 'stand-in',
        label: 'Stand-in',
        detail: ['not Iggy', ...facts].join(' · '),
        address: iggy.address,
      };
    }
    return { tone: 'ok', label: 'Connected', detail: facts.join(' · ') || undefined, address: iggy.address };
  }
  if (state === 'connecting' || state === 'reconnecting') {
    return {
      tone: 'busy',
      label: state === 'connecting' ? 'Connecting…' : 'Reconnecting…',
      detail: iggy.error?.message,
      address: iggy.address,
    };
  }
  return { tone: 'down', label: 'Unreachable', detail: iggy.error?.message, address: iggy.address };
}

/** Whether the page should say Iggy is away: the stand-in is connected, so it never counts as away. */
export function iggyAway(view: ConnectionView): boolean {
  return view.tone === 'busy' || view.tone === 'down';
}
