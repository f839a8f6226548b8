/** The real NodeLink: a TCP connection and a registered session on one node of the cluster. */

import { Connection, type FrameTap } from '../connection';
import { disconnectedError, IggyError } from '../errors';
import { Session, type RetryPolicy } from '../session';
import { ReadCode } from '../wire/constants';
import { decodeClusterMetadata, type ClusterMetadata } from '../wire/commands/cluster';
import type { LoginInput } from '../wire/commands/login';
import type { NodeDialer, NodeLink } from './primary-finder';
import type { NodeAddress } from './roster';

const EMPTY = Buffer.alloc(0);

export class SessionLink implements NodeLink {
  constructor(readonly session: Session) {}

  get address(): string {
    return this.session.connection.address;
  }

  async readMetadata(): Promise<ClusterMetadata> {
    const payload = await this.session.execute(
      { plane: 'read', code: ReadCode.GetClusterMetadata },
      EMPTY,
      'get cluster metadata',
    );
    return decodeClusterMetadata(payload);
  }

  close(): void {
    this.session.connection.close(disconnectedError(`left ${this.address} (not the primary)`));
  }
}

export interface DialSettings {
  credentials: LoginInput;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  maxFrameBytes: number;
  retry?: RetryPolicy;
}

export function sessionDialer(
  settings: DialSettings,
  tap: () => FrameTap | undefined,
): NodeDialer<SessionLink> {
  return async (node: NodeAddress) => {
    const frameTap = tap();
    const connection = await Connection.open({
      host: node.host,
      port: node.port,
      connectTimeoutMs: settings.connectTimeoutMs,
      maxFrameBytes: settings.maxFrameBytes,
      ...(frameTap ? { tap: frameTap } : {}),
    });
    try {
      const session = await Session.register(connection, settings.credentials, {
        requestTimeoutMs: settings.requestTimeoutMs,
        ...(settings.retry ? { retry: settings.retry } : {}),
      });
      return new SessionLink(session);
    } catch (error) {
      connection.close(error instanceof IggyError ? error : disconnectedError(String(error)));
      throw error;
    }
  };
}
