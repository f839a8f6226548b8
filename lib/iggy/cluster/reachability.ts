/**
 * Whether a node answers at all: a bare TCP connect, closed at once, with a bounded wait. The cluster metadata's
 * status byte comes from configuration (a dead node reads healthy), so reachability has to be judged this way
 * (docs/architecture.md#the-cluster-aware-connection).
 */

import { connect } from 'node:net';

export function probeTcp(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (reachable: boolean) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(reachable);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
